import type { RecordV1 } from '../store/record.js';
import type { StoreWarning } from '../store/types.js';

// Wording of ℛ (the record store): every message names the object or file and the exact fix.

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

// ℛ's ref stayed locked past guardloop's wait (RefLockedError; doctor lists the lock too).
export function refLocked(ref: string, lockPath: string, holder: { pid: number | null; dead: boolean; ageMs: number }, waitedMs: number): string {
  const who = holder.pid === null ? 'a process that did not say who it is (native git, or a guardloop killed while committing)' : `guardloop process ${holder.pid}${holder.dead ? ', which is no longer running' : ''}`;
  const stale = holder.dead || holder.ageMs > 60_000;
  return (
    `${ref} is locked: ${lockPath} was created ${seconds(holder.ageMs)} ago by ${who}` +
    (holder.dead ? '' : `; waited ${seconds(waitedMs)}`) +
    '.\n' +
    (stale
      ? `The lock looks stale. If no git or guardloop command is running in this repository, clear it with:\n  guardloop doctor --unlock\n(or: rm '${lockPath}')\n`
      : `Another git command is writing notes. Try again; if it persists and nothing is running, clear it with:\n  guardloop doctor --unlock\n`) +
    'Records not written yet are kept in the journal (.git/guardloop/journal) and stored by the next guardloop command.'
  );
}

// `guardloop show` matched neither a record id nor a revision (RecordNotFoundError).
export function recordNotFound(ref: string): string {
  return `No record or revision matches '${ref}'. List records with \`guardloop log\`, then pass a record id (or a unique prefix of it, at least 4 characters), or a commit such as HEAD.`;
}

// `guardloop show` was given an id prefix several records start with (AmbiguousRecordError).
export function ambiguousRecord(ref: string, ids: string[]): string {
  return `'${ref}' matches ${ids.length} records (${ids.slice(0, 4).join(', ')}${ids.length > 4 ? ', …' : ''}). Pass more characters of the id.`;
}

// A read skipped a line of a note that is not a readable record (a store warning).
export function badLine(object: string, reason: string, detail: string): string {
  const what = reason === 'future-version' ? `a record from a newer guardloop (${detail}); upgrade guardloop to read it` : reason === 'not-json' ? `a line that is not a guardloop record ("${detail}")` : `an invalid record (${detail})`;
  return `skipped ${what} in the note of ${object}. See it with: git notes --ref=guardloop show ${object}`;
}

// doctor could not restore journaled records to the ref (a held lock, a failed write): they stay journaled.
export function journalNotReplayed(detail: string): string {
  return `records kept in the journal (.git/guardloop/journal) could not be restored to refs/notes/guardloop yet (${detail}); they stay there and the next guardloop write stores them. If this repeats, run: guardloop doctor`;
}

// Reading ℛ failed for a reason that is neither damage nor git (StoreReadError).
export function readFailed(ref: string, operation: string, detail: string): string {
  return `could not read ${ref} (${operation}): ${detail}. guardloop changed nothing. Check the repository with \`git fsck --full\` and \`guardloop doctor\`.`;
}

// doctor could not read a note for a reason other than damage.
export function unreadableNote(object: string, detail: string): string {
  return `could not read the note of ${object}: ${detail}. Check the repository with: git fsck`;
}

// `guardloop sync` gave up after its tries (SyncFailedError).
export function syncFailed(remote: string, tries: number, detail: string): string {
  return `guardloop sync ${remote} failed after ${tries} tries: ${detail}\nCheck that the remote is reachable (git ls-remote ${remote}) and that you may push refs/notes/guardloop, then run guardloop sync ${remote} again.`;
}

// `guardloop sync` finished.
export function syncDone(remote: string, fetched: number, merged: number, pushed: boolean): string {
  return `synced ℛ with ${remote}: ${fetched} note(s) on the remote, ${merged} record(s) new here, ${pushed ? 'pushed' : 'nothing to push'}.`;
}

// `guardloop sync` without a remote to sync with.
export const NO_REMOTE = 'This repository has no remote to sync with. Add one with `git remote add origin <url>`, or name it: guardloop sync <remote>.';

// Packing loose objects after a write failed (the record is stored; a warning).
export function autopackFailed(detail: string): string {
  return `the record is stored in refs/notes/guardloop, but packing guardloop's loose objects afterwards failed (${detail}); they stay loose and the next write packs them. If this repeats, check the repository with: git fsck`;
}

// doctor found what a killed packer left, and how to clear it.
export function packLeftover(kind: 'lock' | 'claim', path: string, pid: number | null): string {
  const who = pid === null ? 'a packer that is gone' : `guardloop process ${pid}, which is no longer running`;
  return kind === 'lock'
    ? `${path} is a stale pack lock left by ${who} (killed while packing guardloop's loose objects). The next packing breaks it; clear it now with:\n  guardloop doctor --unlock`
    : `${path} lists loose objects that ${who} took off guardloop's packing list and never packed. The next write puts them back; do it now with:\n  guardloop doctor --unlock`;
}

// `guardloop doctor --unlock` cleared what a killed packer left.
export function packLeftoverCleared(kind: 'lock' | 'claim', path: string): string {
  return kind === 'lock' ? `removed the stale pack lock ${path}.` : `put the loose objects listed in ${path} back on the packing list (the next write packs them).`;
}

// `guardloop doctor --unlock` removed a stale ref lock.
export function lockCleared(path: string): string {
  return `removed the stale lock ${path}.`;
}

// `guardloop doctor --unlock` found a lock whose holder may still run, and left it.
export function lockNotStale(path: string, pid: number | null): string {
  return `${path} is held by ${pid === null ? 'a process that may still be running' : `process ${pid}, which is still running`}; not removed. Wait for it to finish, or remove it yourself if you are sure: rm '${path}'`;
}

// `guardloop doctor --unlock` found no lock.
export const NO_LOCK = 'refs/notes/guardloop is not locked.';

// Appended to a record's diff where the store cut it at the size limit.
export function truncatedDiff(limit: number, size: number): string {
  return `\n[guardloop: diff cut at ${limit} bytes of ${size}; the file list is complete]\n`;
}

// `guardloop log --limit` got something other than a positive whole number.
export function invalidLimit(value: string): string {
  return `--limit expects a positive whole number, got '${value}'. Example: guardloop log --limit 20`;
}

// `guardloop log --since` got neither a date nor a duration.
export function invalidSince(value: string): string {
  return `--since expects a date such as 2026-01-31 or 2026-01-31T12:00:00Z, or a duration such as 7d or 12h, got '${value}'.`;
}

// A `guardloop log` filter option got a value outside its choices.
export function invalidChoice(option: string, value: string, choices: readonly string[]): string {
  return `--${option} expects one of ${choices.join(', ')}, got '${value}'. Example: guardloop log --${option} ${choices[0]}`;
}

// `guardloop show <rev>` found no records on that tree.
export function noRecords(target: string): string {
  return `No records on the tree of ${target}: nothing guardloop checked had this content. \`guardloop log\` lists what ℛ holds.`;
}

// `guardloop show` without an argument.
export const SHOW_USAGE = 'guardloop show needs a record id or a revision. Example: guardloop show HEAD';

// A warning the store passes to a command, as printed on stderr.
export function stderrWarning(text: string): string {
  return `guardloop: warning: ${text}`;
}

// `guardloop doctor` found nothing wrong.
export function doctorClean(records: number, notes: number): string {
  return `ℛ is healthy: ${records} record(s) in ${notes} note(s).`;
}

// `guardloop log` on an ℛ without records.
export const EMPTY_LOG = 'ℛ has no records yet. They appear after the first `guardloop run` (or commit through the hook).';

// doctor: the notes merge strategy is not the one that merges ℛ without conflicts.
export function mergeStrategyUnset(value: string | null): string {
  return `notes.guardloop.mergeStrategy is ${value ?? 'unset'}: a plain \`git notes merge\` of ℛ may stop on conflicts. Fix: git config notes.guardloop.mergeStrategy cat_sort_uniq`;
}

// The subject of the notes commit an append writes (seen in `git log refs/notes/guardloop`; the
// "guardloop: " prefix is how ℛ's history tells guardloop's commits from native ones).
export function recordSubject(ids: string[]): string {
  return `guardloop: record ${ids.length === 1 ? ids[0] : `${ids.length} records`}`;
}

// The subject of the notes commit a journal replay writes.
export function restoreSubject(count: number): string {
  return `guardloop: restore ${count} record(s) from the journal`;
}

// The subject of the notes commit `guardloop sync` writes when it merges a remote's ℛ.
export function mergeSubject(other: string): string {
  return `guardloop: merge ${other.slice(0, 12)} (union by record id)`;
}

// The reflog message of a notes update in the files backend (git takes it when the ref is locked,
// before the commit's own subject is known).
export const NOTES_UPDATE_REFLOG = 'guardloop: notes update';

// One line per record for `guardloop log`: id, time, verdict, where it came from, guards.
export function summaryLine(r: RecordV1): string {
  const failed = r.verdicts.filter((v) => v.status === 'fail' || v.status === 'error' || v.status === 'timeout').map((v) => `${v.guard}:${v.status}`);
  const guards = failed.length ? failed.join(' ') : `${r.verdicts.length} guard(s) ok`;
  const who = r.source === 'GENERATOR' ? `GENERATOR${r.agent ? `(${r.agent})` : ''}` : r.source;
  return `${r.id.slice(0, 12)}  ${r.ts.replace(/\.\d+Z$/, 'Z')}  ${r.status.padEnd(8)}  ${r.hook.padEnd(10)}  ${who.padEnd(9)}  tree ${r.tree.slice(0, 10)}  ${guards}${r.retry ? `  retry ${r.retry}` : ''}`;
}

// The full human view of one record for `guardloop show`.
export function detail(r: RecordV1): string {
  const out = [
    `record ${r.id}`,
    `status   ${r.status} (reward ${r.reward > 0 ? '+1' : '-1'})`,
    `time     ${r.ts}`,
    `hook     ${r.hook}   source ${r.source}${r.agent ? ` (${r.agent})` : ''}${r.session ? `   session ${r.session}` : ''}`,
    `tree     ${r.tree}${r.base ? `   base ${r.base}` : ''}`,
  ];
  if (r.spec.task) out.push(`task     ${r.spec.task}`);
  if (r.provenance.length) out.push(`after    ${r.provenance.join(', ')} (retry ${r.retry})`);
  out.push(`files    ${r.artifact.files.join(', ') || '(none)'}${r.artifact.truncated ? '   (diff truncated)' : ''}`, '', 'verdicts');
  for (const v of r.verdicts) {
    out.push(`  ${v.status.padEnd(8)} ${v.guard}  (${v.ms} ms${v.exit === null ? '' : `, exit ${v.exit}`})`);
    if (v.feedback.trim() && v.status !== 'pass') out.push(...v.feedback.trimEnd().split('\n').slice(-20).map((l) => `           ${l}`));
  }
  return out.join('\n');
}

// One reader warning as a sentence: a held lock and a journal not replayed say themselves; the rest
// are lines of a note that are valid git objects but not records.
export function warningText(w: StoreWarning): string {
  if (w.reason === 'locked') return w.detail;
  if (w.reason === 'journal') return journalNotReplayed(w.detail);
  return badLine(w.object, w.reason, w.detail);
}

// Reader warnings, one line each, for stderr.
export function warningLines(ws: StoreWarning[]): string {
  return ws.map((w) => stderrWarning(warningText(w))).join('\n');
}
