import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { worktreeCandidate } from '../../src/git/candidate.js';
import { discoverRepo } from '../../src/git/repo.js';
import { withGitRepo } from '../helpers/git-repo.js';

// An agent's edit that keeps a file's size and lands in the index's own second is one git finds only
// by the racy-clean rule (a file no older than the index is compared by content). The stop's private
// copy of the index must keep the index's times, or the edit is judged as the old content.
describe("a stop's candidate and git's racy-clean rule", () => {
  it('sees a same-size edit made in the second the index was written', () =>
    withGitRepo(async (repo) => {
      // ctime changes on every write and can't be set: without trustctime the file's identity is its
      // size, mtime and inode, which the test sets to those the index recorded.
      repo.git('config', 'core.trustctime', 'false');
      const file = join(repo.dir, 'a.txt');
      const t = new Date('2020-01-01T00:00:00Z');
      writeFileSync(file, 'a0\n');
      utimesSync(file, t, t);
      repo.git('add', 'a.txt');
      repo.git('commit', '-q', '--no-verify', '-m', 'a0');
      // The index written in that same second, then the edit: same size, same mtime, same inode.
      utimesSync(join(repo.dir, '.git', 'index'), t, t);
      writeFileSync(file, 'a1\n');
      utimesSync(file, t, t);
      const info = await discoverRepo(repo.dir, process.env);
      const { tree } = await worktreeCandidate(info, undefined);
      expect(repo.git('cat-file', '-p', `${tree}:a.txt`)).toBe('a1');
    }));
});
