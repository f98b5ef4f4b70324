import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';

describe('a check-only guard that stages files in the temporary checkout', () => {
  it('fails with a verdict that says so (never a crash), and nothing it staged reaches your index through a later fix', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(
        `guards:\n${guardYaml('stager', 'echo BAD > n.txt && git add n.txt && rm n.txt')}${guardYaml('format', "sed -i 's/  */ /g' code.txt", '    fix: true\n')}`,
      );
      repo.write('code.txt', 'a   b\n');
      repo.git('add', '-A');
      repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'base');
      repo.write('code.txt', 'a   b   c\n');
      repo.git('add', 'code.txt');
      // An unstaged edit: the guards run in a temporary checkout.
      repo.write('code.txt', 'a   b   c\nunstaged\n');
      const head = repo.git('rev-parse', 'HEAD');
      const res = await repo.commit('x');
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('a guard changed the index');
      expect(res.stderr).not.toMatch(/internal error|write-tree failed|checkout-index/);
      expect(repo.git('rev-parse', 'HEAD')).toBe(head);
      expect(repo.git('ls-files')).not.toContain('n.txt');
    }));
});
