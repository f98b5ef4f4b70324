// Wording of `guardloop report`: every sentence, heading and hover text of the HTML report, its
// usage and write errors, and the line the CLI prints once the file is written.
import type { Constraint } from '../learn/insight-schemas.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// A share as a percentage ("62%"), "—" when there was nothing to divide by.
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

// A record's source as the report names it (a person, an agent, CI).
export function sourceName(source: string): string {
  return source === 'HUMAN' ? 'person' : source === 'GENERATOR' ? 'agent' : source === 'CI' ? 'CI' : source;
}

// The page's <title> and heading.
export function reportTitle(repo: string): string {
  return `guardloop report: ${repo}`;
}

// Under the heading: when the report was made, from which notes commit, and how much it read.
export function reportMeta(o: { generated: string; ref: string; tip: string | null; records: number; chains: number }): string {
  const from = o.tip ? `${o.ref} at ${o.tip.slice(0, 12)}` : o.ref;
  return `Generated ${o.generated} from ${from}: ${plural(o.records, 'record')}, ${plural(o.chains, 'chain')} of attempts.`;
}

// Under the heading when --since was given: what it narrows and what it leaves whole.
export function sinceNote(since: string): string {
  return `Figures, charts and escalated chains count the chains started at or after ${since}; the constraint log and loop health cover all of ℛ.`;
}

// --since left nothing of a non-empty ℛ: the figures are empty, and how to see some.
export function nothingSince(since: string): string {
  return `No record at or after ${since}: the figures and charts below are empty. Give an earlier --since, or none for all of ℛ.`;
}

// Reading ℛ warned (notes that could not be read, a locked ref): what they concern may be missing.
export function readWarnings(n: number): string {
  return `Reading ℛ gave ${plural(n, 'warning')} (notes that could not be read are left out of this report). Run guardloop doctor to see ${n === 1 ? 'it' : 'them'} and how to repair ℛ.`;
}

// The report of an empty ℛ: no charts, and how to make the first record.
export const EMPTY_HEADING = 'Nothing in ℛ yet';
// The report of an empty ℛ, under EMPTY_HEADING.
export const EMPTY_REPORT =
  'No guard has run in this repository yet, so there is nothing to chart. Run guardloop run once, or commit through the hook guardloop init installed (or let an agent stop through its hook), then run guardloop report again.';

// The tile of how many chains of attempts there were.
export const TILE_CHAINS = 'chains of attempts';
// The tile of the first-attempt acceptance rate.
export const TILE_FIRST_ATTEMPT = 'first-attempt acceptance';
// The tile of the mean retries before acceptance.
export const TILE_RETRIES = 'retries per accepted chain (mean)';
// The tile of chains an agent ran out of attempts on.
export const TILE_ESCALATED = 'escalated chains';
// The tile of accepted chains with rejections (what extract exports by default).
export const TILE_REFINEMENTS = 'refinements for training';
// The tile of commits no guard judged.
export const TILE_SKIPPED = 'commits skipped';
// The tile of guards in the config now.
export const TILE_CONSTRAINTS = 'constraints';
// The tile of loop health's state.
export const TILE_HEALTH = 'loop health';
// The health tile's value: no warning sign, or how many.
export function healthTile(signs: number): string {
  return signs === 0 ? 'healthy' : plural(signs, 'sign');
}
// The first-attempt tile's detail: the counts the rate comes from.
export function firstAttemptDetail(accepted: number, of: number): string {
  return `${accepted} of ${plural(of, 'ended chain')}`;
}

// Heading of the acceptance-over-time chart.
export const ACCEPTANCE_HEADING = 'Acceptance over time';
// Under ACCEPTANCE_HEADING: what the rate counts.
export const ACCEPTANCE_CAPTION = 'First-attempt acceptance of the chains started each week: accepted at their first attempt, over those that ended (accepted or escalated).';
// Hover text of a week's point on the acceptance chart.
export function acceptanceTitle(week: string, rate: number | null, chains: number, accepted: number): string {
  return `Week of ${week}: ${percent(rate)} first-attempt acceptance; ${plural(chains, 'chain')} started, ${accepted} accepted`;
}

// Heading of the retries histogram.
export const RETRIES_HEADING = 'Retries per accepted chain';
// Under RETRIES_HEADING: what a column counts.
export const RETRIES_CAPTION = 'How many rejected attempts each accepted chain went through before it was accepted (0: accepted at once).';
// Hover text of a retries column.
export function retriesTitle(retries: number, chains: number): string {
  return `${plural(chains, 'accepted chain')} with ${plural(retries, 'retry', 'retries')}`;
}

// Heading of the rejections-per-guard bars.
export const REJECTIONS_GUARD_HEADING = 'Rejections per guard';
// Heading of the rejections-per-layer bars.
export const REJECTIONS_LAYER_HEADING = 'Rejections per layer';
// Under both rejection headings: what a bar counts.
export const REJECTIONS_CAPTION = 'Attempts rejected (fail, error or timeout), and in how many chains.';
// Hover text of a guard's or a layer's rejection bar.
export function rejectionsTitle(name: string, attempts: number, chains: number): string {
  return `${name}: rejected ${plural(attempts, 'attempt')} in ${plural(chains, 'chain')}`;
}
// The caption of a rejection bar's value: attempts, and the chains they were in.
export function rejectionsValue(attempts: number, chains: number): string {
  return `${attempts} (${chains} ch.)`;
}

// Heading of the person-and-agent section.
export const SOURCES_HEADING = 'Person and agent';
// Under SOURCES_HEADING: what its two charts show.
export const SOURCES_CAPTION = 'Chains of attempts by who made them, and how often the first attempt was accepted.';
// Heading of the chains-per-source bars.
export const SOURCES_CHAINS = 'Chains';
// Heading of the first-attempt-acceptance-per-source bars.
export const SOURCES_ACCEPTANCE = 'First-attempt acceptance';
// Hover text of a source's chains bar.
export function sourceChainsTitle(name: string, chains: number, accepted: number, escalated: number): string {
  return `${name}: ${plural(chains, 'chain')}, ${accepted} accepted, ${escalated} escalated`;
}
// Hover text of a source's acceptance bar.
export function sourceAcceptanceTitle(name: string, rate: number | null, firstAttempt: number, chains: number): string {
  return `${name}: ${percent(rate)} first-attempt acceptance (${firstAttempt} of ${plural(chains, 'chain')})`;
}
// The columns of the per-agent table under the source charts.
export const AGENT_COLUMNS = ['Agent', 'Chains', 'Accepted', 'Escalated', 'First-attempt acceptance', 'Rejections'] as const;
// The agents' table: the row of chains no agent name was recorded for (a person's, CI's).
export const NO_AGENT = '(none)';

// Heading of the constraint log's table.
export const CONSTRAINTS_HEADING = 'The constraint log';
// Under CONSTRAINTS_HEADING: what Caught and Recurrence after count, with the config's settings.
export function constraintsCaption(graceDays: number, idleRuns: number, idleDays: number): string {
  return `Each guard with when it entered the config, the chains it caught, and how many of those started more than ${plural(graceDays, 'day')} (the grace period) after it came in. Idle: nothing caught in its last ${idleRuns} runs or ${plural(idleDays, 'day')}.`;
}
// The constraint log's columns (the seed's constraint log, and Caught, Last caught, Verdict).
export const CONSTRAINT_COLUMNS = ['Date', 'Constraint', 'Layer', 'Invariant', 'Caught', 'Recurrence after', 'Last caught', 'Verdict'] as const;
// The legend above the constraint log: each verdict and what it means.
export const VERDICT_MEANINGS: Record<Constraint['verdict'], string> = {
  new: 'new: younger than the grace period',
  effective: 'effective: caught before, nothing since',
  recurring: 'recurring: catches keep coming (move it a layer up)',
  idle: 'idle: caught nothing lately (review or delete it)',
  flaky: 'flaky: one tree got different verdicts from it',
};
// A constraint's date when it was first seen in a record rather than in the config's history.
export function firstSeen(date: string): string {
  return `${date} (first seen)`;
}
// A guard no longer in the config (its row stays).
export function removedOn(date: string | null): string {
  return date ? `removed ${date}` : 'removed';
}
// An earlier id a guard was renamed from.
export function renamedFrom(ids: readonly string[]): string {
  return `was ${ids.join(', ')}`;
}
// The constraint log when no guard is declared: how to declare one.
export const NO_CONSTRAINTS = 'No guard is declared yet. Add one under guards: in .loop/config.yaml (an id, the command to run, and its invariant), then run guardloop report again.';

// Heading of the flaky guards' list.
export const FLAKY_HEADING = 'Flaky guards';
// Under FLAKY_HEADING: what flaky means and what to do.
export const FLAKY_CAPTION = 'Guards that gave the same tree different verdicts: their verdict depends on something besides the change. Fix the guard before trusting what it caught.';
// A flaky guard's line: on how many trees its verdict changed.
export function flakyLine(trees: number): string {
  return `gave ${plural(trees, 'tree')} different verdicts`;
}
// The flaky list when no guard is flaky.
export const NO_FLAKY = 'No guard gave the same tree different verdicts.';

// Heading of the latest escalated chains.
export const ESCALATED_HEADING = 'Latest escalated chains';
// Under ESCALATED_HEADING: how many are shown of how many.
export function escalatedCaption(shown: number, total: number): string {
  return `Chains an agent ran out of attempts on (let through, never accepted): the ${shown === total ? plural(shown, 'chain') : `latest ${shown} of ${total}`}, newest first, with the feedback each attempt got.`;
}
// An escalated chain's one-line summary (its <summary>).
export function escalatedSummary(o: { end: string; who: string; attempts: number; guards: readonly string[] }): string {
  return `${o.end} · ${o.who} · ${plural(o.attempts, 'attempt')} · caught by ${o.guards.length ? o.guards.join(', ') : 'no guard'}`;
}
// An attempt of an escalated chain: its number, status and time.
export function attemptLine(n: number, status: string, ts: string): string {
  return `Attempt ${n}: ${status} at ${ts}`;
}
// Label of an escalated chain's task.
export const TASK_LABEL = 'Task';
// A failing verdict whose guard printed nothing.
export const NO_FEEDBACK = '(the guard printed nothing)';
// The escalated list when no chain was escalated.
export const NO_ESCALATED = 'No chain was escalated: every blocked agent got through within its attempts.';

// Heading of the loop-health section.
export const HEALTH_HEADING = 'Loop health';
// Loop health with no warning sign.
export const HEALTHY = 'Healthy: no sign of constraint explosion (10+ new constraints a week, or rules growing while the caught rate stays flat).';
// Above the list of warning signs: how many.
export function warningSigns(n: number): string {
  return `${plural(n, 'warning sign')} (guardloop health exits 1):`;
}
// Heading of the new-constraints-per-week chart.
export const NEW_CONSTRAINTS_HEADING = 'New constraints per week';
// Hover text of a week's new-constraints column.
export function newConstraintsTitle(week: string, added: number, total: number): string {
  return `Week of ${week}: ${added} new, ${total} in the config`;
}

// In place of a chart when no chain has ended (accepted or escalated).
export const NO_ENDED_CHAINS = 'No chain has ended yet.';
// In place of the retries chart when no chain was accepted.
export const NO_ACCEPTED_CHAINS = 'No chain has been accepted yet.';
// In place of a rejections chart when no guard rejected anything.
export const NO_REJECTIONS = 'No guard has rejected an attempt yet.';

// The footer: what made the report.
export function generatedBy(version: string): string {
  return `Made by guardloop ${version} from ℛ (git notes). This file is self-contained: no script, no network, nothing to load.`;
}

// The CLI's line once the report is written: where, how big, and how to open it.
export function reportWritten(path: string, bytes: number, url: string): string {
  return `guardloop report: wrote ${path} (${Math.max(1, Math.round(bytes / 1024))} KB). Open ${url} in a browser.`;
}

// `-o FILE` could not be written (ReportWriteError): nothing was left half-written.
export function reportWriteFailed(file: string, detail: string): string {
  return `guardloop report: could not write ${file} (${detail}). Nothing was written: ${file} is as it was. Check that its directory exists and is writable (mkdir -p, or -o another path), then run guardloop report again.`;
}
