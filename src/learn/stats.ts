// `guardloop stats` as a library call: how the loop does, read from ℛ alone. Chains are judged by
// when they started (`since` keeps the chains that started at or after it); record counts (records,
// skipped commits) by each record's own time. Reads never write.
import { SKIP_HOWS, SOURCES } from '../store/record-values.js';
import { readHistory, type History, type HistoryChain } from './history.js';
import type { Stats } from './insight-schemas.js';
import { judgedChains, refinementTest } from './stats-chains.js';
import { groupsBy, isFirstAttempt, meanRetries, rejectedAttempts, rejectionsOf, retriesOf, share } from './stats-figures.js';
import { sinceMs } from './stats-since.js';
import { weekStart, weeksBetween } from './weeks.js';

const WEEK = 7 * 86_400_000;

// What stats() is asked: the repository, the notes ref, `since` (an ISO date or date-time, UTC
// without an offset, or a duration back from now such as 30d), and a History already read (the
// report reads ℛ once for all its figures).
export interface StatsOptions {
  cwd: string;
  ref?: string;
  since?: string;
  history?: History;
}

// The figures of `guardloop stats` (its --json output). Throws SinceError (SINCE_INVALID, exit 2)
// for a `since` that is no date, date-time or duration, before ℛ is read.
export async function stats(opts: StatsOptions): Promise<Stats> {
  const since = sinceMs(opts.since);
  const history = opts.history ?? (await readHistory({ cwd: opts.cwd, ref: opts.ref }));
  return statsOf(history, since);
}

// The figures of a History from `since` on (milliseconds; null: all of it).
export function statsOf(history: History, since: number | null): Stats {
  const inWindow = (ms: number) => since === null || ms >= since;
  const records = history.records.filter((r) => inWindow(r.ts));
  const chains = judgedChains(history).filter((c) => inWindow(c.start));
  const isRefinement = refinementTest(history);
  const skipped = records.filter((r) => r.status === 'SKIPPED');
  const ended = chains.filter((c) => c.outcome !== 'OPEN');
  const firstAttempt = chains.filter(isFirstAttempt).length;
  return {
    v: 1,
    tip: history.tip,
    since: since === null ? null : new Date(since).toISOString(),
    records: records.length,
    chains: {
      total: chains.length,
      accepted: chains.filter((c) => c.outcome === 'ACCEPTED').length,
      escalated: chains.filter((c) => c.outcome === 'ESCALATED').length,
      open: chains.filter((c) => c.outcome === 'OPEN').length,
    },
    firstAttempt: { accepted: firstAttempt, of: ended.length, rate: share(firstAttempt, ended.length) },
    retries: retriesOf(chains),
    rejections: rejectionsOf(chains),
    bySource: groupsBy(chains, (c) => c.source, SOURCES),
    byAgent: groupsBy(chains, (c) => c.agent),
    skipped: {
      total: skipped.length,
      byHow: SKIP_HOWS.map((how) => ({ how, count: skipped.filter((r) => r.skip?.how === how).length })).filter((h) => h.count > 0),
    },
    refinements: chains.filter(isRefinement).length,
    weeks: weeksOf(records, chains, isRefinement),
  };
}

// One row per week from the first record's week to the last one's, empty weeks included: chains
// by the week they started, records, rejected attempts and skips by their own time.
function weeksOf(records: History['records'], chains: HistoryChain[], isRefinement: (c: HistoryChain) => boolean): Stats['weeks'] {
  let first = Infinity;
  let last = -Infinity;
  for (const r of records) {
    if (!Number.isFinite(r.ts)) continue;
    first = Math.min(first, r.ts);
    last = Math.max(last, r.ts);
  }
  const names = weeksBetween(first, last);
  const rows = names.map(() => ({ records: 0, skipped: 0, rejections: 0, chains: [] as HistoryChain[] }));
  // A week's row by arithmetic (naming each record's week would format a date per record).
  const origin = weekStart(first);
  const at = (ms: number) => (Number.isFinite(ms) ? rows[Math.floor((ms - origin) / WEEK)] : undefined);
  for (const r of records) {
    const row = at(r.ts);
    if (!row) continue;
    row.records += 1;
    if (r.status === 'SKIPPED') row.skipped += 1;
  }
  for (const r of rejectedAttempts(chains)) {
    const row = at(r.ts);
    if (row) row.rejections += 1;
  }
  for (const c of chains) at(c.start)?.chains.push(c);
  return names.map((week, i) => {
    const row = rows[i];
    const list = row.chains;
    const ended = list.filter((c) => c.outcome !== 'OPEN').length;
    const first = list.filter(isFirstAttempt).length;
    return {
      week,
      records: row.records,
      chains: list.length,
      accepted: list.filter((c) => c.outcome === 'ACCEPTED').length,
      escalated: list.filter((c) => c.outcome === 'ESCALATED').length,
      firstAttemptRate: share(first, ended),
      meanRetries: meanRetries(list),
      rejections: row.rejections,
      skipped: row.skipped,
      refinements: list.filter(isRefinement).length,
    };
  });
}
