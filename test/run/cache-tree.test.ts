import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, notesOf, reinitAsSha256, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

// The git commands (first word) a run started itself, from git's trace2 events (top-level sessions only).
function gitCommands(traceFile: string): string[] {
  return readFileSync(traceFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event: string; sid: string; argv?: string[] })
    .filter((e) => e.event === 'start' && !e.sid.includes('/'))
    .map((e) => (e.argv ?? []).slice(1).find((a) => !a.startsWith('-') && !a.includes('=')) ?? '');
}

// A committed base of a few files in folders, one change staged on top.
function baseAndChange(repo: TestRepo): void {
  repo.config(`guards:\n${guardYaml('ok', 'true')}`);
  repo.write('a.txt', 'a\n');
  repo.write('src/one.txt', 'one\n');
  repo.write('src/deep/two.txt', 'two\n');
  repo.write('far/three.txt', 'three\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'base');
  repo.write('src/one.txt', 'one, changed\n');
  repo.git('add', 'src/one.txt');
}

// Runs the pre-commit hook by hand, traced: whether it wrote the tree itself.
async function run(repo: TestRepo): Promise<{ code: number | null; wroteTree: boolean; stderr: string }> {
  const trace = join(repo.dir, '.git', 'trace2.json');
  rmSync(trace, { force: true });
  const res = await repo.cli(['run', '--hook', 'pre-commit'], { env: { GIT_TRACE2_EVENT: trace } });
  const wroteTree = gitCommands(trace).includes('write-tree');
  rmSync(trace, { force: true });
  return { code: res.code, wroteTree, stderr: res.stderr };
}

// Whether ℛ holds a record on the tree (the note on the tree object).
function recordedOn(repo: TestRepo, tree: string): boolean {
  return notesOf(repo, tree).length > 0;
}

describe("the index's own tree (cache-tree) instead of git write-tree", () => {
  it('is used when the index names a tree git has written, and the record is on that tree', () =>
    withGitRepo(async (repo) => {
      baseAndChange(repo);
      // write-tree stores the trees it wrote in the index's cache-tree, as `git commit` does before its hook.
      const tree = repo.git('write-tree');
      const res = await run(repo);
      expect(res.code, res.stderr).toBe(0);
      expect(res.wroteTree).toBe(false);
      expect(recordedOn(repo, tree)).toBe(true);
    }));

  it('is not used when an entry changed since (its trees are invalid): write-tree answers', () =>
    withGitRepo(async (repo) => {
      baseAndChange(repo);
      repo.git('write-tree');
      repo.write('src/deep/two.txt', 'two, changed\n');
      repo.git('add', 'src/deep/two.txt');
      const res = await run(repo);
      expect(res.code, res.stderr).toBe(0);
      expect(res.wroteTree).toBe(true);
      expect(recordedOn(repo, repo.git('write-tree'))).toBe(true);
    }));

  it('is not used with an intent-to-add entry (left out of the tree), nor on a conflict (which still fails as before)', () =>
    withGitRepo(async (repo) => {
      baseAndChange(repo);
      repo.git('write-tree');
      repo.write('new.txt', 'new\n');
      repo.git('add', '-N', 'new.txt');
      const ita = await run(repo);
      expect(ita.code, ita.stderr).toBe(0);
      expect(ita.wroteTree).toBe(true);
      const tree = repo.git('write-tree');
      expect(repo.git('ls-tree', '-r', '--name-only', tree)).not.toContain('new.txt');
      expect(recordedOn(repo, tree)).toBe(true);
      // A conflict: write-tree refuses, and so does the run.
      repo.git('rm', '-q', '--cached', 'new.txt');
      repo.git('commit', '-q', '--no-verify', '-m', 'one');
      repo.git('checkout', '-q', '-b', 'other', 'HEAD~1');
      repo.write('a.txt', 'other\n');
      repo.git('commit', '-q', '--no-verify', '-am', 'other');
      repo.git('checkout', '-q', 'main');
      repo.write('a.txt', 'main\n');
      repo.git('commit', '-q', '--no-verify', '-am', 'main');
      expect(() => repo.git('merge', '-q', 'other')).toThrow();
      const conflict = await run(repo);
      expect(conflict.code).not.toBe(0);
      expect(conflict.wroteTree).toBe(true);
    }));

  it('is not used with a split or a sparse index, nor when the tree is only in a pack', () =>
    withGitRepo(async (repo) => {
      baseAndChange(repo);
      repo.git('update-index', '--split-index');
      const split = repo.git('write-tree');
      expect(readdirSync(join(repo.dir, '.git')).some((n) => n.startsWith('sharedindex.'))).toBe(true);
      const a = await run(repo);
      expect([a.code, a.wroteTree]).toEqual([0, true]);
      expect(recordedOn(repo, split)).toBe(true);
      repo.git('update-index', '--no-split-index');
      repo.git('commit', '-q', '--no-verify', '-m', 'two');

      repo.git('sparse-checkout', 'set', '--cone', '--sparse-index', 'src', '.loop');
      repo.write('src/deep/two.txt', 'two, sparse\n');
      repo.git('add', 'src/deep/two.txt');
      const sparse = repo.git('write-tree');
      expect(repo.git('ls-files', '--sparse')).toContain('far/');
      const b = await run(repo);
      expect([b.code, b.wroteTree]).toEqual([0, true]);
      expect(recordedOn(repo, sparse)).toBe(true);
      repo.git('sparse-checkout', 'disable');
      repo.git('commit', '-q', '--no-verify', '-m', 'three');

      repo.write('a.txt', 'packed\n');
      repo.git('add', 'a.txt');
      const packed = repo.git('write-tree');
      repo.git('repack', '-adq');
      repo.git('prune-packed');
      const c = await run(repo);
      expect([c.code, c.wroteTree]).toEqual([0, true]);
      expect(recordedOn(repo, packed)).toBe(true);
    }));

  it('is used in a SHA-256 repository and with index version 4', () =>
    withGitRepo(async (repo) => {
      reinitAsSha256(repo);
      baseAndChange(repo);
      const tree = repo.git('write-tree');
      expect(tree).toMatch(/^[0-9a-f]{64}$/);
      const a = await run(repo);
      expect([a.code, a.wroteTree]).toEqual([0, false]);
      expect(recordedOn(repo, tree)).toBe(true);
      repo.git('update-index', '--index-version', '4');
      repo.write('far/three.txt', 'three, v4\n');
      repo.git('add', 'far/three.txt');
      const v4 = repo.git('write-tree');
      const b = await run(repo);
      expect([b.code, b.wroteTree]).toEqual([0, false]);
      expect(recordedOn(repo, v4)).toBe(true);
    }));

  it('in real commits (as they are, -a, of a path, --amend, SHA-256) the record is on the commit\'s tree; a plain one writes none itself', () =>
    withGitRepo(async (repo) => {
      const trace = join(repo.dir, '.git', 'trace2.json');
      const commit = async (args: string[]) => {
        rmSync(trace, { force: true });
        const res = await repo.commit('c', args, { TRACE: trace });
        expect(res.code, res.stderr).toBe(0);
        expect(recordedOn(repo, repo.git('rev-parse', 'HEAD^{tree}'))).toBe(true);
        return gitCommands(trace).includes('write-tree');
      };
      for (const format of ['sha1', 'sha256'] as const) {
        if (format === 'sha256') reinitAsSha256(repo);
        repo.installHook();
        // git's own trace of the commit stays off: only guardloop's processes are traced, top-level.
        repo.write('.husky/pre-commit', 'GIT_TRACE2_EVENT="$TRACE" guardloop run --hook pre-commit\n');
        baseAndChange(repo);
        // git commit updates the index's cache-tree (and writes the trees) before it runs the hook.
        expect(await commit([])).toBe(false);
        repo.write('a.txt', 'all\n');
        expect(await commit(['-a'])).toBe(false);
        repo.write('src/deep/two.txt', 'only this\n');
        repo.write('far/three.txt', 'staged, not committed\n');
        repo.git('add', 'far/three.txt');
        // A commit of named paths gets a fresh index with no cache-tree: write-tree answers.
        expect(await commit(['src/deep/two.txt'])).toBe(true);
        expect(repo.git('show', 'HEAD:far/three.txt')).toBe('three');
        repo.write('a.txt', 'amended\n');
        repo.git('add', 'a.txt');
        await commit(['--amend', '--no-edit']);
      }
    }));
});
