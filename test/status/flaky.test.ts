import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WINDOW_DEFAULTS } from '../../src/audit/status-flaky.js';
import { CONSTRAINT_DEFAULTS } from '../../src/learn/constraints.js';
import { records } from '../agents/helpers.js';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { status } from './helpers.js';

// A guard that fails on its odd-numbered runs and passes on the even ones (a counter outside the repo),
// and a steady one that always passes.
const FLIP = `
const fs = require('fs');
const n = Number(fs.readFileSync(process.env.COUNTER, 'utf8') || 0) + 1;
fs.writeFileSync(process.env.COUNTER, String(n));
if (n % 2) { console.log('FAIL timing-dependent test (run ' + n + ')'); process.exit(1); }
console.log('all passed');
`;

function setUp(repo: TestRepo, counter: string, opts: { flip?: string; settings?: string } = {}): void {
  repo.installPackage();
  repo.write('flip.cjs', FLIP);
  repo.config(`${opts.settings ?? ''}env:\n  COUNTER: ${JSON.stringify(counter)}\nguards:\n${guardYaml('steady', 'true', '    layer: lint\n')}${guardYaml('flip', 'node flip.cjs', `    layer: test\n${opts.flip ?? ''}`)}`);
  repo.write('src/a.js', 'export const a = 1;\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'init');
}

// The line of .loop/config.yaml that declares `flip` (1-based), where the fix points.
const flipLine = (repo: TestRepo) => repo.read('.loop/config.yaml').split('\n').indexOf('  - id: flip') + 1;

async function commitRun(repo: TestRepo, expected: 0 | 1, noCache = true): Promise<void> {
  const res = await repo.cli(['run', '--hook', 'pre-commit', ...(noCache ? ['--no-cache'] : [])]);
  expect(res.code, res.stderr).toBe(expected);
}

function counterFile(repo: TestRepo, start: string): string {
  const file = join(repo.dir, '..', `counter-${process.pid}-${Math.random().toString(16).slice(2)}`);
  writeFileSync(file, start);
  return file;
}

describe('guardloop status lists flaky guards', () => {
  it("reads the constraint log's window by default", () => {
    expect(WINDOW_DEFAULTS).toEqual(CONSTRAINT_DEFAULTS.idle);
  });

  it('none yet: says so, with the window it read', () =>
    withGitRepo(async (repo) => {
      setUp(repo, counterFile(repo, '1'));
      const empty = await status(repo.dir);
      expect(empty.json.flaky).toEqual({ records: 0, window: { runs: 50, days: 30 }, guards: [] });
      expect(empty.text).toContain('Flaky guards: none known (ℛ holds no record of the last 30 days, constraints.idle.period).');
      repo.write('src/a.js', 'export const a = 2;\n');
      repo.git('add', '-A');
      await commitRun(repo, 0);
      const s = await status(repo.dir);
      expect(s.json.flaky).toEqual({ records: 1, window: { runs: 50, days: 30 }, guards: [] });
      expect(s.text).toContain('Flaky guards: none in the last 1 record of ℛ (at most constraints.idle.runs: 50, within constraints.idle.period: 30 days), nor known to the verdict index.');
    }));

  it('the same inputs passed and failed: named, counted in the window, with the fix at its line; not a bypass route', () =>
    withGitRepo(async (repo) => {
      const counter = counterFile(repo, '1');
      setUp(repo, counter);
      const before = await status(repo.dir);
      repo.write('src/a.js', 'export const a = 2;\n');
      repo.git('add', '-A');
      // Runs 2 (pass), 3 (fail), 4 (pass) and 5 (fail) of flip, all on the same staged tree.
      await commitRun(repo, 0);
      await commitRun(repo, 1);
      await commitRun(repo, 0);
      await commitRun(repo, 1);
      expect(readFileSync(counter, 'utf8')).toBe('5');
      expect(records(repo).at(-1)!.verdicts[1]).toMatchObject({ guard: 'flip', status: 'fail', flaky: true });
      const s = await status(repo.dir);
      expect(s.json.flaky.records).toBe(4);
      expect(s.json.flaky.guards).toEqual([{ guard: 'flip', bothWays: 2, retried: 0, known: true, retries: 0, place: `.loop/config.yaml:${flipLine(repo)}` }]);
      expect(s.text).toContain('Flaky guards (1), from the last 4 records of ℛ (at most constraints.idle.runs: 50, within constraints.idle.period: 30 days) and the verdict index:');
      expect(s.text).toContain(`  ~ flip: failed on inputs that also passed 2 times: fix what makes it flaky (a shared port or file, timing, order), or add \`retries: 2\` to guard flip at .loop/config.yaml:${flipLine(repo)} so a failure runs again before it counts`);
      expect(s.text).not.toContain('~ steady');
      // Status still judges the routes alone.
      expect(s.code).toBe(before.code);
      expect(s.json.ok).toBe(before.json.ok);
      expect(s.json.problems).toEqual(before.json.problems);
    }));

  it("counts only the window the constraint log uses (constraints.idle.runs); the verdict index still tells it's flaky", () =>
    withGitRepo(async (repo) => {
      setUp(repo, counterFile(repo, '1'), { settings: 'constraints:\n  idle:\n    runs: 2\n' });
      repo.write('src/a.js', 'export const a = 2;\n');
      repo.git('add', '-A');
      for (const code of [0, 1, 0, 1] as const) await commitRun(repo, code);
      const s = await status(repo.dir);
      expect(s.json.flaky.records).toBe(2);
      expect(s.json.flaky.window).toEqual({ runs: 2, days: 30 });
      expect(s.json.flaky.guards).toMatchObject([{ guard: 'flip', bothWays: 1, known: true }]);
      expect(s.text).toContain('~ flip: failed on inputs that also passed once:');
      // Two passes later the window holds no failure of it, but the index knows its inputs went both ways.
      repo.write('src/a.js', 'export const a = 3;\n');
      repo.git('add', '-A');
      await commitRun(repo, 0);
      repo.write('src/a.js', 'export const a = 4;\n');
      repo.git('add', '-A');
      // flip's next run is its 8th (a pass).
      writeFileSync(repo.read('.loop/config.yaml').match(/COUNTER: "(.+)"/)![1], '7');
      await commitRun(repo, 0);
      const later = await status(repo.dir);
      expect(later.json.flaky.guards).toMatchObject([{ guard: 'flip', bothWays: 0, retried: 0, known: true }]);
      expect(later.text).toContain('~ flip: the verdict index holds the same inputs passed and failed, so its next failure is told to the agent as flaky: fix what makes it flaky');
    }));

  it('passed only on a retry: counted, and the fix is the test itself', () =>
    withGitRepo(async (repo) => {
      setUp(repo, counterFile(repo, ''), { flip: '    retries: 2\n' });
      for (const n of [2, 3]) {
        repo.write('src/a.js', `export const a = ${n};\n`);
        repo.git('add', '-A');
        await commitRun(repo, 0);
        expect(records(repo).at(-1)!.verdicts[1]).toMatchObject({ status: 'pass', attempts: 2, flaky: true });
      }
      const s = await status(repo.dir);
      expect(s.json.flaky.guards).toEqual([{ guard: 'flip', bothWays: 0, retried: 2, known: false, retries: 2, place: `.loop/config.yaml:${flipLine(repo)}` }]);
      expect(s.text).toContain(`  ~ flip: passed only on a retry 2 times: fix what makes it flaky (a shared port or file, timing, order): its \`retries: 2\` at .loop/config.yaml:${flipLine(repo)} only runs a failure again`);
    }));
});
