// `guardloop health` as a library call: whether the loop of *generate → observe failures → add
// constraints* is working, from ℛ and the constraint log (constraints.ts, which reads the config's
// git history). Per week: new constraints, guards in force, the share of chains caught, catches by
// guards past their grace period (recurrences), retries per accepted chain; per constraint the time
// from its first catch to its last; and the warning signs of constraint explosion (health-signs.ts).
import { constraints as constraintLog } from './constraints.js';
import { readHistory, rejects, type History, type HistoryChain } from './history.js';
import type { Constraints, Health } from './insight-schemas.js';
import { signsOf, type WeekCounts } from './health-signs.js';
import { judgedChains } from './stats-chains.js';
import { meanRetries, share } from './stats-figures.js';
import { weeksBetween, weekStart } from './weeks.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

// What health() is asked: the repository, the notes ref, and what the report has read already.
export interface HealthOptions {
  cwd: string;
  ref?: string;
  history?: History;
  constraints?: Constraints;
}

// The loop's health (`guardloop health --json`; the CLI exits 1 when `signs` is not empty).
export async function health(opts: HealthOptions): Promise<Health> {
  const history = opts.history ?? (await readHistory({ cwd: opts.cwd, ref: opts.ref }));
  const log = opts.constraints ?? (await constraintLog({ cwd: opts.cwd, ref: opts.ref, history }));
  return healthOf(history, log);
}

const time = (iso: string | null) => (iso === null ? NaN : Date.parse(iso));

// Health of a History against its constraint log.
export function healthOf(history: History, log: Constraints): Health {
  const rows = log.constraints;
  const chains = judgedChains(history);
  // Every id a row has gone by, to the row (the current id wins over an old one reused).
  const rowOf = new Map<string, Constraints['constraints'][number]>();
  for (const row of rows) for (const id of row.renamedFrom) rowOf.set(id, row);
  for (const row of rows) rowOf.set(row.id, row);
  const dates = rows.map((r) => time(r.date)).filter(Number.isFinite);
  // The guards the config started with: the rows dated with the earliest date (its first commit).
  const committed = rows.filter((r) => r.dateSource === 'config-history').map((r) => time(r.date));
  const baseline = committed.length ? Math.min(...committed) : dates.length ? Math.min(...dates) : NaN;
  const times = [...dates, ...rows.map((r) => time(r.removed)).filter(Number.isFinite), ...chains.flatMap((c) => c.records.map((r) => r.ts)).filter(Number.isFinite)];
  let first = Infinity;
  let last = -Infinity;
  for (const t of times) {
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  const names = weeksBetween(first, last);
  const byWeek = names.map((): HistoryChain[] => []);
  // A chain's week by arithmetic (naming each chain's week would format a date per chain).
  const origin = weekStart(first);
  for (const c of chains) if (Number.isFinite(c.start)) byWeek[Math.floor((c.start - origin) / WEEK)]?.push(c);
  const graceMs = log.graceDays * DAY;
  const counts: WeekCounts[] = [];
  const weeks = names.map((week, i) => {
    const start = origin + i * WEEK;
    const end = start + WEEK;
    const list = byWeek[i];
    const caught = list.filter((c) => c.caughtBy.length > 0).length;
    counts.push({ chains: list.length, caught });
    let recurrences = 0;
    for (const c of list) {
      for (const g of c.caughtBy) {
        const came = time(rowOf.get(g)?.date ?? null);
        if (Number.isFinite(came) && c.start > came + graceMs) recurrences += 1;
      }
    }
    return {
      week,
      newConstraints: rows.filter((r) => {
        const t = time(r.date);
        return t >= start && t < end && t !== baseline;
      }).length,
      constraints: rows.filter((r) => {
        const t = time(r.date);
        const gone = time(r.removed);
        return (Number.isFinite(t) ? t < end : r.active || Number.isFinite(gone)) && !(gone < end);
      }).length,
      caughtRate: share(caught, list.length),
      recurrences,
      retriesPerAccepted: meanRetries(list),
    };
  });
  const signs = signsOf(weeks, counts);
  return { v: 1, tip: history.tip, healthy: signs.length === 0, weeks, catchSpan: catchSpans(chains, rowOf), signs };
}

// For each constraint that caught something: the time of the first and of the last attempt one of
// its ids rejected, and the days between them; earliest first catch first.
function catchSpans(chains: readonly HistoryChain[], rowOf: ReadonlyMap<string, Constraints['constraints'][number]>): Health['catchSpan'] {
  const spans = new Map<string, { first: number; last: number }>();
  for (const c of chains) {
    for (const r of c.records) {
      if (!Number.isFinite(r.ts)) continue;
      for (const v of r.verdicts) {
        if (!rejects(v)) continue;
        const id = rowOf.get(v.guard)?.id;
        if (id === undefined) continue;
        const s = spans.get(id);
        if (!s) spans.set(id, { first: r.ts, last: r.ts });
        else {
          s.first = Math.min(s.first, r.ts);
          s.last = Math.max(s.last, r.ts);
        }
      }
    }
  }
  return [...spans]
    .map(([id, s]) => ({ id, firstCaught: new Date(s.first).toISOString(), lastCaught: new Date(s.last).toISOString(), days: Math.round(((s.last - s.first) / DAY) * 100) / 100 }))
    .sort((a, b) => (a.firstCaught < b.firstCaught ? -1 : a.firstCaught > b.firstCaught ? 1 : a.id < b.id ? -1 : 1));
}
