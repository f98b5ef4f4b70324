import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';

// `inputs:` in .loop/config.yaml, through the real CLI: a guard keyed on what its globs name is not
// run while they are unchanged, whatever else changes; a glob that can never match is a load-time warning.
describe('`inputs:` in the config', () => {
  it('a test guard reading src/** and test/** is reused while only the docs change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardloop-inputs-'));
    const marker = join(dir, 'tests');
    const count = () => (existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0);
    return withGitRepo(async (repo) => {
      repo.config(`guards:\n${guardYaml('tests', `echo ran >> '${marker}'`, '    inputs: ["src/**", "test/**"]\n')}`);
      repo.write('src/a.ts', 'a\n');
      repo.write('docs/d.md', 'd0\n');
      repo.git('add', '-A');
      repo.git('commit', '-qm', 'base', '--no-verify');
      const run = async (path: string, content: string) => {
        repo.write(path, content);
        repo.git('add', '-A');
        const res = await repo.cli(['run', '--json']);
        expect(res.code, res.stderr).toBe(0);
        return JSON.parse(res.stdout);
      };
      await run('docs/d.md', 'd1\n');
      const keyed = await run('docs/d.md', 'd2\n');
      const reused = await run('docs/d.md', 'd3\n');
      expect(count()).toBe(2);
      expect(reused.verdicts[0]).toMatchObject({ guard: 'tests', status: 'pass', ms: 0, reused: keyed.id, key: keyed.verdicts[0].key });
      await run('test/a.test.ts', 't\n');
      expect(count()).toBe(3);
    }).finally(() => rmSync(dir, { recursive: true, force: true }));
  });

  it('an `inputs` glob that can never match is reported at its line when the config loads', () =>
    withGitRepo(async (repo) => {
      repo.config(`guards:\n${guardYaml('tests', 'true', '    inputs: ["src/"]\n')}`);
      repo.write('a.txt', 'x\n');
      repo.git('add', '-A');
      const res = await repo.cli(['run']);
      expect(res.stderr).toContain('guards.0.inputs.0: glob "src/" never matches');
    }));
});
