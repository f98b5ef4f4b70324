import type { ExtractResult } from '../learn/extract-result.js';
import type { ExtractSelection } from '../learn/extract-selection.js';

// Wording of `guardloop extract` itself: its usage errors, the checkpoint and output failures, and
// the summary line on stderr (how many examples, and what was left out and why).

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// `--since` is neither a date nor a duration (ExtractUsageError).
export function invalidExtractSince(value: string): string {
  return `--since expects an ISO date such as 2026-01-31, a date-time such as 2026-01-31T12:00:00Z (without an offset it is UTC), or a duration back from now such as 7d, 12h or 30m, got '${value}'. Example: guardloop extract --policy recent --since 7d`;
}

// `--since` with a policy other than recent (ExtractUsageError): only recent reads it.
export function sinceNeedsRecent(policy: string, value: string): string {
  return `--since is read by --policy recent only (the refinements after it), and the policy is ${policy}. Use --policy recent --since ${value}, or keep --policy ${policy} and filter by time with --where "ts>=${value}".`;
}

// `--min-retry` with a policy other than high-value (ExtractUsageError).
export function minRetryNeedsHighValue(policy: string, value: string): string {
  return `--min-retry is read by --policy high-value only (refinements that needed at least that many retries), and the policy is ${policy}. Use --policy high-value --min-retry ${value}, or keep --policy ${policy} and add --where "retry>=${value}".`;
}

// `--artifact files` with `--format raw` (ExtractUsageError): raw lines are the records as stored.
export function rawTakesNoArtifact(artifact: string): string {
  return `--format raw exports the records as ℛ holds them (with their diffs), so --artifact ${artifact} has nothing to change. Drop --artifact, or use a conversational format: guardloop extract --format prompt-completion --artifact ${artifact}`;
}

// A `--redact` pattern is not a regular expression (ExtractUsageError).
export function badRedact(pattern: string, detail: string): string {
  return `--redact '${pattern}' is not a JavaScript regular expression (${detail}). Quote it for the shell and escape what is literal, e.g. --redact 'acme-[0-9a-f]{16}' or --redact 'internal\\.example\\.com'.`;
}

// The repository's config could not be loaded, so its `redact:` patterns were not applied (a warning
// on stderr, and in the result's warnings): the export went on with the built-in kinds and --redact.
export function configRedactUnread(file: string, detail: string): string {
  return `${file} could not be loaded (${detail}), so its redact: patterns were not applied to this export (the built-in secret kinds and --redact were). Fix the config and export again, or give the patterns as --redact PATTERN.`;
}

// The selection a checkpoint was written for, as the options that make it.
export function selectionFlags(s: ExtractSelection): string {
  const flags = [`--policy ${s.policy}`];
  if (s.minRetry !== null) flags.push(`--min-retry ${s.minRetry}`);
  if (s.since !== null) flags.push(`--since ${s.since}`);
  for (const w of s.where) flags.push(`--where ${JSON.stringify(w)}`);
  flags.push(`--format ${s.format}`);
  if (s.turns) flags.push('--turns');
  if (s.text) flags.push('--text');
  flags.push(`--artifact ${s.artifact}`);
  return flags.join(' ');
}

// `--checkpoint FILE` was written for another selection (CheckpointError, problem other-selection):
// nothing was exported and FILE is unchanged.
export function checkpointSelectionMismatch(file: string, written: ExtractSelection, asked: ExtractSelection): string {
  return `guardloop extract: checkpoint ${file} was written for ${selectionFlags(written)}, not this export's ${selectionFlags(asked)}; the chains it counts as exported are another selection's. Nothing was exported. Run with the options it was written for, or give each selection a checkpoint file of its own (e.g. --checkpoint '${file.replace(/(\.json)?$/, `-${asked.policy}-${asked.format}$1`)}').`;
}

// `--ref` names no notes ref git could have (ExtractUsageError).
export function badRef(ref: string): string {
  return `--ref '${ref}' is not a notes ref. Give a ref under refs/notes (refs/notes/guardloop, the default) or a name there (guardloop), as git notes --ref takes it.`;
}

// Why a checkpoint file can't be used (CheckpointError's data.problem).
export type CheckpointProblem = 'unreadable' | 'invalid' | 'other-ref' | 'tip-missing' | 'other-selection';

// What a checkpoint file's problem is, in words.
function checkpointProblem(problem: CheckpointProblem, detail: string): string {
  switch (problem) {
    case 'unreadable':
      return `can't be read (${detail})`;
    case 'invalid':
      return `is not a guardloop extract checkpoint (${detail})`;
    case 'other-ref':
      return `was written for ${detail}, not the notes ref this export reads`;
    case 'tip-missing':
      return `names notes commit ${detail}, which this repository doesn't have (the checkpoint is from another clone, or ℛ was rewritten and that commit pruned)`;
    case 'other-selection':
      return `was written for another selection (${detail})`;
  }
}

// `--checkpoint FILE` can't be used (CheckpointError): nothing was exported and FILE is unchanged.
export function checkpointInvalid(file: string, problem: CheckpointProblem, detail: string): string {
  const fix =
    problem === 'other-ref'
      ? `Export that ref with --ref ${detail}, or give this ref a checkpoint file of its own.`
      : problem === 'tip-missing'
        ? `If this clone lacks the commit, fetch ℛ first (guardloop sync); to export everything again, move the file aside: mv '${file}' '${file}.old'`
        : `Move it aside to export everything again and start a new checkpoint: mv '${file}' '${file}.old'`;
  return `guardloop extract: checkpoint ${file} ${checkpointProblem(problem, detail)}. Nothing was exported. ${fix}`;
}

// `extract -o` was stopped by a signal (the CLI's wording of the InterruptedError): exit 128 + the signal's number.
export const EXPORT_INTERRUPTED = 'guardloop extract: interrupted. Nothing was exported: the -o file (its temp file removed) and the checkpoint are as they were; what already reached a stream is incomplete. Run the export again.';

// The name an ExportWriteError gives the standard output (extract without -o).
export const STDOUT_NAME = 'standard output';

// `-o FILE`, the standard output or the checkpoint could not be written (ExportWriteError).
export function exportWriteFailed(file: string, stage: 'output' | 'checkpoint', detail: string): string {
  const fix = 'Check that its directory exists and is writable (mkdir -p, or another directory), then run the export again.';
  if (stage === 'output' && file === STDOUT_NAME)
    return `guardloop extract: could not write to standard output (${detail}). The export stopped, and what reached it is incomplete; the checkpoint is as it was. Free space where the output goes, or write to a file with room (-o FILE), then run the export again.`;
  return stage === 'output'
    ? `guardloop extract: could not write ${file} (${detail}). Nothing was exported: ${file} and the checkpoint are as they were. ${fix}`
    : `guardloop extract: the output is complete, but checkpoint ${file} could not be written (${detail}); it stays where it was, so the next export with it repeats these chains. ${fix}`;
}

// What the format made no line of, by the reason src/learn/formats counts (unknown reasons as they are).
const FORMAT_SKIPS: Record<string, (n: number) => string> = {
  'skipped-record': (n) => `${plural(n, 'SKIPPED record')} handed to the format`,
  'rejected-final': (n) => `${plural(n, 'chain')} ending rejected (no accepted step to learn)`,
  'escalated-final': (n) => `${plural(n, 'escalated chain')} (no accepted step to learn)`,
  'approval-final': (n) => `${plural(n, 'approved protected-path change')} (never a positive)`,
  'dpo-no-rejected-attempt': (n) => `${plural(n, 'chain')} without a rejected attempt (no DPO pair)`,
  'dpo-no-rejected-artifact': (n) => `${plural(n, 'rejected attempt')} whose record ℛ no longer holds (no artifact for a DPO pair)`,
  'dpo-same-artifact': (n) => `${plural(n, 'rejected attempt')} with the same artifact as the accepted one (no DPO pair)`,
  'kto-no-artifact': (n) => `${plural(n, 'attempt')} whose record ℛ no longer holds (no KTO row)`,
  'raw-no-record': (n) => `${plural(n, 'attempt')} whose record ℛ no longer holds (no raw line)`,
};

// The summary line on stderr after an export: how many examples from how many chains, then each
// kind of chain left out and where it goes instead.
export function extractSummary(r: ExtractResult): string {
  const head = `guardloop extract: ${plural(r.examples, 'example')} from ${plural(r.chains, 'chain')} (--format ${r.format}, --policy ${r.policy}${r.where ? ', --where' : ''}), ${plural(r.records, 'record')} read from ${r.ref}.`;
  const x = r.excluded;
  const out: string[] = [];
  if (x.skipped) out.push(`${plural(x.skipped, 'SKIPPED record')} (commits no guard judged: never exported)`);
  if (x.escalated) out.push(`${plural(x.escalated, 'escalated chain')} (let through, never accepted: --policy all gives their attempts as kto label:false and raw lines)`);
  if (x.rejected) out.push(`${plural(x.rejected, 'chain')} that ended rejected (--policy all gives them as kto label:false and raw lines)`);
  if (x.approved) out.push(`${plural(x.approved, 'approved change')} to protected paths (never a positive: --policy all --format raw keeps the records)`);
  if (x.unmatched) out.push(`${plural(x.unmatched, 'chain')} outside --policy ${r.policy}${r.where ? ' and --where' : ''}`);
  if (x.exported) out.push(`${plural(x.exported, 'chain')} already exported (the checkpoint)`);
  for (const [reason, n] of Object.entries(r.formatSkipped)) if (n) out.push(`${FORMAT_SKIPS[reason]?.(n) ?? `${n} × ${reason}`} in --format ${r.format}`);
  const left = out.length ? ` Left out: ${out.join('; ')}.` : r.records ? '' : ` ℛ has no records yet: guards write them when they judge a change (git commit through the hook, an agent's stop, guardloop run).`;
  const cp = !r.checkpoint
    ? ''
    : r.tip === null && r.checkpointTip !== null
      ? ` Checkpoint ${r.checkpoint} stays at ${r.checkpointTip.slice(0, 12)}: ${r.ref} does not exist now, so what was exported since is not counted twice once it is back.`
      : ` Checkpoint ${r.checkpoint} moved on to ${r.checkpointTip ? r.checkpointTip.slice(0, 12) : 'an empty ℛ'}.`;
  return `${head}${left}${cp}`;
}
