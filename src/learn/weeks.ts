// The week vocabulary of stats, health and the report: a week is named by the date of its Monday in
// UTC ("2026-11-30"), so a trend's weeks sort as strings and mean the same on every machine.

const DAY = 86_400_000;

// The Monday (UTC, 00:00) of the week holding `ms`, in milliseconds since the epoch.
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday.
  const weekday = (((day + 3) % 7) + 7) % 7;
  return (day - weekday) * DAY;
}

// The name of the week holding `ms`.
export function weekOf(ms: number): string {
  return new Date(weekStart(ms)).toISOString().slice(0, 10);
}

// Every week from the one holding `from` to the one holding `to`, oldest first (empty when to < from
// or either is not a number), so a trend has a row for the weeks with nothing in them.
export function weeksBetween(from: number, to: number): string[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return [];
  const out: string[] = [];
  for (let w = weekStart(from); w <= to; w += 7 * DAY) out.push(new Date(w).toISOString().slice(0, 10));
  return out;
}
