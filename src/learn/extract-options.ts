// What `extract()` is asked, validated and defaulted: every usage error is found here, before ℛ is
// read or anything written (the CLI's exit 2).
import type { Writable } from 'node:stream';
import { ExtractUsageError } from '../errors/extract-usage-error.js';
import { parseSince } from '../store/log-filter.js';
import { DEFAULT_REF } from '../store/repository.js';
import { FORMATS, TEXT_FORMATS, type Format } from './formats/schemas.js';
import { POLICIES, policyPredicate } from './policies.js';
import { PolicyError } from '../errors/policy-error.js';
import { invalidMinRetry } from '../messages/where.js';
import type { ChainFacts } from './trace.js';
import { parseWhere } from './where.js';
import { badRedact, badRef, invalidExtractSince, minRetryNeedsHighValue, rawTakesNoArtifact, sinceNeedsRecent } from '../messages/extract.js';
import type { ExtractSelection } from './extract-selection.js';
import { badArtifactMode, badFormat, textNeedsConversational, TURNS_NEED_MESSAGES } from '../messages/learn.js';

// How an example shows the change: the diff against the base, or the changed files' content after it.
export const ARTIFACTS = ['diff', 'files'] as const;
export type Artifact = (typeof ARTIFACTS)[number];

// What extract() is asked (every field optional; the defaults are the CLI's).
export interface ExtractOptions {
  // The repository (default: the process's working directory).
  cwd?: string;
  // The notes ref ℛ is read from (default refs/notes/guardloop; a bare name means refs/notes/<name>).
  ref?: string;
  // A named filter: refinements (default), successes, generator, human, high-value, recent, all.
  policy?: string;
  // high-value: the retries a chain needed at least (default 3; a whole number ≥ 1).
  minRetry?: number | string;
  // recent: records at or after this time (a Date, milliseconds, an ISO date or date-time — UTC
  // without an offset — or a duration back from now such as 7d).
  since?: Date | number | string | null;
  // Filter expressions, each and-ed with the policy and with each other (see the README's `--where`).
  where?: string | string[] | null;
  // prompt-completion (default), messages, dpo, kto, alpaca or raw.
  format?: string;
  // messages only: the chain as turns, earlier attempts weighted 0.
  turns?: boolean;
  // The conversational formats (prompt-completion, messages, dpo, kto) as plain strings, not message lists.
  text?: boolean;
  // diff (default) or files.
  artifact?: string;
  // More patterns to mask (regular expressions, or their source) beside the built-in secret kinds.
  redact?: Array<string | RegExp>;
  // Where the JSONL goes: a file path (written to <path>.tmp-<pid>, renamed when complete) or a
  // stream; absent: the lines come back in the result.
  output?: string | Writable | null;
  // A checkpoint file: only chains new since it are exported, and it is moved on once the output is complete.
  checkpoint?: string | null;
  // Stops the export (an InterruptedError; an -o temp file is removed, the checkpoint left as it was).
  signal?: AbortSignal;
}

// The options once validated, with their defaults.
export interface ResolvedExtract {
  cwd: string;
  ref: string;
  policy: string;
  phi: (f: ChainFacts) => boolean;
  // The --where expressions and-ed as one (null: none).
  where: string | null;
  format: Format;
  turns: boolean;
  text: boolean;
  artifact: Artifact;
  redact: RegExp[];
  output: string | Writable | null;
  checkpoint: string | null;
  // What a checkpoint records of this export.
  selection: ExtractSelection;
  signal: AbortSignal | null;
}

const opt = (v: string | boolean | null | undefined) => (v === undefined || v === null || v === false ? null : String(v));

// A notes ref as git notes takes it: a full ref under refs/notes, or a name under refs/notes.
function notesRef(ref: string | undefined): string {
  if (ref === undefined) return DEFAULT_REF;
  const full = ref.startsWith('refs/') ? ref : `refs/notes/${ref}`;
  if (!/^refs\/notes\/[^\s~^:?*[\\]+$/.test(full) || full.includes('..') || full.endsWith('/') || full.endsWith('.lock')) throw new ExtractUsageError(badRef(ref), '--ref', ref);
  return full;
}

function sinceMs(since: ExtractOptions['since']): number | null {
  if (since === undefined || since === null) return null;
  const ms = since instanceof Date ? since.getTime() : typeof since === 'number' ? since : (parseSince(since)?.getTime() ?? NaN);
  if (!Number.isFinite(ms)) throw new ExtractUsageError(invalidExtractSince(String(since)), '--since', String(since));
  return ms;
}

// `--since` as a checkpoint records it: as typed (a duration stays a duration), a time as ISO.
function sinceText(since: ExtractOptions['since']): string | null {
  if (since === undefined || since === null) return null;
  return typeof since === 'string' ? since.trim() : new Date(since).toISOString();
}

// `--min-retry` as a number: a whole number as typed ("3"); anything else is the policies' own
// usage error, naming what was typed.
function minRetryOf(value: ExtractOptions['minRetry'], policy: string): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  if (!/^\s*\d+\s*$/.test(value)) throw new PolicyError(invalidMinRetry(value), policy, '--min-retry', POLICIES);
  return Number(value);
}

function patterns(list: ExtractOptions['redact']): RegExp[] {
  return (list ?? []).map((p) => {
    if (p instanceof RegExp) return p.global ? p : new RegExp(p.source, `${p.flags}g`);
    try {
      return new RegExp(p, 'g');
    } catch (e) {
      throw new ExtractUsageError(badRedact(p, (e as Error).message), '--redact', p);
    }
  });
}

// Validates and defaults extract()'s options. Throws ExtractUsageError, PolicyError or
// WhereSyntaxError (all exit 2) for what can't be run.
export function resolveExtract(opts: ExtractOptions): ResolvedExtract {
  const format = opts.format ?? 'prompt-completion';
  if (!(FORMATS as readonly string[]).includes(format)) throw new ExtractUsageError(badFormat(format, FORMATS), '--format', format);
  const artifact = opts.artifact ?? 'diff';
  if (!(ARTIFACTS as readonly string[]).includes(artifact)) throw new ExtractUsageError(badArtifactMode(artifact), '--artifact', artifact);
  const turns = Boolean(opts.turns);
  if (turns && format !== 'messages') throw new ExtractUsageError(TURNS_NEED_MESSAGES, '--turns', format);
  if (format === 'raw' && artifact !== 'diff') throw new ExtractUsageError(rawTakesNoArtifact(artifact), '--artifact', artifact);
  const text = Boolean(opts.text);
  if (text && !(TEXT_FORMATS as readonly string[]).includes(format)) throw new ExtractUsageError(textNeedsConversational(format), '--text', format);
  const policy = opts.policy ?? 'refinements';
  const since = sinceMs(opts.since);
  const minRetry = minRetryOf(opts.minRetry, policy);
  const policyPhi = policyPredicate(policy, { minRetry, since });
  // Options a policy doesn't read are mistakes, not silently ignored.
  if (since !== null && policy !== 'recent' && (POLICIES as readonly string[]).includes(policy)) throw new ExtractUsageError(sinceNeedsRecent(policy, String(opts.since)), '--since', String(opts.since));
  if (minRetry !== undefined && policy !== 'high-value') throw new ExtractUsageError(minRetryNeedsHighValue(policy, String(opts.minRetry)), '--min-retry', String(opts.minRetry));
  const wheres = (Array.isArray(opts.where) ? opts.where : [opts.where]).map(opt).filter((w): w is string => w !== null);
  const wherePhis = wheres.map((w) => parseWhere(w));
  const wherePhi = wherePhis.length === 0 ? null : wherePhis.length === 1 ? wherePhis[0] : (f: ChainFacts) => wherePhis.every((p) => p(f));
  const where = wheres.length === 0 ? null : wheres.length === 1 ? wheres[0] : wheres.map((w) => `(${w})`).join(' and ');
  return {
    cwd: opts.cwd ?? process.cwd(),
    ref: notesRef(opts.ref),
    policy,
    phi: wherePhi ? (f) => policyPhi(f) && wherePhi(f) : policyPhi,
    where,
    format: format as Format,
    turns,
    text,
    artifact: artifact as Artifact,
    redact: patterns(opts.redact),
    output: opts.output ?? null,
    checkpoint: opt(opts.checkpoint),
    selection: { policy, minRetry: minRetry ?? null, since: sinceText(opts.since), where: wheres, format, turns, text, artifact },
    signal: opts.signal ?? null,
  };
}
