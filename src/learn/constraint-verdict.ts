// The rules a constraint must pay rent by, first match wins (README "The constraint log"):
//   flaky      some tree got a pass and a rejection from the same command: its verdicts can't be trusted;
//   new        in the config for less than the grace period, or it never caught anything and has
//              neither `idle.runs` runs nor `idle.period` behind it yet (too soon to call it idle);
//   recurring  it caught a chain that started after the grace period: the failure keeps coming back;
//   idle       no catch in its last `idle.runs` runs, or none for `idle.period`;
//   effective  it caught something, all within the grace period, and is still within the idle window.
import type { Constraint } from './insight-schemas.js';
import * as m from '../messages/constraints.js';

const DAY = 86_400_000;

// What a verdict is decided from: one constraint's figures and the log's settings.
export interface VerdictInput {
  id: string;
  layer: string;
  invariant: string;
  run: string;
  // When it entered the config (or was first seen), and the time it is judged at: now, or its removal.
  date: number | null;
  at: number;
  runs: number;
  caught: number;
  recurrenceAfter: number;
  lastCaught: number | null;
  // Whether each run rejected, oldest first.
  outcomes: readonly boolean[];
  flakyTrees: string[];
  // Where it is declared now (file:line), when active.
  place: string | null;
  graceMs: number;
  idleRuns: number;
  idleMs: number;
}

// The verdict and its reason (with the figure and the fix).
export function verdictOf(c: VerdictInput): Pick<Constraint, 'verdict' | 'why'> {
  const days = (ms: number) => Math.floor(ms / DAY);
  if (c.flakyTrees.length) return { verdict: 'flaky', why: m.whyFlaky(c.flakyTrees.length, c.flakyTrees[0], c.run, c.place) };
  const age = c.date === null ? null : c.at - c.date;
  if (age !== null && age < c.graceMs) return { verdict: 'new', why: m.whyNew(days(age), days(c.graceMs)) };
  if (c.recurrenceAfter > 0) return { verdict: 'recurring', why: m.whyRecurring(c.recurrenceAfter, c.caught, days(c.graceMs), iso(c.lastCaught), c.layer, c.invariant) };
  const lastN = c.outcomes.slice(-c.idleRuns);
  if (c.outcomes.length >= c.idleRuns && !lastN.some(Boolean)) return { verdict: 'idle', why: m.whyIdleRuns(c.idleRuns, c.runs, iso(c.lastCaught), c.place) };
  const quiet = c.at - (c.lastCaught ?? c.date ?? c.at);
  if (age !== null && age >= c.idleMs && quiet >= c.idleMs) return { verdict: 'idle', why: m.whyIdleDays(days(c.idleMs), c.runs, iso(c.lastCaught), c.place) };
  if (c.caught > 0) return { verdict: 'effective', why: m.whyEffective(c.caught, days(c.graceMs), iso(c.lastCaught)) };
  return { verdict: 'new', why: m.whyTooSoon(c.runs, c.idleRuns, age === null ? null : days(age), days(c.idleMs)) };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));
