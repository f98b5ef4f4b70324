import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, notesOf, withGitRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/processes.js';

describe('GUARDLOOP_TMPDIR given as a relative path (rvbig)', () => {
  it('holds the temporary checkout, and the checkout is removed after the run', () =>
    withGitRepo(async (repo) => {
      // Beside the repository, named from where the hook runs (the top of the work tree).
      const rel = `../${basename(repo.dir)}-scratch`;
      const root = join(resolve(repo.dir, rel), `guardloop-${process.getuid!()}`);
      const where = resolve(repo.dir, `../${basename(repo.dir)}-where`);
      try {
        repo.installHook();
        repo.config(`guards:\n${guardYaml('where', `pwd > '${where}'`)}`);
        repo.write('a.txt', 'a\n');
        repo.write('b.txt', 'b\n');
        repo.git('add', '-A');
        repo.git('commit', '-q', '--no-verify', '-m', 'base');
        repo.write('a.txt', 'a, staged\n');
        repo.git('add', 'a.txt');
        repo.write('b.txt', 'b, unstaged\n');
        const res = await repo.commit('partial', [], { GUARDLOOP_TMPDIR: rel });
        expect(res.code, res.stderr).toBe(0);
        expect(notesOf(repo, 'HEAD^{tree}')[0]).toMatchObject({ status: 'ACCEPTED', isolated: true });
        // The guard ran in the folder asked for.
        expect.soft(readFileSync(where, 'utf8').trim().startsWith(`${root}/`), readFileSync(where, 'utf8')).toBe(true);
        // Nothing of the run is left there once its background removal is over: no checkout folder.
        const checkouts = () => (existsSync(root) ? readdirSync(root).filter((n) => /^\d+-[^.]+$/.test(n)) : []);
        expect(await waitUntil(() => checkouts().length === 0, 30_000), checkouts().join(', ')).toBe(true);
      } finally {
        rmSync(resolve(repo.dir, rel), { recursive: true, force: true });
        rmSync(where, { force: true });
      }
    }));
});
