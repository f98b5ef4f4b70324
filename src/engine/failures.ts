import { createHash } from 'node:crypto';
import { FAILURES_NONE_PRINTED } from '../messages/failures.js';
import { looksLikeFailure, normalizeFailureLine } from './failure-normalize.js';
import { withoutRoot } from './failure-paths.js';
import { stripAnsi } from './output.js';

// One failure as a guard's output names it: `id` is what stays the same for that failure from run to
// run (compared across runs), `line` the output line it was found on (shown to a person or an agent).
export interface Failure {
  id: string;
  line: string;
}

// How many distinct failures one output yields; the rest are only counted (`more`).
export const FAILURE_LIMIT = 500;
// The longest `line` kept, and the longest id (an id is compared, a line only shown).
const LINE_LIMIT = 300;
const ID_LIMIT = 500;

// The text the failures are read from: ANSI codes removed, CRLF as LF, and of a line redrawn with
// carriage returns (a progress bar) only what was drawn last.
function plainText(output: string): string {
  return stripAnsi(output)
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .join('\n');
}

// The failures of one output, deduplicated by id in order of first appearance and capped at FAILURE_LIMIT.
class FailureList {
  readonly failures: Failure[] = [];
  private readonly seen = new Set<string>();
  // How many times each id was named (a second `TS2322 …` in one file is one id named twice).
  readonly counts = new Map<string, number>();
  more = 0;

  add(id: string, line: string): void {
    const key = id.replace(/\s+/g, ' ').trim().slice(0, ID_LIMIT);
    if (!key) return;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.failures.length < FAILURE_LIMIT) this.failures.push({ id: key, line: line.trim().slice(0, LINE_LIMIT) });
    else this.more++;
  }
}

// The whole line of `text` that holds position `at`.
function lineAt(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  return text.slice(start, end < 0 ? text.length : end);
}

// `pattern` compiled, or null when there is none or it doesn't compile (checkFailurePattern tells the config
// loader; a record's output read with such a pattern is read as without one, whose names match no earlier
// pattern's, so every failure counts as introduced).
function compiled(pattern: string | null | undefined): RegExp | null {
  if (typeof pattern !== 'string' || !pattern) return null;
  try {
    return new RegExp(pattern, 'gm');
  } catch {
    return null;
  }
}

// The failures a guard's output names. With `pattern` (a JS regex source, multiline flag on), each match is
// one failure named by its capture groups joined with ' ' (groups that matched nothing left out), or by the
// whole match when it has none. Without one, each line that reads like a failure is one, named by the line
// with its positions, durations, counts, hex, temporary paths and timestamps removed (failure-normalize.ts).
// A guard's paths relative to where it ran: see withoutRoot (failure-paths.ts), applied before this.
export function failuresOf(output: string, pattern?: string | null): { failures: Failure[]; more: number } {
  const list = readFailures(output, pattern);
  return { failures: list.failures, more: list.more };
}

// The failures of one output as failuresOf reads them, with how often each id was named.
function readFailures(output: string, pattern?: string | null): FailureList {
  const text = plainText(typeof output === 'string' ? output : '');
  const list = new FailureList();
  const re = compiled(pattern);
  if (re) {
    for (const match of text.matchAll(re)) {
      const groups = match.slice(1).filter((g): g is string => typeof g === 'string' && g.trim() !== '');
      list.add(match.length > 1 ? groups.join(' ') : match[0], lineAt(text, match.index));
    }
  } else {
    for (const line of text.split('\n')) if (line.trim() && looksLikeFailure(line)) list.add(normalizeFailureLine(line), line);
  }
  return list;
}

// Which failures of a run are new (`introduced`: not among `before`), which were already there
// (`preexisting`), and which of `before` are gone (`fixed`), compared by id and kept in their order.
export function compareFailures(before: Failure[], now: Failure[]): { introduced: Failure[]; preexisting: Failure[]; fixed: Failure[] } {
  before = Array.isArray(before) ? before : [];
  now = Array.isArray(now) ? now : [];
  const had = new Set(before.map((f) => f.id));
  const has = new Set(now.map((f) => f.id));
  return {
    introduced: now.filter((f) => !had.has(f.id)),
    preexisting: now.filter((f) => had.has(f.id)),
    fixed: before.filter((f) => !has.has(f.id)),
  };
}

// The config's check of a pattern, where the engine's readers of failures are found too.
export { checkFailurePattern } from '../config/failure-pattern.js';

// The ids a failing guard's output names, as a record keeps them: read with the guard's pattern after the
// directories it ran in are taken out (`roots`: the guard's cwd, then the work tree or checkout). An output
// that names no failure is one failure named by the digest of its normalized lines, so the same output
// (its numbers of time and place aside) on two runs is the same failure and a different one is not; an
// output with nothing in it names nothing, so it is FAILURES_NONE_PRINTED (compared with no base's).
export function failureIds(output: string, pattern: string | null | undefined, roots: string[]): string[] {
  let text = typeof output === 'string' ? output : '';
  for (const root of roots) text = withoutRoot(text, root);
  const { failures, counts } = readFailures(text, pattern);
  if (failures.length) {
    // Each further occurrence of one name is an id of its own (`… (#2)`), so a second identical error
    // in a file that had one is a new failure, not the old one; moving lines keeps the count.
    const out: string[] = [];
    for (const f of failures) for (let k = 1; k <= (counts.get(f.id) ?? 1) && out.length < FAILURE_LIMIT; k++) out.push(k === 1 ? f.id : `${f.id} (#${k})`);
    return out;
  }
  const lines = plainText(text)
    .split('\n')
    .map((l) => normalizeFailureLine(l).trim())
    .filter(Boolean);
  if (!lines.length) return [FAILURES_NONE_PRINTED];
  return [`output ${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`];
}
