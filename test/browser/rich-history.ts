import { day, type GenAttempt, type GenChain, type GenConfigChange, type GenGuard, type GenPlan } from '../helpers/history-generator.js';

// Three months of a project's ℛ for the README's screenshot and the browser test of a long history:
// guards added over the weeks (one removed), a person and two agents
// whose first attempts get better as the constraints come in, catches that stop (effective), keep
// coming (recurring), never happen (idle), a guard that judged one tree both ways (flaky), escalated
// chains and skipped commits. Deterministic (a seeded generator), dated back from `now`.

const guard = (id: string, layer: string, invariant: string): GenGuard => ({ id, run: `npm run -s check:${id}`, layer, invariant });

const G = {
  noTodo: guard('no-todo', 'lint', 'In this codebase, a TODO must never be committed, because it hides unfinished work from review.'),
  types: guard('types', 'type', 'In this codebase, code must never fail tsc, because type errors reach users as crashes.'),
  tests: guard('unit-tests', 'test', 'In this codebase, a change must never break a unit test, because the tests are the spec.'),
  console: guard('no-console', 'lint', 'In this codebase, console.log must never ship, because it leaks data into logs.'),
  money: guard('money-type', 'primitive', 'In this codebase, amounts must never be floats, because rounding loses cents.'),
  secrets: guard('no-secrets', 'review', 'In this codebase, a secret must never be committed, because history keeps it forever.'),
  e2e: guard('e2e-smoke', 'test', 'In this codebase, the checkout flow must never break, because it is the revenue path.'),
  lockfile: guard('lockfile-sync', 'review', 'In this codebase, package.json must never change without its lockfile, because installs drift.'),
  schema: guard('db-schema', 'primitive', 'In this codebase, a migration must never drop a column, because old readers still use it.'),
};

// A small seeded generator (mulberry32): the same plan on every run.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The plan: 13 weeks ending a day before `now`.
export function richPlan(now = Date.now()): GenPlan {
  const start = new Date(now - 13 * 7 * 86_400_000).toISOString();
  const at = (d: number) => day(start, d);
  const config: GenConfigChange[] = [
    { at: at(0), guards: [G.noTodo, G.types, G.tests] },
    { at: at(16), guards: [G.noTodo, G.types, G.tests, G.console, G.money] },
    { at: at(30), guards: [G.noTodo, G.types, G.tests, G.console, G.money, G.secrets] },
    { at: at(52), guards: [G.noTodo, G.types, G.tests, G.console, G.secrets, G.e2e] },
    { at: at(76), guards: [G.noTodo, G.types, G.tests, G.console, G.secrets, G.e2e, G.lockfile] },
    { at: at(86), guards: [G.noTodo, G.types, G.tests, G.console, G.secrets, G.e2e, G.lockfile, G.schema] },
  ];
  // Which guards are in force on day d, and how likely each is to catch a first attempt then.
  const inForce = (d: number) => [...config].reverse().find((c) => Date.parse(c.at) <= Date.parse(at(d)))!.guards.map((g) => g.id);
  const weight = (id: string, d: number): number =>
    ({
      'no-todo': d < 6 ? 0.35 : 0, // caught in its first days, never again: effective
      types: 0.18, // keeps catching: recurring
      'unit-tests': 0.12 - d * 0.001,
      'no-console': d < 22 ? 0.3 : 0, // added on day 16: effective too
      'money-type': 0.1,
      'no-secrets': 0, // never caught anything: idle
      'e2e-smoke': 0.06,
      'lockfile-sync': d < 81 ? 0.8 : 0, // caught in its first days, nothing since, still watched: effective
      'db-schema': 0.15,
    })[id] ?? 0;
  const rnd = random(12);
  const chains: GenChain[] = [];
  let flakyDone = false;
  for (let d = 1; d < 13 * 7 - 1; d += 0.45 + rnd() * 0.3) {
    const who = rnd();
    const source = who < 0.3 ? 'HUMAN' : 'GENERATOR';
    const agent = source === 'HUMAN' ? null : who < 0.75 ? 'claude' : 'codex';
    const guards = inForce(d);
    const attempts: GenAttempt[] = [];
    const better = Math.min(0.5, d / 180);
    // A hard task: the types guard rejects every attempt (an agent's chain escalates).
    const hard = rnd() < 0.07;
    for (let i = 0; i < 6; i++) {
      const t = at(d + i * 0.01);
      const fail = guards.filter((id) => (hard && id === 'types') || rnd() < weight(id, d) * (1 - better) * (i === 0 ? 1 : 0.8));
      // An agent has 3 attempts (agent.maxAttempts), a person keeps trying.
      const last = source === 'GENERATOR' && i === 2;
      if (!fail.length) {
        attempts.push({ at: t, source, agent, fail: [] });
        break;
      }
      attempts.push({ at: t, source, agent, fail, ...(last ? { escalated: true } : {}) });
      if (last || i === 5) break;
    }
    chains.push({ attempts });
    // The e2e guard judges one tree twice, failing it once: flaky.
    if (!flakyDone && d > 60 && guards.includes('e2e-smoke')) {
      flakyDone = true;
      chains.push({ attempts: [{ at: at(d + 0.2), fail: ['e2e-smoke'], tree: 'flaky tree' }, { at: at(d + 0.21), fail: [], tree: 'flaky tree' }] });
    }
    if (rnd() < 0.04) chains.push({ attempts: [{ at: at(d + 0.1), source: 'HUMAN', skip: 'GUARDLOOP=0' }] });
  }
  return { config, chains };
}
