import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, exec, guardYaml, PROJECT, type Spawned, type TestRepo } from '../../helpers/git-repo.js';
import type { MockServer } from '../mocks/server.js';
import { describeRequest } from '../mocks/server.js';
import { expect } from 'vitest';
import { REASON_MARK, type ModelScript } from '../mocks/script.js';
import type { AgentRun } from './sandbox.js';

// The built package, snapshotted once per test worker into a temp folder (dist, hooks, guards, its
// node_modules linked): the agents' hooks keep working while someone rebuilds dist/ in the checkout.
let snapshot: string | undefined;
export function assertBuilt(): string {
  if (snapshot) return snapshot;
  for (let attempt = 0; ; attempt++) {
    if (!existsSync(join(PROJECT, 'dist', 'cli.cjs'))) {
      if (attempt < 15) {
        spawnSync('sleep', ['2']);
        continue;
      }
      throw new Error('dist/cli.cjs is missing: run `npm run build` first (npm run test:agents does).');
    }
    const dir = mkdtempSync(join(tmpdir(), 'guardloop-pkg-'));
    cpSync(join(PROJECT, 'dist'), join(dir, 'dist'), { recursive: true, filter: (src) => !src.includes(`${join('dist', 'types')}`) });
    for (const f of ['package.json', 'schema.json', 'hooks', 'guards']) if (existsSync(join(PROJECT, f))) cpSync(join(PROJECT, f), join(dir, f), { recursive: true });
    symlinkSync(join(PROJECT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const check = spawnSync(process.execPath, [join(dir, 'dist', 'cli.cjs'), '--version'], { encoding: 'utf8' });
    if (check.status === 0) {
      snapshot = dir;
      return dir;
    }
    rmSync(dir, { recursive: true, force: true });
    // Copied in the middle of a rebuild: try again.
    if (attempt >= 15) throw new Error(`the built CLI does not run: ${check.stderr}`);
    spawnSync('sleep', ['2']);
  }
}

// Removes the snapshot (each test file's afterAll).
export function removeSnapshot(): void {
  if (snapshot) rmSync(snapshot, { recursive: true, force: true });
  snapshot = undefined;
}

// Runs the snapshotted guardloop CLI in the repository (the agent's HOME etc. in `env`).
export function guardloop(repo: TestRepo, args: string[], env: Record<string, string | undefined> = {}): Promise<Spawned> {
  return exec(process.execPath, [join(assertBuilt(), 'dist', 'cli.cjs'), ...args], { cwd: repo.dir, env: cleanEnv(env) });
}

// Makes `guardloop` (the snapshot) and `husky` resolvable in the repository as if installed with npm.
function installGuardloop(repo: TestRepo): void {
  const pkg = assertBuilt();
  writeFileSync(join(repo.dir, 'package.json'), JSON.stringify({ name: 'fixture', private: true }, null, 2));
  mkdirSync(join(repo.dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(pkg, join(repo.dir, 'node_modules', 'guardloop'), 'dir');
  symlinkSync(join(PROJECT, 'node_modules', 'husky'), join(repo.dir, 'node_modules', 'husky'), 'dir');
  symlinkSync(join(pkg, 'dist', 'cli.cjs'), join(repo.dir, 'node_modules', '.bin', 'guardloop'));
  writeFileSync(join(repo.dir, '.gitignore'), 'node_modules/\n');
}

// The guard every case breaks: no TODO under src/. With `neverPass`, a second guard fails whatever the agent does
// to the file it writes (src/a.js), and passes on the turn's base, which has none: a failure the base already had
// would not block the agent (Block only on new failures).
export function configYaml(opts: { neverPass?: boolean; maxAttempts?: number } = {}): string {
  const guards = [guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')];
  if (opts.neverPass) guards.push(guardYaml('never-passes', "test ! -e src/a.js || { echo 'this guard can never pass'; exit 1; }", '    layer: lint\n'));
  return `guards:\n${guards.join('')}agent:\n  maxAttempts: ${opts.maxAttempts ?? 3}\n`;
}

// A repository like a user's after `npm install --save-dev guardloop` and `guardloop init --agent NAME`,
// everything committed, so the agent's change is the only difference from HEAD.
export async function setUpRepo(repo: TestRepo, agent: string, opts: { neverPass?: boolean; maxAttempts?: number } = {}): Promise<Spawned> {
  installGuardloop(repo);
  repo.config(configYaml(opts));
  repo.write('src/index.js', 'export {};\n');
  const init = await guardloop(repo, ['init', '--agent', agent]);
  if (init.code !== 0) throw new Error(`guardloop init --agent ${agent} failed (${init.code}):\n${init.stdout}\n${init.stderr}`);
  repo.git('add', '-A');
  // The pre-commit hook init installed would record a HUMAN verdict: not this test's subject.
  repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'init');
  return init;
}

// A throwaway HOME for one agent run (its config, sessions, transcripts), removed afterwards.
export function tempHome(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-agent-home-'));
  mkdirSync(join(dir, '.config'), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ℛ's records, oldest first, read with plain git (the interoperability contract).
export function records(dir: string): Array<Record<string, any>> {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).stdout.trim();
  const list = git('notes', '--ref=guardloop', 'list');
  if (!list) return [];
  return list
    .split('\n')
    .flatMap((l) => git('notes', '--ref=guardloop', 'show', l.split(' ')[1]).split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .sort((a, b) => a.ts.localeCompare(b.ts));
}

// What a failing agent case prints: the run's output and what the mock saw and answered.
export function report(name: string, run: AgentRun, mock: MockServer, dir: string): string {
  const tail = (s: string) => (s.length > 4000 ? `…${s.slice(-4000)}` : s);
  let errors = '';
  try {
    errors = readFileSync(join(dir, '.git', 'guardloop', 'agent-errors.jsonl'), 'utf8');
  } catch {
    // none
  }
  return [
    `${name}: exit ${run.code}${run.signal ? ` (${run.signal})` : ''}${run.timedOut ? ' TIMED OUT' : ''} in ${run.ms} ms${run.isolated ? ' (netns)' : ''}`,
    `stdout:\n${tail(run.stdout)}`,
    `stderr:\n${tail(run.stderr)}`,
    `mock requests:\n${mock.requests.map(describeRequest).join('\n')}`,
    errors && `agent-errors.jsonl:\n${errors}`,
  ].join('\n');
}

export { PROJECT };

// guardloop's stop records of one agent, oldest first.
export function stopRecords(dir: string, agent: string): Array<Record<string, any>> {
  return records(dir).filter((r) => r.agent === agent && r.hook === 'stop');
}

// Timings of every case, printed at the end of each file (the suite's budget is 5 minutes).
const timings: string[] = [];
export function timing(line: string): void {
  timings.push(line);
}
export function printTimings(header: string): void {
  process.stderr.write(`\n[agents-e2e] ${header}\n${timings.map((t) => `  ${t}`).join('\n')}\n`);
}

// The fix case: the CLI exits 0, the reason reached the model's next request, the file is fixed, and
// ℛ holds REJECTED → ACCEPTED with the agent's real session id and the prompt as spec.task.
export function expectFixChain(c: { agent: string; run: AgentRun; mock: MockServer; dir: string; script: ModelScript; session: string | null; reasonShape: RegExp }): void {
  const why = report(c.agent, c.run, c.mock, c.dir);
  expect(c.run.timedOut, why).toBe(false);
  expect(c.run.code, why).toBe(0);
  // Everything the model saw came through the mock.
  expect(c.mock.requests.length, why).toBeGreaterThanOrEqual(4);
  const carrying = c.mock.containing(REASON_MARK);
  expect(carrying.length, why).toBeGreaterThanOrEqual(1);
  const first = carrying[0];
  // The reason names the guard, its invariant and its output, in the shape the agent injects it.
  expect(c.reasonShape.test(first.body), `${why}\nthe reason is not in the shape ${c.reasonShape}`).toBe(true);
  expect(first.body).toContain('(attempt 1 of 3)');
  expect(first.body).toContain('no-todo');
  expect(first.body).toContain('TODO: remove me');
  // The request that carried it came after the model's first answer and was answered with the fix.
  expect(first.n, why).toBeGreaterThanOrEqual(2);
  expect(first.answer, why).toMatch(/^write /);
  expect(readFileSync(join(c.dir, c.script.file), 'utf8'), why).toBe(c.script.fixed);

  const rs = stopRecords(c.dir, c.agent);
  expect(rs.map((r) => r.status), why).toEqual(['REJECTED', 'ACCEPTED']);
  const [rejected, accepted] = rs;
  expect(c.session, why).toBeTruthy();
  for (const r of rs) {
    expect(r).toMatchObject({ source: 'GENERATOR', agent: c.agent, session: c.session });
    expect(r.spec.task).toBe(c.script.prompt);
  }
  expect(rejected).toMatchObject({ retry: 0, provenance: [] });
  expect(rejected.verdicts).toEqual([expect.objectContaining({ guard: 'no-todo', status: 'fail', feedback: expect.stringContaining('TODO: remove me') })]);
  expect(accepted).toMatchObject({ retry: 1, provenance: [rejected.id] });
  expect(accepted.history[0]).toMatchObject({ id: rejected.id, status: 'REJECTED' });
  expect(accepted.artifact.files).toContain(c.script.file);
  expect(accepted.escalated ?? false).toBe(false);
}

// The never-pass case: the run ends (exit 0) after agent.maxAttempts stops, the last one escalated,
// and nothing loops: the model was told maxAttempts − 1 times and asked a bounded number of times.
export function expectEscalation(c: { agent: string; run: AgentRun; mock: MockServer; dir: string; session: string | null; maxAttempts: number }): void {
  const why = report(c.agent, c.run, c.mock, c.dir);
  expect(c.run.timedOut, why).toBe(false);
  expect(c.run.code, why).toBe(0);
  const rs = stopRecords(c.dir, c.agent);
  expect(rs.map((r) => [r.status, r.retry, r.escalated ?? false]), why).toEqual(
    Array.from({ length: c.maxAttempts }, (_, i) => ['REJECTED', i, i === c.maxAttempts - 1]),
  );
  for (const r of rs) expect(r).toMatchObject({ source: 'GENERATOR', agent: c.agent, session: c.session });
  expect(rs[c.maxAttempts - 1].provenance).toEqual(rs.slice(0, -1).map((r) => r.id));
  for (let i = 1; i < c.maxAttempts; i++) expect(c.mock.containing(`(attempt ${i} of ${c.maxAttempts})`).length, why).toBeGreaterThanOrEqual(1);
  // The escalated stop was let through, not sent to the model.
  expect(c.mock.containing(`(attempt ${c.maxAttempts} of ${c.maxAttempts})`), why).toEqual([]);
  // Per attempt: the write, the tool result, plus a few side calls at most.
  expect(c.mock.requests.length, why).toBeLessThanOrEqual(2 * c.maxAttempts + 4);
}

// The HEADs the agent's prompt-submit hook recorded as turn starts (.git/guardloop/turns/).
export function turnStarts(repo: TestRepo): string[] {
  const dir = join(repo.dir, '.git', 'guardloop', 'turns');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.endsWith('.tmp'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).head as string);
}
