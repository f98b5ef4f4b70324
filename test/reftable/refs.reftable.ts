import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { discoverRepo } from '../../src/git/repo.js';
import { openRepository } from '../../src/store/repository.js';
import { sync } from '../../src/store/sync.js';
import { guardYaml, notesOf, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { fakeOid, makeRecord } from '../store/helpers.js';

// ℛ in reftable repositories (git 3.0's default ref backend): guardloop never writes a loose ref
// there — it reads with `git rev-parse` and swaps with `git update-ref <ref> <new> <old>` — so git
// sees ℛ, keeps its objects through `git gc --prune=now`, and `git notes` reads it. Run with a
// git >= 2.45 first on PATH (the global setup finds or builds one).

const GIT = inject('reftableGit');
const SKIP = inject('reftableSkip');
if (GIT && GIT !== 'git') process.env.PATH = `${dirname(GIT)}:${process.env.PATH}`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  const res = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' } });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr}`);
  return res.stdout.trim();
}

function initArgs(format: 'sha1' | 'sha256'): string[] {
  return ['init', '-q', '--ref-format=reftable', `--object-format=${format}`, '-b', 'main'];
}

// The test repository again, as a reftable repository of this hash.
function asReftable(repo: TestRepo, format: 'sha1' | 'sha256'): void {
  rmSync(join(repo.dir, '.git'), { recursive: true, force: true });
  repo.git(...initArgs(format));
  for (const [k, v] of [['user.name', 'Test User'], ['user.email', 'test@example.com'], ['gc.auto', '0'], ['commit.gpgsign', 'false']]) repo.git('config', k, v);
}

function scratchRepo(format: 'sha1' | 'sha256', bare = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'gl-reftable-'));
  dirs.push(dir);
  git(dir, ...initArgs(format), ...(bare ? ['--bare'] : []));
  if (!bare) for (const [k, v] of [['user.name', 'Test User'], ['user.email', 'test@example.com'], ['gc.auto', '0']]) git(dir, 'config', k, v);
  return dir;
}

describe.skipIf(!GIT)(`ℛ in reftable repositories${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  for (const format of ['sha1', 'sha256'] as const) {
    it(`${format}: guarded commits record into reftable; git notes reads them; they survive git gc --prune=now; log, show, doctor work`, () =>
      withGitRepo(async (repo) => {
        asReftable(repo, format);
        expect(repo.git('rev-parse', '--show-ref-format')).toBe('reftable');
        expect(await discoverRepo(repo.dir)).toMatchObject({ objectFormat: format, refStorage: 'reftable', head: null });
        repo.installHook();
        repo.config(`guards:\n${guardYaml('ok', 'git diff --cached --name-only', '    layer: test\n')}`);
        repo.write('a.txt', 'hello\n');
        repo.git('add', '-A');
        const first = await repo.commit('first');
        expect(first.code, first.stderr).toBe(0);
        expect(first.stderr).toContain('ACCEPTED');
        // A second commit, with unstaged work (temporary checkout), moves the ref from an existing value.
        repo.write('b.txt', 'b\n');
        repo.git('add', 'b.txt');
        repo.write('a.txt', 'unstaged\n');
        const second = await repo.commit('second');
        expect(second.code, second.stderr).toBe(0);
        const trees = [repo.git('rev-parse', 'HEAD~1^{tree}'), repo.git('rev-parse', 'HEAD^{tree}')];
        // No loose ref: the ref lives in the reftable, where git itself finds it.
        expect(existsSync(join(repo.dir, '.git', 'refs', 'notes', 'guardloop'))).toBe(false);
        expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/notes/')).toBe('refs/notes/guardloop');
        const listed = repo.git('notes', '--ref', 'guardloop', 'list').split('\n').map((l) => l.split(' ')[1]);
        expect(listed.sort()).toEqual([...trees].sort());
        const ids = trees.map((t) => (notesOf(repo, t)[0] as { id: string }).id);
        // git wrote the reflog for the updates it made.
        expect(repo.git('reflog', 'show', '--format=%gs', 'refs/notes/guardloop').split('\n')[0]).toMatch(/^guardloop: record /);
        repo.git('gc', '-q', '--prune=now');
        expect(repo.git('count-objects', '-v').split('\n').find((l) => l.startsWith('count:'))).toBe('count: 0');
        expect(repo.git('fsck', '--no-progress', '--no-dangling')).toBe('');
        expect(repo.git('notes', '--ref', 'guardloop', 'list').split('\n')).toHaveLength(2);
        const log = await repo.cli(['log', '--json']);
        expect(log.code, log.stderr).toBe(0);
        expect(log.stdout.trim().split('\n').map((l) => JSON.parse(l).id).sort()).toEqual([...ids].sort());
        const shown = await repo.cli(['show', 'HEAD']);
        expect(shown.code, shown.stderr).toBe(0);
        expect(shown.stdout).toContain(`record ${ids[1]}`);
        const doctor = JSON.parse((await repo.cli(['doctor', '--json'])).stdout);
        expect(doctor).toMatchObject({ objectFormat: format, refStorage: 'reftable', records: 2, notes: 2, lock: null });
        expect(doctor.problems.filter((p: string) => !p.includes('mergeStrategy'))).toEqual([]);
      }));
  }

  it('the compare-and-swap is git\'s: a native writer moving the ref mid-update makes guardloop rebuild on its tip, losing nothing', async () => {
    const dir = scratchRepo('sha256');
    const repo = await openRepository({ cwd: dir });
    expect(repo.notes.refStorage).toBe('reftable');
    await repo.append([makeRecord(fakeOid('base').padEnd(64, '0'))]);
    const human = git(dir, 'hash-object', '-w', '--stdin');
    let calls = 0;
    await repo.notes.update(async (_tip, root) => {
      calls++;
      // The first time round, plain git adds a note after guardloop read the tip.
      if (calls === 1) git(dir, 'notes', '--ref=guardloop', 'add', '-m', 'from a person', human);
      const text = Buffer.from(`${(await repo.notes.noteIn(root, human))?.toString('utf8') ?? ''}guardloop line\n`);
      return { notes: new Map([[human, text]]), message: 'guardloop: test' };
    });
    expect(calls).toBe(2);
    expect(git(dir, 'notes', '--ref=guardloop', 'show', human)).toBe('from a person\nguardloop line');
    expect(await repo.byTree(fakeOid('base').padEnd(64, '0'))).toHaveLength(1);
    await repo.close();
  });

  it('a dead guardloop holder\'s lock is taken over, and sync works between reftable clones', async () => {
    const remote = scratchRepo('sha1', true);
    const [a, b] = [scratchRepo('sha1'), scratchRepo('sha1')];
    for (const d of [a, b]) git(d, 'remote', 'add', 'origin', remote);
    const ra = await openRepository({ cwd: a });
    const rb = await openRepository({ cwd: b });
    // guardloop's own lock for a ref git keeps in the reftable (git's lock is git's).
    const lockPath = ra.notes.refFile.lockPath;
    expect(lockPath).toBe(join(a, '.git', 'guardloop', 'locks', 'refs', 'notes', 'guardloop.lock'));
    await ra.append([makeRecord(fakeOid('a0'))]);
    writeFileSync(lockPath, `guardloop pid=999999 host=${hostname()} t=0\n`);
    const aRec = makeRecord(fakeOid('a1'));
    await ra.append([aRec]);
    expect(existsSync(lockPath)).toBe(false);
    const bRec = makeRecord(fakeOid('b1'));
    await rb.append([bRec]);
    expect((await sync(ra, 'origin')).pushed).toBe(true);
    expect(await sync(rb, 'origin')).toMatchObject({ merged: 2, pushed: true });
    await sync(ra, 'origin');
    expect(git(a, 'rev-parse', 'refs/notes/remotes/origin/guardloop')).toBe(git(a, 'rev-parse', 'refs/notes/guardloop'));
    for (const r of [ra, rb]) expect((await r.log()).map((x) => x.id)).toEqual(expect.arrayContaining([aRec.id, bRec.id]));
    await ra.close();
    await rb.close();
  });
});
