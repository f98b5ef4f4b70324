import { describe, expect, it } from 'vitest';
import { chainsOf, type History, type HistoryRecord } from '../../src/learn/history.js';
import { healthOf } from '../../src/learn/health.js';
import type { Constraint, Constraints } from '../../src/learn/insight-schemas.js';
import { EMPTY_HEALTH } from '../../src/messages/health.js';
import { day, generateHistory, type GenChain, type GenGuard } from '../helpers/history-generator.js';
import { withGitRepo } from '../helpers/git-repo.js';
import { chain, healthJson, START } from './stats-helpers.js';

// `guardloop health` through the built CLI on generated histories whose weeks are known by
// construction (each warning sign reached on purpose, and a healthy loop), and healthOf() on
// hand-built constraint logs for what the config's history makes hard to stage (renames, removals).

const guards = (...ids: string[]): GenGuard[] => ids.map((id) => ({ id, run: `echo ${id}`, layer: id === 'typecheck' ? 'type' : 'lint' }));
const BEFORE = day(START, -1 / 24);
// Chains at 12:00 of day `d` of the plan.
const at = (d: number) => day(START, d + 2 / 24);

describe('guardloop health', () => {
  it('a healthy loop: the config it started with is no explosion, an empty week is a row, recurrences counted past the grace period; exit 0', async () => {
    await withGitRepo(async (repo) => {
      const baseline = guards('lint', 'typecheck', ...Array.from({ length: 10 }, (_, i) => `g${i + 3}`));
      await generateHistory(repo.dir, {
        config: [
          { at: BEFORE, guards: baseline },
          { at: day(START, 8), guards: [...baseline, ...guards('docs')] },
          { at: day(START, 22), guards: [...baseline, ...guards('docs', 'deps')] },
        ],
        chains: [
          chain(at(0), [['lint'], []]),
          chain(at(1), [[]]),
          chain(at(2), [[]]),
          chain(at(14), [['lint'], []]),
          chain(at(15), [['typecheck'], ['typecheck'], []], { source: 'HUMAN' }),
          chain(at(16), [[]]),
          chain(at(21), [['docs'], []]),
          chain(at(22.5), [[]]),
        ],
      });
      const { code, health } = await healthJson(repo);
      expect(code).toBe(0);
      expect(health.healthy).toBe(true);
      expect(health.signs).toEqual([]);
      expect(health.weeks).toEqual([
        { week: '2026-01-05', newConstraints: 0, constraints: 12, caughtRate: 0.3333, recurrences: 0, retriesPerAccepted: 0.33 },
        { week: '2026-01-12', newConstraints: 1, constraints: 13, caughtRate: null, recurrences: 0, retriesPerAccepted: null },
        { week: '2026-01-19', newConstraints: 0, constraints: 13, caughtRate: 0.6667, recurrences: 2, retriesPerAccepted: 1 },
        { week: '2026-01-26', newConstraints: 1, constraints: 14, caughtRate: 0.5, recurrences: 1, retriesPerAccepted: 0.5 },
      ]);
      expect(health.catchSpan).toEqual([
        { id: 'lint', firstCaught: at(0), lastCaught: at(14), days: 14 },
        { id: 'typecheck', firstCaught: at(15), lastCaught: day(at(15), 1 / 1440), days: 0 },
        { id: 'docs', firstCaught: at(21), lastCaught: at(21), days: 0 },
      ]);
      const text = await repo.cli(['health']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/ +week +new constraints +guards +caught +recurrences +retries\/accepted\n +2026-01-05 +0 +12 +33% +0 +0\.33\n +2026-01-12 +1 +13 +– +0 +–\n/);
      expect(text.stdout).toMatch(/From first catch to last\n +lint +2026-01-05 +2026-01-19 +14 days\n/);
      expect(text.stdout.trim().endsWith('Healthy: no warning sign of constraint explosion.')).toBe(true);
    });
  });

  it('10 new constraints in one week: constraint-explosion with its figure and threshold, exit 1', async () => {
    await withGitRepo(async (repo) => {
      const added = guards(...Array.from({ length: 10 }, (_, i) => `n${i + 1}`));
      await generateHistory(repo.dir, {
        config: [
          { at: BEFORE, guards: guards('lint', 'typecheck') },
          { at: day(START, 14), guards: [...guards('lint', 'typecheck'), ...added] },
        ],
        chains: [chain(at(0), [[]]), chain(at(15), [['n1'], []])],
      });
      const { code, health } = await healthJson(repo);
      expect(code).toBe(1);
      expect(health.healthy).toBe(false);
      expect(health.weeks.map((w) => [w.week, w.newConstraints, w.constraints])).toEqual([
        ['2026-01-05', 0, 2],
        ['2026-01-12', 0, 2],
        ['2026-01-19', 10, 12],
      ]);
      expect(health.signs).toHaveLength(1);
      expect(health.signs[0]).toMatchObject({ sign: 'constraint-explosion', week: '2026-01-19', figure: 10, threshold: 10 });
      const text = await repo.cli(['health']);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('1 warning sign of constraint explosion (exit 1):');
      expect(text.stdout).toContain('constraint explosion: 10 new constraints in the week of 2026-01-19 (threshold 10 a week');
      expect(text.stdout).toContain('guardloop constraints');
    });
  });

  it('5 more guards over the last 4 weeks while the caught rate stays at 40%: rules-up-caught-flat, exit 1', async () => {
    await withGitRepo(async (repo) => {
      const chains: GenChain[] = [];
      for (let w = 0; w < 8; w++) {
        for (let k = 0; k < 5; k++) {
          const catcher = w === 4 ? 'n1' : 'lint';
          chains.push(chain(at(7 * w + k), k < 2 ? [[catcher], []] : [[]]));
        }
      }
      await generateHistory(repo.dir, {
        config: [
          { at: BEFORE, guards: guards('lint', 'typecheck') },
          { at: day(START, 28), guards: guards('lint', 'typecheck', 'n1', 'n2', 'n3', 'n4', 'n5') },
        ],
        chains,
      });
      const { code, health } = await healthJson(repo);
      expect(code).toBe(1);
      expect(health.weeks).toHaveLength(8);
      expect(health.weeks.map((w) => w.caughtRate)).toEqual(Array(8).fill(0.4));
      expect(health.weeks.map((w) => w.constraints)).toEqual([2, 2, 2, 2, 7, 7, 7, 7]);
      // lint's catches in its first week are within the grace period; n1's in its first week too.
      expect(health.weeks.map((w) => w.recurrences)).toEqual([0, 2, 2, 2, 0, 2, 2, 2]);
      expect(health.signs).toHaveLength(1);
      expect(health.signs[0]).toMatchObject({ sign: 'rules-up-caught-flat', week: '2026-02-23', figure: 5, threshold: 5 });
      expect(health.signs[0].message).toContain('went from 40% to 40% (moved less than 5 points)');
    });
  });

  it('catches by guards past their grace period rising from 0 to 3 against the 4 weeks before: recurrence-rising, exit 1', async () => {
    await withGitRepo(async (repo) => {
      const chains: GenChain[] = [];
      for (let w = 0; w < 8; w++) for (let k = 0; k < 3; k++) chains.push(chain(at(7 * w + k), w >= 4 && w < 7 && k === 0 ? [['lint'], []] : [[]]));
      await generateHistory(repo.dir, { config: [{ at: BEFORE, guards: guards('lint', 'typecheck') }], chains });
      const { code, health } = await healthJson(repo);
      expect(code).toBe(1);
      expect(health.weeks.map((w) => w.recurrences)).toEqual([0, 0, 0, 0, 1, 1, 1, 0]);
      expect(health.signs.map((s) => [s.sign, s.figure, s.threshold])).toEqual([['recurrence-rising', 3, 3]]);
      expect(health.signs[0].message).toContain('recurrence rising: 3 catches by guards past their grace period in the last 4 weeks, 0 in the 4 weeks before');
    });
  });

  it('an empty ℛ and no config: one line saying what to do, exit 0; --json is healthy with no weeks', async () => {
    await withGitRepo(async (repo) => {
      const res = await repo.cli(['health']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toBe('');
      expect(res.stderr.trim()).toBe(EMPTY_HEALTH);
      const { code, health } = await healthJson(repo);
      expect(code).toBe(0);
      expect(health).toEqual({ v: 1, tip: null, healthy: true, weeks: [], catchSpan: [], signs: [] });
    });
  });
});

describe('healthOf', () => {
  const spec = [
    { id: 'lint', layer: 'lint', invariant: '', run: 'eslint .' },
    { id: 'old-name', layer: 'type', invariant: '', run: 'tsc' },
  ];
  let n = 0;
  const rec = (iso: string, fail: string[], provenance: string[] = []): HistoryRecord => {
    const id = `r${(n += 1)}`;
    return {
      id,
      ts: Date.parse(iso),
      status: fail.length ? 'REJECTED' : 'ACCEPTED',
      source: 'GENERATOR',
      agent: 'claude',
      session: 's',
      hook: 'stop',
      tree: id,
      retry: provenance.length,
      escalated: false,
      provenance,
      chain: provenance[0] ?? id,
      verdicts: spec.map((g) => ({ guard: g.id, status: fail.includes(g.id) ? 'fail' : 'pass', ms: 1, feedback: '' })),
      spec,
      configHash: 'c',
      guardSetHash: 'g',
      task: null,
      skip: null,
      verify: null,
      approved: false,
    };
  };
  const row = (id: string, date: string | null, extra: Partial<Constraint> = {}): Constraint => ({
    id,
    date,
    dateSource: date ? 'config-history' : 'unknown',
    commit: null,
    renamedFrom: [],
    layer: 'lint',
    invariant: '',
    run: '',
    active: true,
    removed: null,
    runs: 0,
    caught: 0,
    recurrenceAfter: 0,
    lastCaught: null,
    verdict: 'effective',
    why: '',
    flakyTrees: 0,
    ...extra,
  });

  it('follows a renamed guard to its row, drops a removed guard from the count the week it left, and counts an undated active guard in every week', () => {
    const a = rec('2026-01-05T12:00:00Z', ['old-name']);
    const b = rec('2026-01-05T12:01:00Z', [], [a.id]);
    const c = rec('2026-01-20T12:00:00Z', ['old-name']);
    const d = rec('2026-01-20T12:01:00Z', [], [c.id]);
    const records = [a, b, c, d];
    const history: History = { records, chains: chainsOf(records), tip: null, warnings: [] };
    const log: Constraints = {
      v: 1,
      tip: null,
      graceDays: 7,
      idle: { runs: 50, days: 30 },
      constraints: [
        row('typecheck', '2026-01-05T09:00:00.000Z', { renamedFrom: ['old-name'] }),
        row('lint', '2026-01-05T09:00:00.000Z', { active: false, removed: '2026-01-14T00:00:00.000Z' }),
        row('later', '2026-01-13T00:00:00.000Z'),
        row('uncommitted', null),
      ],
    };
    const h = healthOf(history, log);
    expect(h.weeks).toEqual([
      { week: '2026-01-05', newConstraints: 0, constraints: 3, caughtRate: 1, recurrences: 0, retriesPerAccepted: 1 },
      { week: '2026-01-12', newConstraints: 1, constraints: 3, caughtRate: null, recurrences: 0, retriesPerAccepted: null },
      { week: '2026-01-19', newConstraints: 0, constraints: 3, caughtRate: 1, recurrences: 1, retriesPerAccepted: 1 },
    ]);
    expect(h.catchSpan).toEqual([{ id: 'typecheck', firstCaught: '2026-01-05T12:00:00.000Z', lastCaught: '2026-01-20T12:00:00.000Z', days: 15 }]);
    expect(h.healthy).toBe(true);
  });
});
