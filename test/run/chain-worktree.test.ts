import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, exec, guardYaml, withGitRepo } from '../helpers/git-repo.js';
import { addWorktree } from '../setup/helpers.js';

// A person's chain of attempts belongs to one worktree: a rejection in a linked worktree is not the
// earlier attempt of an unrelated commit made in the main worktree on the same HEAD.
describe('chains per worktree', () => {
  it('a REJECTED attempt in a linked worktree does not become the provenance of an ACCEPTED commit in the main one', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(`guards:\n${guardYaml('no-fail', '! test -e FAIL')}`);
      repo.git('add', '-A');
      expect((await repo.commit('base')).code).toBe(0);
      const worktree = addWorktree(repo);
      const wt = worktree.dir;
      try {
        const env = cleanEnv();
        const rejected = await exec('sh', ['-c', 'touch FAIL && git add FAIL && node "$CLI" run --hook pre-commit --json'], { cwd: wt, env: { ...env, CLI: join(repo.dir, 'node_modules', '.bin', 'guardloop') } });
        expect(rejected.code).toBe(1);
        const rejectedId = JSON.parse(rejected.stdout).id;
        repo.write('other.txt', 'unrelated\n');
        repo.git('add', 'other.txt');
        const accepted = await repo.cli(['run', '--hook', 'pre-commit', '--json']);
        expect(accepted.code, accepted.stderr).toBe(0);
        const record = JSON.parse(accepted.stdout);
        expect(record.provenance).not.toContain(rejectedId);
        expect(record.retry).toBe(0);
        // In the worktree itself the chain goes on: its next attempt carries the rejection.
        const again = await exec('sh', ['-c', 'git rm -q --cached FAIL && rm FAIL && echo ok > ok.txt && git add ok.txt && node "$CLI" run --hook pre-commit --json'], { cwd: wt, env: { ...env, CLI: join(repo.dir, 'node_modules', '.bin', 'guardloop') } });
        expect(again.code, again.stderr).toBe(0);
        expect(JSON.parse(again.stdout)).toMatchObject({ retry: 1, provenance: [rejectedId] });
        repo.git('worktree', 'remove', '--force', wt);
      } finally {
        worktree.done();
      }
    }));
});
