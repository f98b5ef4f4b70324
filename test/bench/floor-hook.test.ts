import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT, withGitRepo } from '../helpers/git-repo.js';

// bench/commit.mjs's floor row (a minimal Node hook writing a record) must do what it claims, or the
// floor it prints is not a floor: run the guard, write one note per commit on the committed tree.
describe('bench/floor-hook.cjs: the minimal Node pre-commit hook of the commit benchmark', () => {
  it('writes one JSON note per commit on the committed tree, chained on the notes ref', async () => {
    await withGitRepo(async (repo) => {
      repo.write('.hooks/pre-commit', `#!/bin/sh\nexec "${process.execPath}" "${join(PROJECT, 'bench', 'floor-hook.cjs')}"\n`);
      chmodSync(join(repo.dir, '.hooks', 'pre-commit'), 0o755);
      repo.git('config', 'core.hooksPath', '.hooks');
      for (const n of [1, 2]) {
        repo.write('file.txt', `change ${n}\n`);
        repo.git('add', '-A');
        repo.git('commit', '-q', '-m', `commit ${n}`);
        const tree = repo.git('rev-parse', 'HEAD^{tree}');
        const note = JSON.parse(repo.git('cat-file', 'blob', `refs/notes/bench-floor:${tree}`));
        expect(note).toMatchObject({ tree, verdict: 'ACCEPTED' });
      }
      expect(repo.git('rev-list', '--count', 'refs/notes/bench-floor')).toBe('2');
    });
  });
});
