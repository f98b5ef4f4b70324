import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCandidateDiff } from '../../src/audit/weakening/read-diff.js';
import { cleanEnv, withGitRepo } from '../helpers/git-repo.js';
import { commitBase } from './helpers.js';

describe('the candidate diff (one git diff between the base and the candidate tree)', () => {
  it('names unusual paths as they are, numbers added and removed lines, and tells deleted, new, renamed and binary files', () =>
    withGitRepo(async (repo) => {
      // Settings that would change what git prints: no a/ b/ prefixes, context between hunks, relative paths.
      repo.git('config', 'diff.noprefix', 'true');
      repo.git('config', 'diff.interHunkContext', '3');
      repo.git('config', 'diff.relative', 'true');
      const base = commitBase(repo, {
        'test/ünï cödé "q".test.ts': 'a\nb\nc\nd\ne\nf\n',
        'gone.txt': 'x\ny\n',
        'old name.txt': 'one\ntwo\nthree\nfour\nfive\n',
      });
      repo.write('test/ünï cödé "q".test.ts', 'a\nB\nc\nd\ne\nF\nG\n');
      repo.git('rm', '-q', 'gone.txt', 'old name.txt');
      repo.write('new name.txt', 'one\ntwo\nthree\nfour\nfive\nsix\n');
      repo.write('empty.test.ts', '');
      writeFileSync(join(repo.dir, 'blob.bin'), Buffer.from([0, 1, 2, 0, 255]));
      repo.git('add', '-A');
      const tree = repo.git('write-tree');
      const diff = await readCandidateDiff({ cwd: join(repo.dir, 'test'), env: cleanEnv({ GUARDLOOP_BASE: base, GUARDLOOP_TREE: tree }) });
      expect(diff).toMatchObject({ base, tree });
      const byPath = Object.fromEntries(diff.files.map((f) => [f.newPath ?? f.oldPath, f]));
      expect(Object.keys(byPath).sort()).toEqual(['blob.bin', 'empty.test.ts', 'gone.txt', 'new name.txt', 'test/ünï cödé "q".test.ts']);
      expect(byPath['test/ünï cödé "q".test.ts']).toEqual({
        oldPath: 'test/ünï cödé "q".test.ts',
        newPath: 'test/ünï cödé "q".test.ts',
        binary: false,
        added: [
          { line: 2, text: 'B' },
          { line: 6, text: 'F' },
          { line: 7, text: 'G' },
        ],
        removed: [
          { line: 2, at: 2, text: 'b' },
          { line: 6, at: 6, text: 'f' },
        ],
      });
      expect(byPath['gone.txt']).toMatchObject({ oldPath: 'gone.txt', newPath: null, removed: [{ line: 1, at: 1, text: 'x' }, { line: 2, at: 1, text: 'y' }] });
      expect(byPath['new name.txt']).toMatchObject({ oldPath: 'old name.txt', newPath: 'new name.txt', added: [{ line: 6, text: 'six' }], removed: [] });
      expect(byPath['empty.test.ts']).toMatchObject({ oldPath: null, newPath: 'empty.test.ts', added: [], removed: [] });
      expect(byPath['blob.bin']).toMatchObject({ oldPath: null, newPath: 'blob.bin', binary: true, added: [] });
    }));

  it('`guardloop check` exits 2 with the list of checks on a missing or unknown name, and on a base git cannot read', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, { 'a.txt': 'a\n' });
      const none = await repo.cli(['check']);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('guardloop check: name a check. Checks: no-focused-or-skipped-tests, no-deleted-tests, no-removed-assertions, no-lowered-coverage, no-suppression-comments, no-snapshot-with-code.');
      const unknown = await repo.cli(['check', 'no-skips']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('unknown check "no-skips"');
      const bad = await repo.cli(['check', 'no-deleted-tests'], { env: { GUARDLOOP_BASE: 'no-such-rev' } });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("bad revision 'no-such-rev'");
      expect(bad.stdout).toBe('');
    }));
});
