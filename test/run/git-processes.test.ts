import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, stopPayload, turnStart } from '../agents/helpers.js';

// Every git process guardloop starts costs a commit a few ms (most of it Node's spawn, on the main
// thread): the hook's path starts only the ones listed here. Counted with git's own trace2 events;
// processes git starts itself (fast-import's unpack-objects) have a nested session id and aren't
// guardloop's.
function gitProcesses(traceFile: string): string[] {
  const starts = readFileSync(traceFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event: string; sid: string; argv?: string[] })
    .filter((e) => e.event === 'start' && !e.sid.includes('/'));
  return starts.map((e) => (e.argv ?? []).slice(1).filter((a) => !a.startsWith('-') && !a.includes('=')).slice(0, 1).join(' ')).sort();
}

describe('git processes on the hook path', () => {
  it('a commit hook on new content starts 5 git processes, a cache hit 2', () =>
    withGitRepo(async (repo) => {
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      repo.git('commit', '-qm', 'base', '--no-verify');
      // The first run fills the config cache; the runs counted are the next ones.
      repo.write('a.txt', 'b\n');
      repo.git('add', '-A');
      expect((await repo.cli(['run', '--hook', 'pre-commit'])).code).toBe(0);
      repo.write('a.txt', 'c\n');
      repo.git('add', '-A');
      const trace = join(repo.dir, '.git', 'trace2.json');
      const fresh = await repo.cli(['run', '--hook', 'pre-commit'], { env: { GIT_TRACE2_EVENT: trace } });
      expect(fresh.code, fresh.stderr).toBe(0);
      // The engine: the staged tree, what changed since HEAD (diffed once the cache has missed, while
      // the guard runs); ℛ: the reader, the new notes commit, the ref's compare-and-swap. Whether the
      // work tree is the index's, before the guard and after it, is read from the index file and the
      // files' stat data (git/worktree-match.ts): no diff --quiet, no diff-index. (write-tree runs:
      // `git add` left the cache-tree invalid; in a real `git commit` the index names its tree.)
      expect(gitProcesses(trace)).toEqual(['cat-file', 'diff', 'fast-import', 'update-ref', 'write-tree']);
      rmSync(trace);
      const hit = await repo.cli(['run', '--hook', 'pre-commit'], { env: { GIT_TRACE2_EVENT: trace } });
      expect(hit.stderr).toContain('ACCEPTED (cached)');
      // No guard has `files`, so no diff is read before the cache answers: a hit pays none.
      expect(gitProcesses(trace)).toEqual(['cat-file', 'write-tree']);
    }));

  it('inside a real `git commit` (the index names its tree) new content starts 4, the same tree again 1', () =>
    withGitRepo(async (repo) => {
      const trace = join(repo.dir, '.git', 'trace2.json');
      repo.installHook();
      // Only guardloop's processes are traced (git commit's own trace stays off: they are top-level).
      repo.write('.husky/pre-commit', 'GIT_TRACE2_EVENT="$TRACE" guardloop run --hook pre-commit\n');
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      expect((await repo.commit('first', [], { TRACE: trace })).code).toBe(0);
      rmSync(trace);
      repo.write('a.txt', 'b\n');
      repo.git('add', '-A');
      const fresh = await repo.commit('second', [], { TRACE: trace });
      expect(fresh.code, fresh.stderr).toBe(0);
      // git commit wrote the index's cache-tree before the hook: no write-tree; and no diff --quiet.
      expect(gitProcesses(trace)).toEqual(['cat-file', 'diff', 'fast-import', 'update-ref']);
      rmSync(trace);
      const again = await repo.commit('second', ['--amend', '--no-edit'], { TRACE: trace });
      expect(again.code, again.stderr).toBe(0);
      expect(gitProcesses(trace)).toEqual(['cat-file']);
    }));

  it("an agent's stop with nothing changed since the ACCEPTED tree of its turn's base starts 3", () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      expect((await repo.cli(['run', '--hook', 'pre-commit'])).code).toBe(0);
      repo.git('commit', '-qm', 'checked', '--no-verify');
      installTranscript(repo);
      await turnStart(repo);
      // The first stop fills the committed config's cache; the one counted is the next.
      expect((await hook(repo, 'claude', stopPayload('claude', repo.dir))).code).toBe(0);
      const trace = join(repo.dir, '.git', 'trace2.json');
      const reply = await hook(repo, 'claude', stopPayload('claude', repo.dir), { env: { GIT_TRACE2_EVENT: trace } });
      expect(reply).toMatchObject({ code: 0, stdout: '' });
      // ℛ's reader (opened once for the trusted base and the run), the work tree as a tree (a private
      // index: add, then write-tree). The candidate is the base's own tree: no protected-path diff.
      expect(gitProcesses(trace)).toEqual(['add', 'cat-file', 'write-tree']);
    }));

  it("the recorded diff has git's a/ b/ prefixes whatever diff.mnemonicPrefix and diff.noprefix say", () =>
    withGitRepo(async (repo) => {
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      repo.git('config', 'diff.mnemonicPrefix', 'true');
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      const first = await repo.cli(['run', '--hook', 'pre-commit', '--json']);
      expect(JSON.parse(first.stdout).artifact.diff).toContain('diff --git a/a.txt b/a.txt');
      repo.git('config', 'diff.noprefix', 'true');
      repo.write('a.txt', 'b\n');
      repo.git('add', '-A');
      const second = await repo.cli(['run', '--hook', 'pre-commit', '--json']);
      expect(JSON.parse(second.stdout).artifact.diff).toContain('diff --git a/a.txt b/a.txt\nnew file mode');
    }));
});
