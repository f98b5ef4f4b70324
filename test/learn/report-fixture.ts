import type { Constraints, Health, Stats } from '../../src/learn/insight-schemas.js';
import type { ReportData } from '../../src/learn/report-html.js';

// Hand-built figures for the report's renderer: every chart with data, every verdict, a warning
// sign, and escalated chains whose feedback tries to break out of the page.

export const HOSTILE = '<script>window.__pwned = 1</script></textarea><img src=x onerror="window.__pwned=2">&amp; "quoted" \'single\'';

const group = (name: string, chains: number, accepted: number, escalated: number, firstAttempt: number, rejections: number) => ({
  name,
  chains,
  accepted,
  escalated,
  firstAttempt,
  firstAttemptRate: accepted + escalated ? firstAttempt / (accepted + escalated) : null,
  rejections,
});

export function sampleStats(): Stats {
  const weeks = ['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02'].map((week, i) => ({
    week,
    records: 10 + i,
    chains: i === 2 ? 0 : 4,
    accepted: i === 2 ? 0 : 3,
    escalated: i === 2 ? 0 : 1,
    firstAttemptRate: i === 2 ? null : [0.25, 0.5, 0, 0.75, 1][i],
    meanRetries: i === 2 ? null : 1,
    rejections: i,
    skipped: 0,
    refinements: 1,
  }));
  return {
    v: 1,
    tip: 'a'.repeat(40),
    since: null,
    records: 60,
    chains: { total: 16, accepted: 12, escalated: 3, open: 1 },
    firstAttempt: { accepted: 8, of: 15, rate: 8 / 15 },
    retries: { mean: 0.75, median: 0, p90: 2, max: 3, distribution: [{ retries: 0, chains: 8 }, { retries: 1, chains: 2 }, { retries: 3, chains: 2 }] },
    rejections: {
      attempts: 14,
      byGuard: [
        { guard: 'no-todo', layer: 'lint', attempts: 9, chains: 6 },
        { guard: 'types', layer: 'type', attempts: 5, chains: 4 },
        { guard: 'never-rejects', layer: 'test', attempts: 0, chains: 0 },
      ],
      byLayer: [
        { layer: 'lint', attempts: 9, chains: 6 },
        { layer: 'type', attempts: 5, chains: 4 },
      ],
    },
    bySource: [group('HUMAN', 6, 5, 0, 4, 3), group('GENERATOR', 10, 7, 3, 4, 11), group('CI', 0, 0, 0, 0, 0)],
    byAgent: [group('claude', 10, 7, 3, 4, 11)],
    skipped: { total: 2, byHow: [{ how: 'no-pre-commit', count: 2 }] },
    refinements: 4,
    weeks,
  };
}

const row = (id: string, verdict: Constraints['constraints'][number]['verdict'], extra: Partial<Constraints['constraints'][number]> = {}): Constraints['constraints'][number] => ({
  id,
  date: '2026-10-01T09:00:00.000Z',
  dateSource: 'config-history',
  commit: 'b'.repeat(40),
  renamedFrom: [],
  layer: 'lint',
  invariant: `In this codebase, ${id} must never fail, because it causes broken builds.`,
  run: `check ${id}`,
  active: true,
  removed: null,
  runs: 20,
  caught: 3,
  recurrenceAfter: 0,
  lastCaught: '2026-10-20T09:00:00.000Z',
  verdict,
  why: `because ${verdict}`,
  flakyTrees: 0,
  ...extra,
});

export function sampleConstraints(): Constraints {
  return {
    v: 1,
    tip: 'a'.repeat(40),
    graceDays: 7,
    idle: { runs: 50, days: 30 },
    constraints: [
      row('no-todo', 'recurring', { recurrenceAfter: 4, caught: 6 }),
      row('types', 'effective', { layer: 'type', renamedFrom: ['tsc'] }),
      row('fresh', 'new', { date: '2026-11-03T09:00:00.000Z', caught: 0, lastCaught: null }),
      row('never-rejects', 'idle', { caught: 0, lastCaught: null, layer: 'test' }),
      row('flaky-net', 'flaky', { flakyTrees: 2 }),
      row(HOSTILE, 'effective', { active: false, removed: '2026-10-30T09:00:00.000Z', invariant: HOSTILE, dateSource: 'first-seen' }),
    ],
  };
}

export function sampleHealth(): Health {
  return {
    v: 1,
    tip: 'a'.repeat(40),
    healthy: false,
    weeks: ['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02'].map((week, i) => ({
      week,
      newConstraints: [3, 0, 11, 1, 0][i],
      constraints: [3, 3, 14, 15, 15][i],
      caughtRate: 0.5,
      recurrences: i,
      retriesPerAccepted: 1,
    })),
    catchSpan: [],
    signs: [{ sign: 'constraint-explosion', week: '2026-10-19', figure: 11, threshold: 10, message: '11 new constraints in the week of 2026-10-19 (threshold 10).' }],
  };
}

export function sampleData(): ReportData {
  const attempt = (id: string, status: string, ts: number, feedback: string) => ({ id, status, ts, failures: [{ guard: 'no-todo', status: 'fail', feedback }] });
  return {
    repo: 'sample',
    ref: 'refs/notes/guardloop',
    version: '0.0.0-test',
    generated: Date.parse('2026-11-05T12:00:00Z'),
    since: null,
    stats: sampleStats(),
    constraints: sampleConstraints(),
    health: sampleHealth(),
    escalated: {
      total: 3,
      chains: [
        {
          id: 'c1',
          source: 'GENERATOR',
          agent: 'claude',
          task: HOSTILE,
          start: Date.parse('2026-11-02T10:00:00Z'),
          end: Date.parse('2026-11-02T10:05:00Z'),
          caughtBy: ['no-todo'],
          attempts: [attempt('r1', 'REJECTED', Date.parse('2026-11-02T10:00:00Z'), HOSTILE), attempt('r2', 'REJECTED', Date.parse('2026-11-02T10:05:00Z'), '')],
        },
        { id: 'c2', source: 'GENERATOR', agent: 'codex', task: null, start: 0, end: 1, caughtBy: ['types'], attempts: [attempt('r3', 'REJECTED', 1, 'src/a.ts(1,1): error TS2322')] },
      ],
    },
    unread: 0,
    all: 60,
  };
}
