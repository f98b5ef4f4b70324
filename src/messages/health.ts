import type { Health } from '../learn/insight-schemas.js';
import { columns, figure, percent } from './stats.js';

// Wording of `guardloop health`: each warning sign (the figure that triggered it, the threshold,
// and what to do), the verdict line, and the terminal summary.

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// Sign constraint-explosion: a week in the judged window added `count` constraints (≥ `threshold`).
export function constraintExplosion(week: string, count: number, threshold: number): string {
  return `constraint explosion: ${count} new constraints in the week of ${week} (threshold ${threshold} a week; a healthy loop adds 2–3). Constraints are growing faster than understanding: run \`guardloop constraints\`, merge the new guards that encode one class of failure, drop the one-bug ones, and move a recurring one a layer up instead of adding more.`;
}

// Sign rules-up-caught-flat: the config gained `growth` guards over the last `weeks` weeks while the
// share of chains caught stayed within `flat` of the weeks before.
export function rulesUpCaughtFlat(weeks: number, growth: number, threshold: number, before: number, after: number, flat: number): string {
  return `rules up, caught rate flat: ${growth} more guards over the last ${weeks} weeks (threshold ${threshold}) while the share of chains caught went from ${percent(before)} to ${percent(after)} (moved less than ${Math.round(flat * 100)} points). The new rules catch nothing the old ones didn't: check their Caught column in \`guardloop constraints\` and delete or merge the idle ones.`;
}

// Sign recurrence-rising: `count` catches by guards past their grace period in the last `weeks`
// weeks, against `before` in the weeks before (threshold `threshold`).
export function recurrenceRising(weeks: number, count: number, before: number, threshold: number): string {
  return `recurrence rising: ${plural(count, 'catch', 'catches')} by guards past their grace period in the last ${weeks} weeks, ${before} in the ${weeks} weeks before (threshold ${threshold}). Those guards sit at too low a layer: \`guardloop constraints\` marks them recurring; move each a layer up (lint → type → primitive).`;
}

// `guardloop health` on an ℛ without records and a config without guards (exit 0).
export const EMPTY_HEALTH = 'Nothing to judge yet: ℛ has no records and no guard is in a committed config. Declare guards in .loop/config.yaml (`npx guardloop init` writes a starter), then commit through the hook to make the first records.';

// The last line of `guardloop health`: healthy (exit 0), or how many signs (exit 1).
export function healthVerdict(h: Health): string {
  return h.healthy ? 'Healthy: no warning sign of constraint explosion.' : `${plural(h.signs.length, 'warning sign')} of constraint explosion (exit 1):`;
}

// The terminal summary of `guardloop health`.
export function healthText(h: Health): string {
  const out: string[] = [];
  if (h.weeks.length) {
    out.push('Per week (chains by the week they started)');
    out.push(
      columns([
        ['week', 'new constraints', 'guards', 'caught', 'recurrences', 'retries/accepted'],
        ...h.weeks.map((w) => [w.week, String(w.newConstraints), String(w.constraints), percent(w.caughtRate), String(w.recurrences), figure(w.retriesPerAccepted)]),
      ]),
    );
  }
  if (h.catchSpan.length) {
    out.push('', 'From first catch to last');
    out.push(columns(h.catchSpan.map((s) => [s.id, s.firstCaught.slice(0, 10), s.lastCaught.slice(0, 10), `${figure(s.days)} days`]), '  ', 3));
  }
  if (out.length) out.push('');
  out.push(healthVerdict(h));
  for (const s of h.signs) out.push(`  ${s.message}`);
  return out.join('\n');
}
