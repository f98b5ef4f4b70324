import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, exec, guardYaml, withGitRepo } from '../helpers/git-repo.js';
import { addWorktree } from '../setup/helpers.js';

// A guard that calls a tool installed in node_modules/.bin (the ready-made guards call `guardloop
// check …`) works in a linked worktree that has no node_modules of its own: the main worktree's
// node_modules/.bin is on the guard's PATH after the worktree's.
describe("guards in a worktree without node_modules", () => {
  it("find the main worktree's node_modules/.bin tools", () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(`guards:\n${guardYaml('local-tool', 'guardloop --version')}`);
      repo.git('add', '-A');
      expect((await repo.commit('base')).code).toBe(0);
      const worktree = addWorktree(repo);
      const wt = worktree.dir;
      try {
        const res = await exec('sh', ['-c', 'echo w > w.txt && git add w.txt && node "$CLI" run --hook pre-commit --json'], { cwd: wt, env: { ...cleanEnv(), CLI: join(repo.dir, 'node_modules', '.bin', 'guardloop') } });
        expect(res.code, res.stderr).toBe(0);
        expect(JSON.parse(res.stdout).verdicts).toMatchObject([{ guard: 'local-tool', status: 'pass' }]);
        repo.git('worktree', 'remove', '--force', wt);
      } finally {
        worktree.done();
      }
    }));
});
