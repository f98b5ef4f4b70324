import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guardYaml, notesOf, withGitRepo } from '../helpers/git-repo.js';

describe('a temporary checkout with a tracked file whose name is not UTF-8 (rvbig)', () => {
  it("a check-only guard's edit to that file is not accepted as a pass", () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      // Edits only the Latin-1 file (`lat\xe9n.txt`), as a formatter run by mistake would.
      repo.config(`guards:\n${guardYaml('sneaky', 'for f in lat*; do echo changed >> "$f"; done')}`);
      writeFileSync(Buffer.concat([Buffer.from(`${repo.dir}/`), Buffer.from('lat\xe9n.txt', 'latin1')]), 'original\n');
      repo.write('a.txt', 'a\n');
      repo.write('b.txt', 'b\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '--no-verify', '-m', 'base');
      expect(repo.git('ls-files')).toContain('"lat\\351n.txt"');
      // Partially staged: the guards run in a temporary checkout of the staged content.
      repo.write('a.txt', 'a, staged\n');
      repo.git('add', 'a.txt');
      repo.write('b.txt', 'b, unstaged\n');
      const head = repo.git('rev-parse', 'HEAD');
      const staged = repo.git('write-tree');
      const res = await repo.commit('attempt');
      // The guard changed a tracked file of the candidate: its verdict is not on the staged content.
      expect(res.code, res.stderr).not.toBe(0);
      expect(repo.git('rev-parse', 'HEAD')).toBe(head);
      expect(notesOf(repo, staged).filter((r) => r.status === 'ACCEPTED')).toEqual([]);
      // The user's files are as they were.
      expect(repo.read('b.txt')).toBe('b, unstaged\n');
      expect(repo.git('diff', '--cached', '--name-only')).toBe('a.txt');
    }));
});
