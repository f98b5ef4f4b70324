// The results of `stats`, `constraints` and `health` (their `--json` output, and what `report` draws),
// one zod/mini schema each: tests validate every --json output against them and the types are
// inferred from them. One file because the three share their week and rate vocabulary and the
// report reads all three; the schemas are the contract between the commands and the report.
import * as z from 'zod/mini';
import { SKIP_HOWS, SOURCES } from '../store/record-values.js';

const count = z.number().check(z.int(), z.nonnegative());
// A share in [0, 1], null when there is nothing to divide by.
const rate = z.nullable(z.number().check(z.gte(0), z.lte(1)));
const isoTime = z.string();
// An ISO week by the date of its Monday (UTC), "2026-11-30".
const week = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

// Retries per accepted chain: mean, median, 90th percentile, maximum, and how many chains had each count.
export const retriesSchema = z.strictObject({
  mean: z.nullable(z.number()),
  median: z.nullable(z.number()),
  p90: z.nullable(z.number()),
  max: z.nullable(count),
  distribution: z.array(z.strictObject({ retries: count, chains: count })),
});

// One guard's rejections: attempts it rejected and chains in which it rejected at least one.
export const guardRejectionsSchema = z.strictObject({ guard: z.string(), layer: z.string(), attempts: count, chains: count });

// Chains and acceptance of one group (a source, an agent).
export const groupSchema = z.strictObject({
  name: z.string(),
  chains: count,
  accepted: count,
  escalated: count,
  firstAttempt: count,
  firstAttemptRate: rate,
  rejections: count,
});

// One week of the trend (weeks with no record are present, so a chart's x axis is even).
export const statsWeekSchema = z.strictObject({
  week,
  records: count,
  chains: count,
  accepted: count,
  escalated: count,
  firstAttemptRate: rate,
  meanRetries: z.nullable(z.number()),
  rejections: count,
  skipped: count,
  refinements: count,
});

// `guardloop stats --json`.
export const statsSchema = z.strictObject({
  v: z.literal(1),
  tip: z.nullable(z.string()),
  since: z.nullable(isoTime),
  records: count,
  // Chains that started at or after `since`; ACCEPTED, ESCALATED (out of attempts), OPEN (last attempt rejected).
  chains: z.strictObject({ total: count, accepted: count, escalated: count, open: count }),
  // Accepted chains whose first attempt was accepted, over chains that ended (accepted + escalated).
  firstAttempt: z.strictObject({ accepted: count, of: count, rate }),
  retries: retriesSchema,
  rejections: z.strictObject({
    attempts: count,
    byGuard: z.array(guardRejectionsSchema),
    byLayer: z.array(z.strictObject({ layer: z.string(), attempts: count, chains: count })),
  }),
  bySource: z.array(groupSchema.check(z.refine((g) => (SOURCES as readonly string[]).includes(g.name)))),
  byAgent: z.array(groupSchema),
  skipped: z.strictObject({ total: count, byHow: z.array(z.strictObject({ how: z.enum(SKIP_HOWS), count })) }),
  // ACCEPTED chains with at least one rejected attempt: what `extract` exports by default.
  refinements: count,
  weeks: z.array(statsWeekSchema),
});
export type Stats = z.infer<typeof statsSchema>;

export const VERDICTS = ['new', 'effective', 'recurring', 'idle', 'flaky'] as const;

// One row of the constraint log.
export const constraintSchema = z.strictObject({
  id: z.string(),
  // When the guard entered the config (ISO date-time of the commit), null when the config's history
  // does not show it (not committed yet): then `dateSource` is "first-seen" and `date` the first record naming it, or null.
  date: z.nullable(isoTime),
  dateSource: z.enum(['config-history', 'first-seen', 'unknown']),
  // The commit that added it (config-history only).
  commit: z.nullable(z.string()),
  // Earlier ids of the same guard (renames followed when the command stayed), oldest first.
  renamedFrom: z.array(z.string()),
  layer: z.string(),
  invariant: z.string(),
  run: z.string(),
  // Still in the current config (false: removed; the row stays in the log).
  active: z.boolean(),
  removed: z.nullable(isoTime),
  runs: count,
  caught: count,
  // Chains caught that started more than the grace period after `date`.
  recurrenceAfter: count,
  lastCaught: z.nullable(isoTime),
  verdict: z.enum(VERDICTS),
  // Why the verdict, with its figure, and the fix: move a recurring constraint a layer up, review an idle one.
  why: z.string(),
  // Trees that got different verdicts from this guard (flaky evidence), how many.
  flakyTrees: count,
});
export type Constraint = z.infer<typeof constraintSchema>;

// `guardloop constraints --json`.
export const constraintsSchema = z.strictObject({
  v: z.literal(1),
  tip: z.nullable(z.string()),
  graceDays: z.number().check(z.nonnegative()),
  idle: z.strictObject({ runs: count, days: z.number().check(z.nonnegative()) }),
  constraints: z.array(constraintSchema),
});
export type Constraints = z.infer<typeof constraintsSchema>;

export const HEALTH_SIGNS = ['constraint-explosion', 'rules-up-caught-flat', 'recurrence-rising'] as const;

// One week of loop health.
export const healthWeekSchema = z.strictObject({
  week,
  newConstraints: count,
  // Guards in the config at the week's end.
  constraints: count,
  // Chains started this week in which some guard caught something, over chains started this week.
  caughtRate: rate,
  // Catches this week by guards past their grace period.
  recurrences: count,
  retriesPerAccepted: z.nullable(z.number()),
});

// `guardloop health --json`; the exit code is 1 when `signs` is not empty.
export const healthSchema = z.strictObject({
  v: z.literal(1),
  tip: z.nullable(z.string()),
  healthy: z.boolean(),
  weeks: z.array(healthWeekSchema),
  // Days from each constraint's first catch to its last (the constraints that caught something).
  catchSpan: z.array(z.strictObject({ id: z.string(), firstCaught: isoTime, lastCaught: isoTime, days: z.number().check(z.nonnegative()) })),
  // Each warning sign present, with the figure that triggered it and the threshold.
  signs: z.array(z.strictObject({ sign: z.enum(HEALTH_SIGNS), week: z.nullable(week), figure: z.number(), threshold: z.number(), message: z.string() })),
});
export type Health = z.infer<typeof healthSchema>;
