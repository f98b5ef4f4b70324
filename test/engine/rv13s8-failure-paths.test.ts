import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureIds } from '../../src/engine/failures.js';
import { hook, installTranscript, records, stopPayload, turnStart } from '../agents/helpers.js';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

// Fresh-eyes review, session 8 (rv13): the ids of failures a guard without a `failures:` pattern names.
const ids = (output: string, roots: string[] = []) => failureIds(output, null, roots);

describe('paths in failure lines: what differs per run is taken out, what names a file stays', () => {
  it("a mkdtemp folder right under the guard's directory (the directory taken out first) is one id on every run", () => {
    const root = '/home/me/app';
    for (const [a, b] of [
      ['Error: cannot write /home/me/app/.cache-OtdygC/out.log', 'Error: cannot write /home/me/app/.cache-uX5dcV/out.log'],
      ['Error: cannot clean /home/me/app/.cache-OtdygC', 'Error: cannot clean /home/me/app/.cache-uX5dcV'],
      ["Error: ENOENT 'file:///home/me/app/out-AbC3xZ/state.json'", "Error: ENOENT 'file:///home/me/app/out-q8Rt2W/state.json'"],
    ])
      expect(ids(a, [root])).toEqual(ids(b, [root]));
    // A name of the project that only looks alike stays: two folders, two failures.
    expect(ids('Error: cannot read /home/me/app/icon-Button/a.svg', [root])).not.toEqual(ids('Error: cannot read /home/me/app/icon-Folder/a.svg', [root]));
    expect(ids('Error: cannot read /home/me/app/icon-Button/a.svg', [root])).toEqual(['Error: cannot read icon-Button/a.svg']);
  });

  it('a folder named tmp inside a project is a path, not the temporary directory: two files there are two failures', () => {
    expect(ids('Error: src/tmp/parser.js: Unexpected token')).not.toEqual(ids('Error: src/tmp/lexer.js: Unexpected token'));
    expect(ids('Error: cannot load ./tmp/a.json')).not.toEqual(ids('Error: cannot load ./tmp/b.json'));
    expect(ids('Error: cannot load ~/tmp/a.json')).not.toEqual(ids('Error: cannot load ~/tmp/b.json'));
    // The temporary directories themselves still are: /tmp, /var/tmp, a file URL into /tmp.
    expect(ids('Error: cannot write /tmp/run-uX5dcV/a.json')).toEqual(ids('Error: cannot write /tmp/run-EJ6ksT/a.json'));
    expect(ids('Error: cannot write /var/tmp/run-uX5dcV/a.json')).toEqual(ids('Error: cannot write /var/tmp/run-EJ6ksT/a.json'));
    expect(ids("Error: cannot import 'file:///tmp/run-uX5dcV/a.mjs'")).toEqual(ids("Error: cannot import 'file:///tmp/run-EJ6ksT/a.mjs'"));
  });

  it("pytest's tmp_path (pytest-of-<user>/pytest-<n>, n counting up per run) is one id on every run", () => {
    // Real pytest 8 output of one test, two runs in a row (`pytest -q`).
    const run = (n: number) => `E       AssertionError: missing /tmp/pytest-of-root/pytest-${n}/test_writes0/out.txt\nE       assert False\n`;
    expect(ids(run(0))).toEqual(ids(run(1)));
    expect(ids(run(0))[0]).toContain('test_writes0/out.txt');
  });
});

describe('dates as toLocaleString() writes them are taken out like ISO dates (a base verdict may be from another day)', () => {
  it.each([
    ['en-US', 'Error: session expired at 12/2/2026, 5:57:25 AM', 'Error: session expired at 12/3/2026, 9:01:02 PM'],
    ['en-GB', 'Error: session expired at 02/12/2026, 05:57:25', 'Error: session expired at 03/12/2026, 21:01:02'],
    ['de-DE', 'Error: session expired at 2.12.2026, 05:57:25', 'Error: session expired at 3.12.2026, 21:01:02'],
    ['year first', 'Error: no report for 2026/12/02', 'Error: no report for 2026/12/03'],
  ])('%s', (_, a, b) => {
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a)[0]).toContain('<date>');
  });

  it('keeps versions and fractions that are no date', () => {
    for (const line of ['Error: requires node 20.11.1', 'Error: expected 1/2 to be 1/3', 'Error: calver 2024.12.1 is not supported'])
      expect(ids(line)).toEqual([line]);
  });
});

// A guard without a `failures:` pattern, as a hand-written check is: each src file holding "bad" is a
// failing case, reported with a scratch folder the check makes in the work tree and the file's path; every
// run appends where it ran to a log outside the repository. The folder is named as mkdtemp names one, with
// a suffix from a list, one per run (mkdtemp's own are random: about 7% of them read as names and are kept,
// which would make this test depend on chance).
const CHECK = `
const fs = require('fs');
const path = require('path');
fs.appendFileSync(process.env.RUN_LOG, process.cwd() + '\\n');
const n = fs.readFileSync(process.env.RUN_LOG, 'utf8').split('\\n').filter(Boolean).length;
const scratch = path.join(process.cwd(), '.scratch-' + ['OtdygC', 'uX5dcV', 'EJ6ksT', 'q8Rt2W'][n % 4]);
fs.mkdirSync(scratch);
let bad = 0;
for (const f of ['src/a.js', 'src/tmp/parser.js', 'src/tmp/lexer.js']) {
  if (fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes('bad')) {
    console.log('Error: ' + f + ': Unexpected token (state kept in ' + scratch + ')');
    bad++;
  }
}
fs.rmSync(scratch, { recursive: true });
process.exitCode = bad ? 1 : 0;
`;

function setUp(repo: TestRepo, log: string): void {
  repo.installPackage();
  repo.write('check.cjs', CHECK);
  repo.config(`env:\n  RUN_LOG: ${JSON.stringify(log)}\nguards:\n${guardYaml('check', 'node check.cjs', "    inputs: ['src/**', 'check.cjs']\n")}`);
  repo.write('src/a.js', 'ok\n');
  repo.write('src/tmp/parser.js', 'bad: fails on the base\n');
  repo.write('src/tmp/lexer.js', 'ok\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'a base whose check fails on src/tmp/parser.js');
  installTranscript(repo);
}

async function stop(repo: TestRepo) {
  const res = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
  expect(res.code).toBe(0);
  return { ...res, reply: res.stdout ? JSON.parse(res.stdout) : {} };
}

describe("an agent's stop, a check without `failures:` (the real CLI, Claude Code's real payload)", () => {
  it("the base's failure with a new mkdtemp folder each run doesn't block; a new failure in another file of src/tmp does", () =>
    withGitRepo(async (repo) => {
      const log = join(repo.dir, '..', `runs-${process.pid}-${Date.now()}-rv13.log`);
      writeFileSync(log, '');
      setUp(repo, log);
      await turnStart(repo);

      // A change elsewhere, the base's failure still there: the candidate and the base each ran once.
      repo.write('src/a.js', 'ok, changed\n');
      const s1 = await stop(repo);
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
      expect(s1.reply.decision).toBeUndefined();
      const r1 = records(repo).at(-1)!;
      expect(r1.status).toBe('ACCEPTED');
      expect(r1.verdicts[0]).toMatchObject({ status: 'fail', tolerated: true });
      expect(r1.verdicts[0].failures).toEqual(r1.verdicts[0].baseline.failures);

      // A new failure in another file of the same folder: blocked, named as new.
      repo.write('src/tmp/lexer.js', 'bad: the agent broke this\n');
      const s2 = await stop(repo);
      expect(s2.reply.decision).toBe('block');
      expect(s2.reply.reason).toMatch(/New in this turn \(blocking\), 1:\n {2}- Error: src\/tmp\/lexer\.js/);
      const r2 = records(repo).at(-1)!;
      expect(r2.status).toBe('REJECTED');
      expect(r2.verdicts[0].tolerated).toBeUndefined();
    }));
});
