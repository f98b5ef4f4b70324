import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readIndexFile } from '../../src/git/index-file.js';
import { reinitAsSha256, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

// What git itself says the index holds: `git ls-files --stage` (mode, id, stage, path).
function gitStage(repo: TestRepo): string[] {
  return repo
    .git('ls-files', '--stage', '-z')
    .split('\0')
    .filter(Boolean);
}

function ourStage(repo: TestRepo, hashLen = 20): string[] {
  const index = readIndexFile(join(repo.dir, '.git', 'index'), hashLen);
  expect(index).not.toBeNull();
  return index!.entries.map((e) => `${e.mode.toString(8)} ${e.oid} ${e.stage}\t${e.path}`);
}

function populate(repo: TestRepo): void {
  repo.write('a.txt', 'a\n');
  repo.write('dir/b.txt', 'b\n');
  repo.write('dir/deeper/c.txt', 'c\n');
  // Names of every length modulo 8 (the padding after each name), a long one, spaces and non-ASCII.
  for (let i = 1; i <= 9; i++) repo.write(`p/${'x'.repeat(i)}`, `${i}\n`);
  repo.write(`long/${'n'.repeat(200)}/${'m'.repeat(200)}.txt`, 'long\n');
  repo.write('spaced dir/é ü.txt', 'x\n');
  repo.git('add', '-A');
}

describe("the index file read in-process (git's index-format)", () => {
  it('reads every entry of versions 2, 3 and 4 as git lists them', () =>
    withGitRepo(async (repo) => {
      populate(repo);
      expect(ourStage(repo)).toEqual(gitStage(repo));
      expect(readIndexFile(join(repo.dir, '.git', 'index'), 20)!.version).toBe(2);
      // Version 3: an intent-to-add entry carries the extended flags.
      repo.write('later.txt', 'later\n');
      repo.git('add', '-N', 'later.txt');
      const v3 = readIndexFile(join(repo.dir, '.git', 'index'), 20)!;
      expect(v3.version).toBe(3);
      expect(v3.entries.find((e) => e.path === 'later.txt')!.intentToAdd).toBe(true);
      expect(v3.entries.filter((e) => e.intentToAdd).map((e) => e.path)).toEqual(['later.txt']);
      expect(ourStage(repo)).toEqual(gitStage(repo));
      // Version 4: paths prefix-compressed, no padding.
      repo.git('update-index', '--index-version', '4');
      const v4 = readIndexFile(join(repo.dir, '.git', 'index'), 20)!;
      expect(v4.version).toBe(4);
      expect(ourStage(repo)).toEqual(gitStage(repo));
      // Skip-worktree is read from the extended flags too.
      repo.git('update-index', '--skip-worktree', 'a.txt');
      expect(readIndexFile(join(repo.dir, '.git', 'index'), 20)!.entries.find((e) => e.path === 'a.txt')!.skipWorktree).toBe(true);
    }));

  it("gives the cache-tree's root only while it is the tree git would write", () =>
    withGitRepo(async (repo) => {
      populate(repo);
      // `git add` leaves the changed paths' trees invalid: no root.
      expect(readIndexFile(join(repo.dir, '.git', 'index'), 20)!.tree).toBeNull();
      // write-tree stores the trees it wrote in the index.
      const written = repo.git('write-tree');
      const index = readIndexFile(join(repo.dir, '.git', 'index'), 20)!;
      expect(index.tree).toBe(written);
      expect(index.extensions).toContain('TREE');
      repo.write('a.txt', 'changed\n');
      repo.git('add', 'a.txt');
      expect(readIndexFile(join(repo.dir, '.git', 'index'), 20)!.tree).toBeNull();
      // A commit updates the cache-tree as it writes the tree.
      repo.git('commit', '-q', '--no-verify', '-m', 'c');
      expect(readIndexFile(join(repo.dir, '.git', 'index'), 20)!.tree).toBe(repo.git('rev-parse', 'HEAD^{tree}'));
    }));

  it('reads the ids of a SHA-256 repository', () =>
    withGitRepo(async (repo) => {
      reinitAsSha256(repo);
      populate(repo);
      expect(ourStage(repo, 32)).toEqual(gitStage(repo));
      expect(readIndexFile(join(repo.dir, '.git', 'index'), 32)!.entries[0].oid).toMatch(/^[0-9a-f]{64}$/);
    }));

  it('gives up (null) on what it does not know: no index, another format, a truncated file', () =>
    withGitRepo(async (repo) => {
      expect(readIndexFile(join(repo.dir, '.git', 'index'), 20)).toBeNull();
      repo.write('not-an-index', 'hello world, this is not DIRC\n');
      expect(readIndexFile(join(repo.dir, 'not-an-index'), 20)).toBeNull();
      populate(repo);
      writeFileSync(join(repo.dir, 'truncated'), readFileSync(join(repo.dir, '.git', 'index')).subarray(0, 100));
      expect(readIndexFile(join(repo.dir, 'truncated'), 20)).toBeNull();
    }));
});
