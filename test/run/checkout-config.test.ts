import { describe, expect, it } from 'vitest';
import { guardYaml, notesOf, withGitRepo } from '../helpers/git-repo.js';

describe('the temporary checkout', () => {
  it('keeps the repository’s line-ending settings: `git diff --exit-code` inside it is clean under core.autocrlf', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.git('config', 'core.autocrlf', 'true');
      repo.config(`guards:\n${guardYaml('clean', 'git diff --exit-code')}`);
      repo.write('a.txt', 'one\r\ntwo\r\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'base');
      repo.write('a.txt', 'one\r\ntwo\r\nthree\r\n');
      repo.git('add', 'a.txt');
      // An unstaged edit: the guards run in a temporary checkout.
      repo.write('a.txt', 'one\r\ntwo\r\nthree\r\nfour\r\n');
      const res = await repo.cli(['run']);
      expect(res.stderr).toContain('temporary checkout');
      expect(res.code).toBe(0);
      expect(notesOf(repo, repo.git('write-tree'))[0]).toMatchObject({ status: 'ACCEPTED', isolated: true });
    }));
});
