import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { records } from '../agents/helpers.js';

// A guard that fails on its odd-numbered runs and passes on the even ones (a counter outside the repo).
const FLIP = `
const fs = require('fs');
const n = Number(fs.readFileSync(process.env.COUNTER, 'utf8') || 0) + 1;
fs.writeFileSync(process.env.COUNTER, String(n));
if (n % 2) { console.log('FAIL timing-dependent test (run ' + n + ')'); process.exit(1); }
console.log('all passed');
`;

function setUp(repo: TestRepo, counter: string, extra = ''): void {
  repo.installPackage();
  repo.write('flip.cjs', FLIP);
  repo.config(`env:\n  COUNTER: ${JSON.stringify(counter)}\nguards:\n${guardYaml('flip', 'node flip.cjs', `    layer: test\n${extra}`)}`);
  repo.write('src/a.js', 'export const a = 1;\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'init');
}

const count = (counter: string) => Number(readFileSync(counter, 'utf8') || 0);

describe('flaky guards', () => {
  it('retries: a failure runs again before it counts; a pass on a retry is recorded as flaky', () =>
    withGitRepo(async (repo) => {
      const counter = join(repo.dir, '..', `counter-${process.pid}-${Date.now()}`);
      writeFileSync(counter, '');
      setUp(repo, counter, '    retries: 2\n');
      repo.write('src/a.js', 'export const a = 2;\n');
      repo.git('add', '-A');
      const res = await repo.cli(['run', '--hook', 'pre-commit']);
      expect(res.code).toBe(0);
      expect(count(counter)).toBe(2);
      const v = records(repo).at(-1)!.verdicts[0];
      expect(v).toMatchObject({ status: 'pass', attempts: 2, flaky: true });
      expect(v.feedback).toContain('passed on try 2');
      expect(v.feedback).toContain('FAIL timing-dependent test (run 1)');
    }));

  it('without retries, a failure on inputs that once passed is marked flaky, and so is every later failure of that guard', () =>
    withGitRepo(async (repo) => {
      const counter = join(repo.dir, '..', `counter-${process.pid}-${Date.now()}-b`);
      writeFileSync(counter, '1');
      setUp(repo, counter);
      repo.write('src/a.js', 'export const a = 2;\n');
      repo.git('add', '-A');
      // Runs 2 (pass: indexes the guard), 3 (fail, keyed), 4 (pass on the same inputs), 5 (fail, the same inputs: flaky).
      expect((await repo.cli(['run', '--hook', 'pre-commit', '--no-cache'])).code).toBe(0);
      expect((await repo.cli(['run', '--hook', 'pre-commit', '--no-cache'])).code).toBe(1);
      expect(records(repo).at(-1)!.verdicts[0].flaky).toBeUndefined();
      expect((await repo.cli(['run', '--hook', 'pre-commit', '--no-cache'])).code).toBe(0);
      expect((await repo.cli(['run', '--hook', 'pre-commit', '--no-cache'])).code).toBe(1);
      expect(records(repo).at(-1)!.verdicts[0]).toMatchObject({ status: 'fail', flaky: true });
      // Other inputs: the guard is known to be flaky.
      repo.write('src/a.js', 'export const a = 3;\n');
      repo.git('add', '-A');
      expect((await repo.cli(['run', '--hook', 'pre-commit'])).code).toBe(0);
      repo.write('src/a.js', 'export const a = 4;\n');
      repo.git('add', '-A');
      expect((await repo.cli(['run', '--hook', 'pre-commit'])).code).toBe(1);
      expect(count(counter)).toBe(7);
      expect(records(repo).at(-1)!.verdicts[0]).toMatchObject({ status: 'fail', flaky: true });
      const constraints = JSON.parse((await repo.cli(['constraints', '--json'])).stdout);
      expect(constraints.constraints[0]).toMatchObject({ id: 'flip', verdict: 'flaky' });
    }));
});
