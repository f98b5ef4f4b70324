import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, exec, withGitRepo } from '../helpers/git-repo.js';

// A reader that closes the pipe first (`guardloop audit | head -1`) ends the command quietly, never
// with an EPIPE stack trace. `true` exits before Node has started, so the pipe is always closed by
// the time guardloop writes: the case is the same on every run.
describe('a closed stdout', () => {
  it('audit and log into a pipe whose reader is gone exit without a stack trace', () =>
    withGitRepo(async (repo) => {
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'a');
      for (const args of ['audit', 'audit --json', 'log']) {
        // guardloop's own exit status, printed by the group itself (a pipeline's status is the reader's).
        const res = await exec('sh', ['-c', `{ node "${CLI}" ${args}; echo "guardloop exit $?" >&2; } | true`], { cwd: repo.dir, env: cleanEnv() });
        expect(res.stderr, args).not.toMatch(/EPIPE|at .*\.cjs|Error:/);
        expect(res.stderr, args).toMatch(/guardloop exit [01]\n/);
      }
    }));
});
