const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

// The longest timeout a guard may have (24 h): longer is a mistake, and past ~24.8 days Node's timers
// overflow and fire at once. Checked at load time (src/config/runtime-values.ts).
export const MAX_DURATION_MS = 24 * 3_600_000;

// Turns a validated duration (seconds as a number, or "500ms" / "90s" / "5m" / "1h") into milliseconds,
// the one unit the engine works with.
export function durationToMs(value: number | string): number {
  if (typeof value === 'number') return Math.round(value * 1_000);
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(value.trim());
  if (!match) throw new RangeError(`not a duration: ${JSON.stringify(value)}`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}
