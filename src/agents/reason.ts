import { reasonGuard, reasonHeader } from '../messages/agents.js';
import { FAILURES_NONE_PRINTED, FAILURES_NOT_ALL_READ, reasonBaseFailsOtherwise, reasonBaseNotJudged, reasonFlaky, reasonNewAndOld, reasonNotComparable, reasonRepeat, reasonTolerated } from '../messages/failures.js';
import type { RecordV1, Verdict } from '../store/record.js';

// The last `max` characters of a text, starting on a line boundary when one is near.
function tail(text: string, max: number): string {
  const t = text.replace(/\s+$/, '');
  if (t.length <= max) return t;
  const cut = t.slice(-max);
  const nl = cut.indexOf('\n');
  return `…${nl >= 0 && nl < max / 4 ? cut.slice(nl + 1) : cut}`;
}

const blocking = (v: Verdict) => (v.status === 'fail' && !v.tolerated) || v.status === 'error' || v.status === 'timeout';

// The ids that say a guard's failures could not all be read (not failures themselves: never compared).
const unread = (f: string) => f === FAILURES_NOT_ALL_READ || f === FAILURES_NONE_PRINTED;

// What a failed guard's frame says before its output: known flaky, and which failures are new when the
// base failed too (or that they could not be told apart from the base's).
function preface(v: Verdict): string {
  const notes: string[] = [];
  if (v.flaky) notes.push(reasonFlaky(v.attempts));
  const base = v.baseline;
  const notRead = v.failures?.filter(unread) ?? [];
  if (base?.status === 'fail' && base.failures && notRead.length) {
    const had = new Set(base.failures);
    const fresh = v.failures!.filter((f) => !unread(f) && !had.has(f));
    notes.push(reasonNotComparable(notRead));
    if (fresh.length) notes.push(reasonNewAndOld(fresh, v.failures!.filter((f) => !unread(f) && had.has(f))));
  } else if (base?.status === 'fail' && base.failures && v.failures) {
    const had = new Set(base.failures);
    const fresh = v.failures.filter((f) => !had.has(f));
    const old = v.failures.filter((f) => had.has(f));
    if (old.length) notes.push(reasonNewAndOld(fresh, old));
    // The base fails too, but with none of these: often its clean checkout lacks what the work tree has.
    else notes.push(reasonBaseFailsOtherwise(base.failures));
  } else if (base?.status === 'timeout' || base?.status === 'error') notes.push(reasonBaseNotJudged(base.status));
  return notes.length ? `${notes.join('\n')}\n` : '';
}

// The instruction a rejected stop sends the agent: each failed guard's id, invariant and output tail,
// within the agent's limit (the output tails share what the headers leave). A guard that reports the
// same failures as the chain's previous attempt is named with them in a few lines, not its output
// again; failures the turn's base already had are listed as such, and don't block.
export function stopReason(record: RecordV1, maxAttempts: number, limit: number): string {
  const failed = record.verdicts.filter(blocking);
  const invariant = (id: string) => record.spec.guards.find((g) => g.id === id)?.invariant ?? '';
  const header = reasonHeader(failed.length, record.retry + 1, maxAttempts);
  const told = (v: Verdict) =>
    v.repeat ? reasonRepeat(v.guard, v.failures ?? [], v.repeat.attempt, v.repeat.record, v.baseline?.status === 'fail' ? v.baseline.failures : []) + (v.flaky ? `\n${reasonFlaky(v.attempts)}` : '') : null;
  const tolerated = record.verdicts.filter((v) => v.tolerated);
  const footer = tolerated.length ? reasonTolerated(tolerated.map((v) => ({ guard: v.guard, failures: v.failures ?? [] }))) : '';
  const frames = failed.map((v) => told(v) ?? reasonGuard(v.guard, v.status, v.exit, invariant(v.guard), preface(v)));
  const full = failed.filter((v) => !v.repeat);
  const room = limit - header.length - footer.length - frames.reduce((n, f) => n + f.length, 0) - 16;
  const each = Math.max(200, Math.floor(room / Math.max(1, full.length)));
  const text = header + failed.map((v) => told(v) ?? reasonGuard(v.guard, v.status, v.exit, invariant(v.guard), preface(v) + tail(v.feedback, each))).join('') + footer;
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
