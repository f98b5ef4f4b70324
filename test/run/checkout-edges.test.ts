import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, exec, guardYaml, notesOf, reinitAsSha256, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/processes.js';
import { addWorktree } from '../setup/helpers.js';

const INVARIANT = 'In this codebase, a check must never change files, because it causes broken builds.';

// Marker files of one test (a folder outside the repository), removed afterwards.
async function withMarks<T>(fn: (marks: string) => Promise<T>): Promise<T> {
  const marks = mkdtempSync(join(tmpdir(), 'guardloop-edges-'));
  try {
    return await fn(marks);
  } finally {
    rmSync(marks, { recursive: true, force: true });
  }
}

// Everything of the person's that a run must leave as it was: the index, the tracked and untracked files.
function snapshot(repo: TestRepo, files: string[]): Record<string, string> {
  return { index: repo.git('ls-files', '-s'), ...Object.fromEntries(files.map((f) => [f, repo.read(f)])) };
}

// The process whose ancestor chain from `pid` first has `token` in its command line (0: none).
function ancestorWith(pid: number, token: string): number {
  for (let p = pid; p > 1; ) {
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(token)) return p;
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return 0;
    }
  }
  return 0;
}

const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
};

// A committed base with a file git writes through a smudge filter that waits for `marks/go` (and tells
// who runs it in `marks/filter`), then a partially staged change: the run's temporary checkout stops
// in the middle, at that file, until the test lets it go.
function slowCheckout(repo: TestRepo, marks: string, guard: string): void {
  repo.installHook();
  repo.config(`guards:\n${guardYaml('look', guard)}`);
  repo.git('config', 'filter.slow.smudge', `echo $PPID > ${marks}/filter.tmp && mv ${marks}/filter.tmp ${marks}/filter; while [ ! -e ${marks}/go ]; do sleep 0.02; done; cat`);
  repo.write('.gitattributes', 'slow.txt filter=slow\n');
  repo.write('slow.txt', 'slow\n');
  for (let i = 0; i < 30; i++) repo.write(`many/${i}.txt`, `${i}\n`);
  repo.write('notes.txt', 'line 1\nline 2\n');
  repo.write('other.txt', 'other\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'base');
  repo.write('notes.txt', 'line 1 staged\nline 2\n');
  repo.git('add', 'notes.txt');
  repo.write('notes.txt', 'line 1 staged\nline 2 unstaged\n');
  repo.write('untracked.txt', 'mine\n');
}

// `git commit` started in the background; resolves with its exit code and what it said.
function startCommit(repo: TestRepo): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('git', ['commit', '-q', '-m', 'attempt'], { cwd: repo.dir, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a person at work while the temporary checkout is written', () => {
  it('keeps every edit they make meanwhile; the guards see exactly the staged content', () =>
    withGitRepo((repo) =>
      withMarks(async (marks) => {
        slowCheckout(repo, marks, `cat notes.txt > ${marks}/seen-notes && cat other.txt > ${marks}/seen-other`);
        let over: { code: number | null; stderr: string } | null = null;
        const commit = startCommit(repo).then((r) => (over = r));
        expect(await waitUntil(() => existsSync(join(marks, 'filter')) || over !== null), JSON.stringify(over)).toBe(true);
        expect(over).toBeNull();
        // Mid-checkout: the person edits the partially staged file again, a tracked one, and adds a file.
        repo.write('notes.txt', 'line 1 staged\nline 2 unstaged\nline 3 typed meanwhile\n');
        repo.write('other.txt', 'other, typed meanwhile\n');
        repo.write('new.txt', 'new\n');
        writeFileSync(join(marks, 'go'), '');
        const res = await commit;
        expect(res.code, res.stderr).toBe(0);
        expect(readFileSync(join(marks, 'seen-notes'), 'utf8')).toBe('line 1 staged\nline 2\n');
        expect(readFileSync(join(marks, 'seen-other'), 'utf8')).toBe('other\n');
        expect(repo.git('show', 'HEAD:notes.txt')).toBe('line 1 staged\nline 2');
        expect(notesOf(repo, 'HEAD^{tree}')[0]).toMatchObject({ status: 'ACCEPTED', isolated: true });
        expect(repo.read('notes.txt')).toBe('line 1 staged\nline 2 unstaged\nline 3 typed meanwhile\n');
        expect(repo.read('other.txt')).toBe('other, typed meanwhile\n');
        expect(repo.read('new.txt')).toBe('new\n');
        expect(repo.read('untracked.txt')).toBe('mine\n');
      }),
    ));

  it('loses nothing when the hook is killed (SIGKILL) mid-checkout; the next commit removes what it left', () =>
    withGitRepo((repo) =>
      withMarks(async (marks) => {
        slowCheckout(repo, marks, 'true');
        const before = snapshot(repo, ['notes.txt', 'other.txt', 'untracked.txt']);
        const head = repo.git('rev-parse', 'HEAD');
        let over: { code: number | null; stderr: string } | null = null;
        const commit = startCommit(repo).then((r) => (over = r));
        expect(await waitUntil(() => existsSync(join(marks, 'filter')) || over !== null), JSON.stringify(over)).toBe(true);
        expect(over).toBeNull();
        const filterParent = Number(readFileSync(join(marks, 'filter'), 'utf8'));
        const hook = ancestorWith(filterParent, '--hook');
        const writer = ancestorWith(filterParent, 'read-tree');
        expect(hook).toBeGreaterThan(0);
        expect(writer).toBeGreaterThan(0);
        // Where the run was writing its checkout (the writer's work tree), before it is killed.
        const checkout = join(readFileSync(`/proc/${writer}/cmdline`, 'utf8').split('\0').find((a) => a.startsWith('--work-tree='))!.slice('--work-tree='.length), '..');
        expect(existsSync(join(checkout, 'owner'))).toBe(true);
        process.kill(hook, 'SIGKILL');
        const res = await commit;
        expect(res.code).not.toBe(0);
        // The orphaned checkout writer finishes its files into a checkout no run owns any more (any
        // run may sweep it from now on: other tests' runs too).
        writeFileSync(join(marks, 'go'), '');
        expect(await waitUntil(() => !alive(writer))).toBe(true);
        expect(repo.git('rev-parse', 'HEAD')).toBe(head);
        expect(snapshot(repo, ['notes.txt', 'other.txt', 'untracked.txt'])).toEqual(before);
        // No lock of git's left behind (the index's, a ref's, ℛ's notes ref).
        expect((readdirSync(join(repo.dir, '.git'), { recursive: true }) as string[]).filter((f) => f.endsWith('.lock'))).toEqual([]);
        // The next commit goes through and sweeps the dead run's checkout.
        rmSync(join(marks, 'filter'));
        const again = await startCommit(repo);
        expect(again.code, again.stderr).toBe(0);
        expect(repo.git('show', 'HEAD:notes.txt')).toBe('line 1 staged\nline 2');
        expect(repo.read('notes.txt')).toBe('line 1 staged\nline 2 unstaged\n');
        expect(repo.read('untracked.txt')).toBe('mine\n');
        expect(await waitUntil(() => !existsSync(checkout))).toBe(true);
      }),
    ));
});

describe('what a guard changes in a temporary checkout, found in repositories of every shape', () => {
  // A base, a partially staged file, and a guard that changes `target` (a tracked file not staged).
  function sneaky(repo: TestRepo, target: string): void {
    repo.config(`guards:\n  - id: sneaky\n    run: ${JSON.stringify(`printf 'changed by the guard\\n' > '${target}'`)}\n    invariant: "${INVARIANT}"\n`);
  }
  async function expectFound(repo: TestRepo, target: string, partial: string): Promise<void> {
    const res = await repo.commit('attempt');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('temporary checkout');
    const [record] = notesOf(repo, repo.git('write-tree')) as Array<{ isolated: boolean; verdicts: Array<{ status: string; modified?: string[] }> }>;
    expect(record).toMatchObject({ isolated: true, verdicts: [{ status: 'fail', modified: [target] }] });
    expect(repo.read(partial)).toBe('staged\nunstaged\n');
  }
  function base(repo: TestRepo, files: Record<string, string>): void {
    for (const [path, content] of Object.entries(files)) repo.write(path, content);
    repo.write('partial.txt', 'base\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'base');
  }
  function stagePartially(repo: TestRepo, dir = repo.dir): void {
    writeFileSync(join(dir, 'partial.txt'), 'staged\n');
    repo.git('-C', dir, 'add', 'partial.txt');
    writeFileSync(join(dir, 'partial.txt'), 'staged\nunstaged\n');
  }

  it('with a sparse index: a file outside the cone is in the checkout, and a change to it is found', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      sneaky(repo, 'far/away.txt');
      base(repo, { 'near/a.txt': 'a\n', 'far/away.txt': 'far\n', 'far/deep/b.txt': 'b\n' });
      repo.git('sparse-checkout', 'set', '--cone', '--sparse-index', 'near', '.loop', '.husky');
      expect(existsSync(join(repo.dir, 'far'))).toBe(false);
      expect(repo.git('ls-files', '--sparse')).toContain('far/');
      stagePartially(repo);
      await expectFound(repo, 'far/away.txt', 'partial.txt');
    }));

  it('in a SHA-256 repository with a submodule: found, and the submodule left as it was', () =>
    withGitRepo(async (repo) => {
      reinitAsSha256(repo);
      repo.installHook();
      sneaky(repo, 'src/code.txt');
      base(repo, { 'src/code.txt': 'code\n' });
      const sub = mkdtempSync(join(tmpdir(), 'guardloop-sub-'));
      try {
        const git = (...a: string[]) => repo.git('-C', sub, ...a);
        git('init', '-q', '--object-format=sha256', '-b', 'main');
        writeFileSync(join(sub, 's.txt'), 's\n');
        git('add', '-A');
        git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 's');
        repo.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'sub');
        repo.git('commit', '-q', '--no-verify', '-m', 'sub');
        writeFileSync(join(repo.dir, 'sub', 's.txt'), 'dirty in the submodule\n');
        stagePartially(repo);
        await expectFound(repo, 'src/code.txt', 'partial.txt');
        expect(repo.read('sub/s.txt')).toBe('dirty in the submodule\n');
      } finally {
        rmSync(sub, { recursive: true, force: true });
      }
    }));

  it('from a linked worktree: found, and the worktree keeps its unstaged line', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      sneaky(repo, 'src/code.txt');
      base(repo, { 'src/code.txt': 'code\n' });
      const worktree = addWorktree(repo);
      const wt = worktree.dir;
      try {
        stagePartially(repo, wt);
        const res = await exec(process.execPath, [join(repo.dir, 'node_modules', '.bin', 'guardloop'), 'run', '--hook', 'pre-commit', '--json'], { cwd: wt });
        expect(res.code).toBe(1);
        expect(JSON.parse(res.stdout)).toMatchObject({ isolated: true, verdicts: [{ guard: 'sneaky', status: 'fail', modified: ['src/code.txt'] }] });
        expect(readFileSync(join(wt, 'partial.txt'), 'utf8')).toBe('staged\nunstaged\n');
        expect(readFileSync(join(wt, 'src', 'code.txt'), 'utf8')).toBe('code\n');
        repo.git('worktree', 'remove', '--force', wt);
      } finally {
        worktree.done();
      }
    }));

  it('among 600 files of 280-character paths: the one a guard changed is found', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      const dir = `pkg/${'d'.repeat(120)}`;
      const path = (i: number) => `${dir}/file-${i}-${'n'.repeat(280 - dir.length - 12)}`;
      const files = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [path(i), `${i}\n`]));
      sneaky(repo, path(377));
      base(repo, files);
      stagePartially(repo);
      await expectFound(repo, path(377), 'partial.txt');
    }));

  it('with a tracked folder replaced by a symlink (not staged): the guards see the staged folder, the symlink and its target stay', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(`guards:\n${guardYaml('look', 'test -d dir && ! test -L dir && grep -qx inner dir/inner.txt')}`);
      base(repo, { 'dir/inner.txt': 'inner\n' });
      repo.write('elsewhere/inner.txt', 'elsewhere\n');
      rmSync(join(repo.dir, 'dir'), { recursive: true });
      symlinkSync('elsewhere', join(repo.dir, 'dir'));
      repo.write('partial.txt', 'staged\n');
      repo.git('add', 'partial.txt');
      const res = await repo.commit('with a symlinked folder');
      expect(res.code, res.stderr).toBe(0);
      expect(notesOf(repo, 'HEAD^{tree}')[0]).toMatchObject({ status: 'ACCEPTED', isolated: true });
      expect(repo.git('show', 'HEAD:dir/inner.txt')).toBe('inner');
      expect(readlinkSync(join(repo.dir, 'dir'))).toBe('elsewhere');
      expect(repo.read('elsewhere/inner.txt')).toBe('elsewhere\n');
    }));

  it('with an intent-to-add entry: the staged content is committed, the entry stays intent-to-add', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(`guards:\n${guardYaml('ok', 'test ! -e planned.txt')}`);
      base(repo, { 'a.txt': 'a\n' });
      repo.write('a.txt', 'b\n');
      repo.git('add', 'a.txt');
      repo.write('planned.txt', 'not yet\n');
      repo.git('add', '-N', 'planned.txt');
      const res = await repo.commit('with a plan');
      expect(res.code, res.stderr).toBe(0);
      expect(repo.git('ls-tree', '-r', '--name-only', 'HEAD')).not.toContain('planned.txt');
      expect(repo.git('diff', '--name-only')).toBe('planned.txt');
      expect(repo.git('diff', '--cached', '--name-only')).toBe('');
      expect(repo.read('planned.txt')).toBe('not yet\n');
    }));
});
