// The warning signs of constraint explosion, judged on the weeks of `health`: each with the figure
// that triggered it and the threshold it crossed. Only the last weeks of ℛ's activity are judged (a
// burst half a year ago that settled is history, not a sign), and the guards the config started
// with are no "new constraints" (adopting guardloop with twelve guards is no explosion).
import type { Health } from './insight-schemas.js';
import { constraintExplosion, recurrenceRising, rulesUpCaughtFlat } from '../messages/health.js';

// 10+ new constraints in one week (concepts: a healthy loop adds 2–3 a week).
export const EXPLOSION_PER_WEEK = 10;
// The weeks judged: the last 4 weeks of activity, compared with the 4 weeks before them.
export const WINDOW_WEEKS = 4;
// rules-up-caught-flat: the config gained at least this many guards over the window…
export const RULES_UP = 5;
// …while the share of chains some guard caught moved by less than this (a share: 0.05 = 5 points)…
export const CAUGHT_FLAT = 0.05;
// …with at least this many chains in each window, so the two rates mean something.
export const MIN_CHAINS = 10;
// recurrence-rising: at least this many catches past the grace period in the window, and more than before it.
export const RECURRENCE_MIN = 3;

type Week = Health['weeks'][number];
type Sign = Health['signs'][number];

// A week's chains and the chains caught in it: the counts behind its (rounded) caught rate, so a
// window's rate is computed from counts, not from rounded rates.
export interface WeekCounts {
  chains: number;
  caught: number;
}

const sum = (list: readonly number[]) => list.reduce((s, n) => s + n, 0);

// The signs present in `weeks` (oldest first), given each week's chain counts (same order).
export function signsOf(weeks: readonly Week[], counts: readonly WeekCounts[]): Sign[] {
  const signs: Sign[] = [];
  const n = weeks.length;
  if (!n) return signs;
  const recent = Math.max(0, n - WINDOW_WEEKS);
  for (let i = recent; i < n; i++) {
    const w = weeks[i];
    if (w.newConstraints >= EXPLOSION_PER_WEEK) signs.push({ sign: 'constraint-explosion', week: w.week, figure: w.newConstraints, threshold: EXPLOSION_PER_WEEK, message: constraintExplosion(w.week, w.newConstraints, EXPLOSION_PER_WEEK) });
  }
  const last = weeks[n - 1];
  const before = Math.max(0, n - 2 * WINDOW_WEEKS);
  const windowA = counts.slice(before, recent);
  const windowB = counts.slice(recent);
  const chainsA = sum(windowA.map((c) => c.chains));
  const chainsB = sum(windowB.map((c) => c.chains));
  // The guard count at the end of the week before the window (none before the first week).
  const startCount = recent > 0 ? weeks[recent - 1].constraints : weeks[0].constraints - weeks[0].newConstraints;
  const growth = last.constraints - startCount;
  if (growth >= RULES_UP && chainsA >= MIN_CHAINS && chainsB >= MIN_CHAINS) {
    const rateA = sum(windowA.map((c) => c.caught)) / chainsA;
    const rateB = sum(windowB.map((c) => c.caught)) / chainsB;
    const moved = Math.abs(rateB - rateA);
    if (moved < CAUGHT_FLAT) signs.push({ sign: 'rules-up-caught-flat', week: last.week, figure: growth, threshold: RULES_UP, message: rulesUpCaughtFlat(WINDOW_WEEKS, growth, RULES_UP, rateA, rateB, CAUGHT_FLAT) });
  }
  const recA = sum(weeks.slice(before, recent).map((w) => w.recurrences));
  const recB = sum(weeks.slice(recent).map((w) => w.recurrences));
  const bar = Math.max(RECURRENCE_MIN, recA + 1);
  if (recent > 0 && recB >= bar) signs.push({ sign: 'recurrence-rising', week: last.week, figure: recB, threshold: bar, message: recurrenceRising(WINDOW_WEEKS, recB, recA, bar) });
  return signs;
}
