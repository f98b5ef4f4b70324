// Wording of `guardloop constraints`: the constraint log's columns, each verdict's reason with its
// figure and its fix, the config's period format, and the command's usage errors.
import type { Constraint } from '../learn/insight-schemas.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// What a period looks like, shown as `expected` when `constraints.grace` or `constraints.idle.period` doesn't parse.
export const PERIOD_FORMAT = 'a period such as "36h", "7d" or "2w"';

// The log's columns, in the seed's order (terminal table and --md).
export const COLUMNS = ['Date', 'Constraint', 'Layer', 'Invariant', 'Caught', 'Recurrence after', 'Last caught', 'Verdict'] as const;

// The Date cell of a constraint the config's history doesn't show (first-seen: its first record; unknown: none).
export function dateCell(c: Pick<Constraint, 'date' | 'dateSource'>): string {
  if (c.date === null) return '—';
  return c.dateSource === 'first-seen' ? `${c.date.slice(0, 10)}*` : c.date.slice(0, 10);
}

// The Constraint cell: the id, its earlier ids, and its removal.
export function constraintCell(c: Pick<Constraint, 'id' | 'renamedFrom' | 'active' | 'removed'>): string {
  const was = c.renamedFrom.length ? ` (was ${c.renamedFrom.join(', ')})` : '';
  const gone = c.active ? '' : c.removed ? ` (removed ${c.removed.slice(0, 10)})` : ' (removed, not committed)';
  return `${c.id}${was}${gone}`;
}

// Under the table when a Date came from ℛ rather than the config's history.
export const FIRST_SEEN_NOTE = '* not in the git history of .loop/config.yaml (not committed yet): the date of the first record naming it. Commit the config to date it.';

// Above the reasons under the table (the rows that need something done).
export const TO_DO_HEADING = 'To do:';

// `guardloop constraints` when no guard was ever in the config nor in ℛ.
export const NO_CONSTRAINTS = 'No constraints yet: no guard in .loop/config.yaml, its git history or ℛ. Declare one under `guards:` in .loop/config.yaml (guardloop init writes a starter config), then commit it: its date is the commit\'s.';

// `constraints`/`health` in a shallow clone (stderr; the figures are still printed).
export const SHALLOW_CLONE = 'guardloop: this is a shallow clone, so the config\'s history is cut off: dates, renames and removals before the cut are wrong. Fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout).';

// `--json` and `--md` together (exit 2).
export const JSON_OR_MD = 'guardloop constraints prints one format at a time: --json (the figures) or --md (the table as Markdown). Drop one of them.';

// flaky: the same tree got a pass and a rejection from the same command.
export function whyFlaky(trees: number, example: string, run: string, place: string | null): string {
  return `${plural(trees, 'tree')} got both a pass and a rejection from \`${run}\` (e.g. tree ${example.slice(0, 12)}): a verdict that changes while the code doesn't can't be trusted. Make the check deterministic (pin tool versions; no network, clock or files outside the tree) or fix it${place ? ` (${place})` : ''}; check with \`guardloop verify\` on a commit it judged.`;
}

// new: younger than the grace period.
export function whyNew(ageDays: number, graceDays: number): string {
  return `in the config for ${plural(ageDays, 'day')}, less than the grace period (${plural(graceDays, 'day')}): its catches are the failures it was added for; judged once the period is over (constraints.grace in .loop/config.yaml).`;
}

// new: past the grace period but never caught anything, and not yet idle.
export function whyTooSoon(runs: number, idleRuns: number, ageDays: number | null, idleDays: number): string {
  const age = ageDays === null ? 'not committed and never run' : `${plural(runs, 'run')} of ${idleRuns} and ${plural(ageDays, 'day')} of ${idleDays} without a catch`;
  return `nothing caught yet, too soon to call idle (${age}); idle after either (constraints.idle in .loop/config.yaml).`;
}

// The layer above `layer` on the escalation ladder (review → test → lint → type → primitive).
function layerUp(layer: string): string {
  switch (layer) {
    case 'review':
      return 'a test (layer: test), or better a lint rule';
    case 'test':
      return 'a lint rule (layer: lint), or better a type';
    case 'lint':
      return 'a type (layer: type), or better a primitive: an API that makes the mistake impossible';
    case 'type':
      return 'a primitive (layer: primitive): an API that makes the mistake impossible to write';
    case 'primitive':
      return 'a narrower primitive: the API still lets the mistake through, so close that door';
    default:
      return 'a lint rule, a type or a primitive (lint → type → primitive), and set its layer';
  }
}

// recurring: catches in chains that started after the grace period.
export function whyRecurring(recurrences: number, caught: number, graceDays: number, lastCaught: string | null, layer: string, invariant: string): string {
  const sentence = invariant ? `"${invariant}"` : '"In this codebase, X must never happen, because it causes Y."';
  return `${plural(recurrences, 'chain')} of ${caught} caught more than ${plural(graceDays, 'day')} after it came in${lastCaught ? ` (last ${lastCaught})` : ''}: the failure keeps recurring, so the constraint is at too low a layer (${layer}). Move it a layer up, to ${layerUp(layer)}, keeping its sentence: ${sentence}`;
}

// idle: nothing caught in its last N runs.
export function whyIdleRuns(idleRuns: number, runs: number, lastCaught: string | null, place: string | null): string {
  return `caught nothing in its last ${idleRuns} runs (of ${runs}; ${lastCaught ? `last caught ${lastCaught}` : 'never caught'}): review it. If a higher layer now prevents the failure or the class of failure is gone, delete it${place ? ` (${place})` : ''}; a rule must pay rent.`;
}

// idle: nothing caught for the idle period.
export function whyIdleDays(idleDays: number, runs: number, lastCaught: string | null, place: string | null): string {
  return `caught nothing for ${plural(idleDays, 'day')} (${plural(runs, 'run')}; ${lastCaught ? `last caught ${lastCaught}` : 'never caught'}): review it. If a higher layer now prevents the failure or the class of failure is gone, delete it${place ? ` (${place})` : ''}; a rule must pay rent.`;
}

// effective: caught, and nothing came back after the grace period.
export function whyEffective(caught: number, graceDays: number, lastCaught: string | null): string {
  return `caught ${plural(caught, 'chain')}${lastCaught ? ` (last ${lastCaught})` : ''}, none more than ${plural(graceDays, 'day')} after it came in: the failure stopped recurring. Keep it.`;
}

// A reason line under the table.
export function toDoLine(c: Pick<Constraint, 'id' | 'verdict' | 'why'>): string {
  return `  ${c.id} (${c.verdict}): ${c.why}`;
}
