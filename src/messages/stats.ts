import type { Stats } from '../learn/insight-schemas.js';

// Wording of `guardloop stats`: its usage error, the one-liners when there is nothing to count, and
// the terminal summary (sections of aligned figures, each percentage with the counts it comes from).
// The column layout (`columns`) is shared with `guardloop health`'s tables.

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// A share as a whole percentage ("–" when there was nothing to divide by).
export function percent(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)}%`;
}

// A number for a table cell ("–" for null, at most 2 decimals).
export function figure(n: number | null): string {
  return n === null ? '–' : String(Math.round(n * 100) / 100);
}

// Rows of cells as aligned text: the first `left` columns left-aligned (names), the others
// right-aligned (figures), two spaces apart, every line indented by `indent`.
export function columns(rows: string[][], indent = '  ', left = 1): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) => `${indent}${row.map((cell, i) => (i < left ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`.trimEnd())
    .join('\n');
}

// `--since` is neither a date nor a duration (SinceError SINCE_INVALID, exit 2).
export function invalidStatsSince(value: string): string {
  return `--since expects an ISO date such as 2026-01-31, a date-time such as 2026-01-31T12:00:00Z (without an offset it is UTC), or a duration back from now such as 30d, 12h or 2w, got '${value}'. Example: --since 30d for the last 30 days, --since 2026-01-01 for this year.`;
}

// `guardloop stats` on an ℛ without records (exit 0).
export const EMPTY_STATS = 'Nothing to count yet: ℛ has no records. Commit through the hook (`npx guardloop init`, then `git commit`) or run `npx guardloop run` to make the first one.';

// `guardloop stats --since` when ℛ has records, none of them at or after `since` (exit 0).
export function nothingSince(since: string): string {
  return `Nothing to count since ${since}: ℛ has no records at or after it. Try an earlier --since (e.g. --since 90d), or leave it out for all of ℛ.`;
}

// "62% (31 of 50 chains)": a rate with the counts it comes from.
function rateOf(part: number, of: number, rate: number | null, noun: string): string {
  return `${percent(rate)} (${part} of ${of} ${noun})`;
}

function retriesLine(r: Stats['retries']): string {
  if (r.mean === null) return 'none accepted';
  return `mean ${figure(r.mean)}, median ${figure(r.median)}, p90 ${figure(r.p90)}, max ${figure(r.max)}`;
}

// A table of groups (sources, agents) under a header naming the group's kind.
function groupTable(kind: string, groups: Stats['bySource']): string {
  return columns([
    [kind, 'chains', 'accepted', 'escalated', 'first attempt (of ended)', 'rejections'],
    ...groups.map((g) => [g.name, String(g.chains), String(g.accepted), String(g.escalated), rateOf(g.firstAttempt, g.accepted + g.escalated, g.firstAttemptRate, 'ended'), String(g.rejections)]),
  ]);
}

// The terminal summary of `guardloop stats` (ℛ has records in the window).
export function statsText(s: Stats): string {
  const first = s.weeks[0]?.week;
  const last = s.weeks[s.weeks.length - 1]?.week;
  const span = first ? (first === last ? `the week of ${first}` : `the weeks of ${first} to ${last}`) : 'no dated records';
  const out: string[] = [`ℛ${s.since ? ` since ${s.since}` : ''}: ${plural(s.records, 'record')} in ${span}, ${plural(s.chains.total, 'chain')} of attempts.`, ''];
  const skips = s.skipped.byHow.map((h) => `${h.how}: ${h.count}`).join(', ');
  out.push('Chains');
  out.push(
    columns([
      ['first-attempt acceptance', rateOf(s.firstAttempt.accepted, s.firstAttempt.of, s.firstAttempt.rate, s.firstAttempt.of === 1 ? 'chain that ended' : 'chains that ended')],
      ['accepted', String(s.chains.accepted)],
      ['escalated (out of attempts)', String(s.chains.escalated)],
      ['open (last attempt rejected)', String(s.chains.open)],
      ['retries per accepted chain', retriesLine(s.retries)],
      ['refinements for training', `${s.refinements}  (accepted after ≥1 rejection: guardloop extract)`],
      ['skipped commits', `${s.skipped.total}${skips ? `  (${skips}; guardloop audit lists them)` : ''}`],
    ], '  ', 2),
  );
  if (s.retries.distribution.length > 1) {
    out.push('', 'Retries before acceptance');
    out.push(columns([['retries', 'accepted chains'], ...s.retries.distribution.map((d) => [String(d.retries), String(d.chains)])], '  ', 0));
  }
  out.push('', `Rejections (${plural(s.rejections.attempts, 'rejected attempt')})`);
  if (s.rejections.byGuard.length) {
    out.push(columns(s.rejections.byGuard.map((g) => [g.guard, g.layer, plural(g.attempts, 'attempt'), `in ${plural(g.chains, 'chain')}`]), '  ', 2));
    out.push('  by layer');
    out.push(columns(s.rejections.byLayer.map((l) => [l.layer, plural(l.attempts, 'attempt'), `in ${plural(l.chains, 'chain')}`]), '    '));
  } else out.push('  none');
  if (s.bySource.length) out.push('', 'By source', groupTable('source', s.bySource));
  if (s.byAgent.length) out.push('', 'By agent', groupTable('agent', s.byAgent));
  if (s.weeks.length) {
    out.push('', 'Per week (chains by the week they started)');
    out.push(
      columns([
        ['week', 'records', 'chains', 'accepted', 'escalated', 'first attempt', 'retries', 'rejections', 'skipped', 'refinements'],
        ...s.weeks.map((w) => [w.week, String(w.records), String(w.chains), String(w.accepted), String(w.escalated), percent(w.firstAttemptRate), figure(w.meanRetries), String(w.rejections), String(w.skipped), String(w.refinements)]),
      ]),
    );
  }
  return out.join('\n');
}
