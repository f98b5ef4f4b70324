import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failuresOf } from '../../src/engine/failures.js';
import { normalizeFailureLine, randomToken } from '../../src/engine/failure-normalize.js';
import { records } from '../agents/helpers.js';
import { guardYaml, PROJECT, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

const ids = (output: string) => failuresOf(output, null).failures.map((f) => f.id);

describe('failure lines: random ids that are not hex are taken out', () => {
  it.each([
    ['a base36 id (Math.random().toString(36))', 'Error: session k3j4h5g6f7l8 expired', 'Error: session <id> expired'],
    ['another one', 'Error: session x7f2kq9zpl expired', 'Error: session <id> expired'],
    ['a nanoid, its _ and - included', 'Error: token V1StGXR8_Z5jdHi6B-myT is invalid', 'Error: token <id> is invalid'],
    ['a base62 token after a prefix', 'Error: expected user_3f9Kd2LmQ8 to exist', 'Error: expected <id> to exist'],
    ['a mkdtemp folder in a path outside the temporary directory', "Error: ENOENT: open '/home/me/app/.cache/out-AbC3xZ/state.json'", "Error: ENOENT: open '/home/me/app/.cache/out-<id>/state.json'"],
    ['a mkdtemp suffix of hex', 'Error: cannot read /srv/app/results-5b2c9a.json', 'Error: cannot read /srv/app/results-<id>.json'],
    ['a Unix time in milliseconds', 'AssertionError: expected 1700000000123 to be below 1700000000000', 'AssertionError: expected <time> to be below <time>'],
    ["JavaScript's Date#toString", 'Error: expired at Wed Dec 02 2026 02:20:56 GMT+0000 (Coordinated Universal Time)', 'Error: expired at <time>'],
    ['an HTTP date', 'Error: not modified since Mon, 01 May 2024 12:30:05 GMT', 'Error: not modified since <time>'],
    ['an ISO date alone', "AssertionError: expected '2026-12-02' to be a weekend", "AssertionError: expected '<date>' to be a weekend"],
    ['a port', 'Error: connect ECONNREFUSED to port 50123', 'Error: connect ECONNREFUSED to port'],
    ["an IPv6 address's port", 'Error: listen EADDRINUSE: address already in use :::43817', 'Error: listen EADDRINUSE: address already in use :::'],
    ['a duration with a thousands separator', 'FAIL src/x.test.ts (1,234 ms)', 'FAIL src/x.test.ts ()'],
    ['a duration with a space', 'Error: timed out (12 ms) after 1.23s', 'Error: timed out () after'],
  ])('%s', (_, line, id) => {
    expect(ids(line)).toEqual([id]);
  });

  it('keeps names, codes and the numbers that tell one failure from another', () => {
    for (const name of ['getUser', 'TS2322', 'ES2022', 'Float32Array', 'getUser2ById', 'utf8mb4', 'XMLHttpRequest', 'getUserByIdAndName', 'step2of3Runner', 'v1beta1', 'sha256sum', 'test_case_2_step_3', 'toHaveBeenCalledTimes', 'BigUint64Array'])
      expect([name, randomToken(name)]).toEqual([name, false]);
    for (const line of [
      "TypeError: Cannot read properties of undefined (reading 'getUser')",
      "src/a.ts: error TS2322: Type 'string' is not assignable to type 'number'.",
      'Error: ENOENT /srv/my-FooBar/a.js',
      'Error: ENOENT /srv/node_modules/google-crc32c/a.js',
      'Error: ENOENT /srv/node_modules/foo-v2beta/a.js',
      'Error: ENOENT /srv/ui/icon-Button/a.js',
      'AssertionError: expected 2 to be 3',
    ])
      expect(normalizeFailureLine(line)).toBe(line);
    expect(ids('FAIL expected 1234 to be 1235\nFAIL expected 1234 to be 1236')).toHaveLength(2);
  });
});

// One test file as each runner reads it: `opens a session` fails with a message full of what differs per run
// (an id and a token from a list, one per run, as no pattern tells them from a name with certainty; a real
// UUID, random hex, port, pid, mkdtemp folder in the temporary directory, timestamps and a duration), and
// `closes a session` fails on an assertion (`'closed'`, which the third run changes).
function sessionTest(kind: 'cjs' | 'jest' | 'esm', expected = 'closed'): string {
  const head = {
    cjs: "const test = require('node:test');\nconst assert = require('node:assert');\nconst fail = (m) => assert.fail(m);\nconst same = (a, b) => assert.strictEqual(a, b);\n",
    jest: "const { test, expect } = require('@jest/globals');\nconst fail = (m) => { throw new Error(m); };\nconst same = (a, b) => expect(a).toBe(b);\n",
    esm: "import { test, expect } from 'vitest';\nconst fail = (m) => { throw new Error(m); };\nconst same = (a, b) => expect(a).toBe(b);\n",
  }[kind];
  const req = kind === 'esm' ? (m: string, as: string) => `import * as ${as} from 'node:${m}';\n` : (m: string, as: string) => `const ${as} = require('node:${m}');\n`;
  return `${head}${req('fs', 'fs')}${req('os', 'os')}${req('path', 'path')}${req('net', 'net')}${req('crypto', 'crypto')}
const n = Number(fs.readFileSync(process.env.COUNTER, 'utf8') || 0) + 1;
fs.writeFileSync(process.env.COUNTER, String(n));
const ids = [['k3j4h5g6f7l8', 'V1StGXR8_Z5jdHi6B-myT', 'AbC3xZ'], ['x7f2kq9zpl', 'aB3dE5fG9h-kLmN0pQr_sT', 'q8Rt2W']][n % 2];
test('opens a session', async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'session-'));
  const nested = path.join(process.env.STATE_DIR, 'cache-' + ids[2]);
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  server.close();
  const t = new Date();
  fail('session ' + ids[0] + ' (token ' + ids[1] + ', request ' + crypto.randomUUID() + ', etag ' + crypto.randomBytes(8).toString('hex') + ') on port ' + port + ' of pid ' + process.pid + ' could not write ' + scratch + '/state.json nor ' + nested + '/state.json at ' + t.toISOString() + ' (' + t.toString() + ', ' + Date.now() + ') after ' + (Math.random() * 50).toFixed(2) + 'ms');
});
test('closes a session', () => {
  same('session ' + ids[0] + ' open', ${JSON.stringify(expected)});
});
`;
}

const JEST = join(process.env.GUARDLOOP_FAILURE_TOOLS ?? join(homedir(), '.cache', 'guardloop-failure-tools'), 'node_modules');

interface Runner {
  name: string;
  file: string;
  kind: 'cjs' | 'jest' | 'esm';
  run: string;
  // The package the test file imports, linked into the repository's node_modules (vitest from guardloop's
  // own, jest's globals from the failure tools' cache); each runner's other packages resolve from where it is.
  link?: [name: string, target: string];
  available: boolean;
}

const RUNNERS: Runner[] = [
  { name: 'node --test (TAP)', file: 'test/session.test.cjs', kind: 'cjs', run: 'node --test test/session.test.cjs', available: true },
  { name: 'node --test (spec)', file: 'test/session.test.cjs', kind: 'cjs', run: 'node --test --test-reporter=spec test/session.test.cjs', available: true },
  { name: 'vitest', file: 'test/session.test.mjs', kind: 'esm', run: `node ${JSON.stringify(join(PROJECT, 'node_modules', 'vitest', 'vitest.mjs'))} run`, link: ['vitest', join(PROJECT, 'node_modules', 'vitest')], available: true },
  // Installed by scripts/capture-failure-fixtures.sh (jest 30); without it this case is skipped.
  { name: 'jest', file: 'test/session.test.js', kind: 'jest', run: `node ${JSON.stringify(join(JEST, 'jest', 'bin', 'jest.js'))} --ci`, link: ['@jest', join(JEST, '@jest')], available: existsSync(join(JEST, 'jest', 'bin', 'jest.js')) },
];

// The environment of the runner's own process without what vitest sets for its workers (the inner vitest would take itself for one).
const withoutVitest = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('VITEST') || k === 'TEST' || k === 'NODE_ENV').map((k) => [k, undefined]));

function setUp(repo: TestRepo, runner: Runner, counter: string, stateDir: string): void {
  repo.installPackage();
  if (runner.link) symlinkSync(runner.link[1], join(repo.dir, 'node_modules', runner.link[0]), 'dir');
  repo.write(runner.file, sessionTest(runner.kind));
  repo.config(`env:\n  COUNTER: ${JSON.stringify(counter)}\n  STATE_DIR: ${JSON.stringify(stateDir)}\n  NO_COLOR: "1"\nguards:\n${guardYaml('tests', runner.run, '    layer: test\n    timeout: 120s\n')}`);
  repo.git('add', '-A');
}

async function failuresOfRun(repo: TestRepo): Promise<string[]> {
  const res = await repo.cli(['run', '--hook', 'pre-commit', '--no-cache'], { env: withoutVitest });
  expect(res.code, res.stderr).toBe(1);
  const v = records(repo).at(-1)!.verdicts[0];
  expect(v.status).toBe('fail');
  return v.failures as string[];
}

describe('two runs of one failing test name the same failures (real runners, the real CLI)', () => {
  for (const runner of RUNNERS)
    it.skipIf(!runner.available)(runner.name, () =>
      withGitRepo(async (repo) => {
        const counter = join(repo.dir, '..', `counter-${process.pid}-${Math.random().toString(16).slice(2)}`);
        writeFileSync(counter, '');
        // A folder of the project, as a project's own cache is (the guard's directory is taken out of its failures,
        // the folder's mkdtemp-like suffix differs per run).
        const stateDir = join(repo.dir, '.state');
        setUp(repo, runner, counter, stateDir);
        const first = await failuresOfRun(repo);
        const second = await failuresOfRun(repo);
        expect(readFileSync(counter, 'utf8')).toBe('2');
        // The same failures, named alike; nothing of what differed per run left in them.
        expect(second).toEqual(first);
        const text = first.join('\n');
        expect(text).toContain('<id>');
        for (const token of ['k3j4h5g6f7l8', 'x7f2kq9zpl', 'V1StGXR8', 'aB3dE5fG9h', 'AbC3xZ', 'q8Rt2W', ' GMT']) expect(text).not.toContain(token);
        // The two tests are two failures; changing what one asserts makes its failure another one.
        const opens = first.filter((id) => id.includes('could not write'));
        const closes = first.filter((id) => /closes a session|'closed'|"closed"/.test(id));
        expect(opens.length).toBeGreaterThan(0);
        expect(closes.length).toBeGreaterThan(0);
        repo.write(runner.file, sessionTest(runner.kind, 'shut'));
        repo.git('add', '-A');
        const third = await failuresOfRun(repo);
        expect(third.filter((id) => id.includes('could not write'))).toEqual(opens);
        expect(third).not.toEqual(first);
        expect(third.some((id) => id.includes('shut'))).toBe(true);
      }),
    );
});
