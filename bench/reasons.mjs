// Say it once (issue 13): the size of the reason an agent is sent at each stop of a scripted 8-attempt
// session, against what it would be sent if every attempt carried the whole output again (the first
// attempt's reason for the same failures). Real CLI, real git, Claude Code's stop payload shape.
// Usage: node bench/reasons.mjs [path to dist/cli.cjs]. Prints a table; exits 0.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'dist', 'cli.cjs'));
const env = { ...process.env, GUARDLOOP_AGENT: '', CLAUDECODE: '', NODE_EXTRA_CA_CERTS: '' };
delete env.NODE_EXTRA_CA_CERTS;
const dir = mkdtempSync(join(tmpdir(), 'guardloop-reasons-'));
const git = (...args) => {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};
const write = (rel, text) => {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
};

// A test runner's output as vitest prints it: a line per test, a failure's diff and stack, a summary;
// each src/*.txt holding "bad" is a failing test.
const RUNNER = `
const fs = require('fs');
const files = fs.readdirSync('src').sort();
let failed = 0;
for (const f of files) for (let i = 0; i < 40; i++) console.log(' ✓ test/' + f + ' > case ' + i + ' ' + (i * 3) + 'ms');
for (const f of files) {
  if (!fs.readFileSync('src/' + f, 'utf8').includes('bad')) continue;
  failed++;
  console.log(' FAIL  test/' + f + ' > computes the total');
  console.log('AssertionError: expected 41 to be 42');
  for (let i = 0; i < 25; i++) console.log('    at Object.<anonymous> (test/' + f + ':' + (10 + i) + ':5)');
}
console.log(' Test Files  ' + failed + ' failed | ' + (files.length - failed) + ' passed');
process.exitCode = failed ? 1 : 0;
`;

try {
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@example.com');
  git('config', 'user.name', 'bench');
  write('run-tests.cjs', RUNNER);
  write('.loop/config.yaml', [
    'agent:',
    '  maxAttempts: 9',
    'guards:',
    '  - id: tests',
    '    run: node run-tests.cjs',
    '    invariant: "In this codebase, a failing test must never be committed, because it causes the regression it was written to catch."',
    '    layer: test',
    "    inputs: ['src/**', 'run-tests.cjs']",
    "    failures: '^[ \\t]*FAIL[ \\t]+(\\S.*?)[ \\t]*$'",
    '',
  ].join('\n'));
  for (let i = 0; i < 12; i++) write(`src/m${i}.txt`, 'good\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base: every test passes');

  const stop = (n) => {
    const payload = { session_id: 'reasons-bench', transcript_path: join(dir, '.git', 'none.jsonl'), cwd: dir, hook_event_name: 'Stop', stop_hook_active: n > 0, last_assistant_message: `attempt ${n + 1}` };
    const r = spawnSync(process.execPath, [CLI, 'run', '--hook', 'stop', '--agent', 'claude'], { cwd: dir, input: JSON.stringify(payload), encoding: 'utf8', env });
    return r.stdout ? JSON.parse(r.stdout) : {};
  };
  // The script: two failing tests the agent keeps (attempts 1–3), a third one added (4), kept (5–6),
  // one of them fixed (7), kept (8).
  const script = [
    () => { write('src/m1.txt', 'bad\n'); write('src/m2.txt', 'bad\n'); },
    () => write('src/m5.txt', 'good, edited\n'),
    () => write('src/m6.txt', 'good, edited\n'),
    () => write('src/m3.txt', 'bad\n'),
    () => write('src/m7.txt', 'good, edited\n'),
    () => write('src/m8.txt', 'good, edited\n'),
    () => write('src/m1.txt', 'good again\n'),
    () => write('src/m9.txt', 'good, edited\n'),
  ];
  const rows = [];
  let lastFull = 0;
  script.forEach((edit, n) => {
    edit();
    const reply = stop(n);
    const reason = reply.reason ?? "";
    if (process.env.SHOW == n + 1) process.stdout.write(reason + "\n----\n");
    const failures = (reason.match(/^ {2}- test\/\S+/gm) ?? []).length;
    const repeat = /failed again: the same/.test(reason);
    // A repeat names the previous attempt's failures: without it, that attempt's whole reason again.
    if (!repeat) lastFull = reason.length;
    rows.push({ attempt: n + 1, decision: reply.decision ?? 'allow', chars: reason.length, repeat, full: repeat ? lastFull : reason.length, failures });
  });
  const total = rows.reduce((n, r) => n + r.chars, 0);
  const without = rows.reduce((n, r) => n + r.full, 0);
  process.stdout.write('say it once: reason sizes over a scripted 8-attempt session (characters)\n');
  process.stdout.write('attempt  decision  sent  whole-output-again  said once\n');
  for (const r of rows) process.stdout.write(`${String(r.attempt).padStart(7)}  ${r.decision.padEnd(8)}  ${String(r.chars).padStart(5)}  ${String(r.full).padStart(18)}  ${r.repeat ? 'yes' : 'no'}\n`);
  process.stdout.write(`total sent ${total}, whole output every time ${without}: ${(without / Math.max(1, total)).toFixed(2)}× less\n`);
} finally {
  if (process.env.KEEP) process.stdout.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
