import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';
import { addRemote, installPushHook, verifiedCommit } from '../audit/helpers.js';

// Guards declared `on: [pre-push]` judge what is pushed, never the index: once the gate let the
// pushed commits through, each pushed tip is judged as a commit (its own tree in a temporary
// checkout) and a failure refuses the push. A push with no pre-push guard runs none.

const CONFIG = `guards:\n${guardYaml('ok', 'true')}${guardYaml('no-slow-bad', 'test ! -e slow-bad', '    on: [pre-push]\n')}`;

function notesOf(repo: { git(...a: string[]): string }, rev: string): Array<Record<string, any>> {
  return repo
    .git('notes', '--ref=guardloop', 'show', `${rev}^{tree}`)
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

describe('pre-push guards run on the pushed tip', () => {
  it('a failing pre-push guard on the pushed commit refuses the push, even when the index is clean; a passing one records pre-push ACCEPTED', () =>
    withGitRepo(async (repo) => {
      installPushHook(repo);
      repo.config(CONFIG);
      addRemote(repo);
      const bad = await verifiedCommit(repo, 'slow-bad', 'adds the file the pre-push guard refuses');
      // The index no longer holds the file: a run on the index would pass.
      repo.git('rm', '-q', '--cached', 'slow-bad');
      const refused = await repo.cli(['run', '--hook', 'pre-push', 'origin', 'origin'], { input: `refs/heads/main ${bad} refs/heads/main ${'0'.repeat(40)}\n` });
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain('no-slow-bad');
      expect(refused.stderr).toContain(`on the pushed commit ${bad.slice(0, 12)}`);
      // The gate's own line comes first, then the guards.
      expect(refused.stderr.indexOf('every one verified')).toBeLessThan(refused.stderr.indexOf('no-slow-bad'));
      expect(notesOf(repo, bad).map((r) => [r.hook, r.status])).toEqual([
        ['pre-commit', 'ACCEPTED'],
        ['pre-push', 'REJECTED'],
      ]);
      const push = repo.git.bind(repo);
      expect(() => push('push', '-q', 'origin', 'main')).toThrow();

      rmSync(join(repo.dir, 'slow-bad'));
      const good = await verifiedCommit(repo, 'fine.txt', 'removes it');
      const pushed = await repo.cli(['run', '--hook', 'pre-push', 'origin', 'origin'], { input: `refs/heads/main ${good} refs/heads/main ${'0'.repeat(40)}\n` });
      expect(pushed.code, pushed.stderr).toBe(0);
      expect(notesOf(repo, good).map((r) => [r.hook, r.status])).toEqual([
        ['pre-commit', 'ACCEPTED'],
        ['pre-push', 'ACCEPTED'],
      ]);
      repo.git('push', '-q', 'origin', 'main');
    }));

  it('with no pre-push guard declared, a push runs none and writes no record', () =>
    withGitRepo(async (repo) => {
      installPushHook(repo);
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      addRemote(repo);
      const sha = await verifiedCommit(repo, 'a.txt', 'a');
      repo.git('push', '-q', 'origin', 'main');
      expect(notesOf(repo, sha).map((r) => r.hook)).toEqual(['pre-commit']);
    }));
});
