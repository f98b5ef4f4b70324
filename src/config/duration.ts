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

// A period of the constraint log's settings ("36h", "7d", "2w": hours up), as the schema checks it.
export const PERIOD_PATTERN = /^(\d+(?:\.\d+)?)\s*([hdw])$/;
const PERIOD_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

// Turns a validated period into milliseconds (beside durationToMs: the config's spans in one module).
export function periodToMs(text: string): number {
  const m = PERIOD_PATTERN.exec(text.trim());
  if (!m) throw new RangeError(`not a period: ${JSON.stringify(text)}`);
  return Number(m[1]) * PERIOD_MS[m[2] as keyof typeof PERIOD_MS];
}
