import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';

describe("a guard's cwd", () => {
  it('a cwd that is a file or does not exist is an error verdict that says so (never an internal error)', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(`guards:\n${guardYaml('in-file', 'pwd', '    cwd: package.json\n')}${guardYaml('nowhere', 'pwd', '    cwd: missing/dir\n')}`);
      repo.git('add', '-A');
      const res = await repo.cli(['run', '--json']);
      expect(res.code).toBe(1);
      expect(res.stderr).not.toContain('internal error');
      const rec = JSON.parse(res.stdout);
      for (const v of rec.verdicts) {
        expect(v.status).toBe('error');
        expect(v.feedback).toContain('is not a directory of the candidate');
      }
    }));

  it('a cwd inside .git is refused when the config loads, with file:line', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(`guards:\n${guardYaml('git-dir', 'pwd', '    cwd: .git/hooks\n')}`);
      const res = await repo.cli(['run']);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/\.loop\/config\.yaml:\d+:\d+/);
      expect(res.stderr).toContain('is inside .git');
    }));
});
