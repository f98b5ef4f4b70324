import type { RunResult } from '../engine/run-types.js';
import type { SelectedGuard } from '../engine/select.js';
import { tailLines } from './tail-lines.js';
import type { RecordV1, Verdict } from '../store/record.js';

const MARK: Record<Verdict['status'], string> = { pass: '✓', fail: '✗', error: '!', timeout: '⏱', skipped: '–' };

// The mark of a guard that fails only as the turn's base does (verdict `tolerated`): not ✗, it blocks nothing.
export const TOLERATED_MARK = '≈';

function seconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

// Why a tolerated guard's failure blocks nothing, on its progress line (a stop's and a commit's alike).
export function toleratedNote(failures: number): string {
  return `${failures} failure${failures === 1 ? '' : 's'} the turn's base has too, not blocking`;
}

// One line per guard, printed in declaration order as verdicts arrive (a reused verdict names its record).
// A tolerated failure (every failure it names was already there on the turn's base) has its own mark and
// says why it doesn't block; a new failure stays `✗ fail`.
export function guardLine(v: Verdict, width: number): string {
  const took = v.reused ? `reused (inputs unchanged since record ${v.reused.slice(0, 12)})` : seconds(v.ms);
  if (v.tolerated && v.status === 'fail') return `  ${TOLERATED_MARK} ${v.guard.padEnd(width)}  tolerated ${took} (${toleratedNote(v.failures?.length ?? 0)})`;
  const what = v.status === 'skipped' ? 'skipped (no changed file matches its files)' : `${v.status.padEnd(7)} ${took}`;
  return `  ${MARK[v.status]} ${v.guard.padEnd(width)}  ${what}`;
}

// The explanation under a failed guard: its invariant, then the tail of its output.
export function failureDetail(v: Verdict, guard: SelectedGuard['guard'], lines = 15): string {
  const out = tailLines(v.feedback, lines);
  const body = out ? out.split('\n').map((l) => `    │ ${l}`).join('\n') : '    │ (no output)';
  const cause = v.status === 'timeout' ? 'timed out' : v.status === 'error' ? 'could not run' : v.tolerated ? "failed as on the turn's base (not blocking)" : 'failed';
  return `\n  ${v.guard} ${cause} (exit ${v.exit ?? '–'}). Invariant:\n    ${guard.invariant}\n${body}`;
}

// The line that opens a run.
export function runHeader(hook: string, count: number, isolated: boolean): string {
  const where = isolated ? ' in a temporary checkout of the staged content (your unstaged work stays untouched)' : '';
  return `guardloop ${hook}: ${count} guard${count === 1 ? '' : 's'}${where}`;
}

// Said when ℛ already holds an ACCEPTED verdict for this exact content and guard set, or (a light
// record, `record.reused`) when an agent's stop changed nothing since a tree ACCEPTED for its base.
export function cacheHit(record: RecordV1): string {
  if (record.reused)
    return `guardloop: ACCEPTED (nothing changed) — this tree was already accepted for this turn's base (record ${record.reused.slice(0, 12)}); no guard ran, recorded ${record.id.slice(0, 12)}. Use --no-cache to run the guards.`;
  const tolerated = record.verdicts.filter((v) => v.tolerated).map((v) => v.guard);
  if (tolerated.length)
    return `guardloop: ACCEPTED (cached) — the same guards accepted this tree against this turn's base at ${record.ts} (record ${record.id.slice(0, 12)}); ${tolerated.join(', ')} still fail${tolerated.length === 1 ? 's' : ''} as on the base. Use --no-cache to run them again.`;
  return `guardloop: ACCEPTED (cached) — this tree passed the same guards at ${record.ts} (record ${record.id.slice(0, 12)}). Use --no-cache to run them again.`;
}

// Said when GUARDLOOP=0 turns the run off.
export const SKIPPED_BY_ENV =
  'guardloop: skipped because GUARDLOOP=0. No ACCEPTED record was written: the post-commit hook notes the commit as SKIPPED and `guardloop audit` lists it. Unset GUARDLOOP to run the guards.';

// The closing lines: the verdict, where it was recorded, and what to do next.
export function runSummary(result: RunResult): string {
  const lines: string[] = [];
  if (result.fixes.staged.length) lines.push(`  fixed and staged: ${result.fixes.staged.join(', ')}`);
  if (result.fixes.notApplied.length)
    lines.push(
      `  the fix could not be applied to your working copy of: ${result.fixes.notApplied.join(', ')} (your unstaged edits there conflict with it; the fixed version is staged — compare with \`git diff\`)`,
    );
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  const id = result.record && !result.recorded ? ` · NOT recorded (see the warning above)` : result.record ? ` · recorded ${result.record.id.slice(0, 12)} (guardloop show ${result.record.id.slice(0, 12)})` : '';
  if (result.status === 'ACCEPTED') lines.push(`ACCEPTED${id}`);
  else {
    lines.push(`REJECTED${id}`);
    lines.push('Fix what the failed guards report and commit again. Run `guardloop run` to check without committing.');
  }
  return lines.join('\n');
}

// Appended to the feedback of a check-only guard that changed files (in a private checkout).
export function guardModifiedFiles(files: string[]): string {
  return `\n[guardloop: guard modified files: ${files.join(', ')}; they were restored in guardloop's private checkout. Set \`fix: true\` on a guard that is meant to fix files]`;
}

// Appended to the feedback of a check-only guard that staged or unstaged files (in a private checkout).
export const GUARD_CHANGED_INDEX =
  "\n[guardloop: a guard changed the index (git add / git rm) in guardloop's private checkout; what is staged is yours to decide, so this fails. Set `fix: true` on a guard that is meant to fix files]";

// Said when tracked files changed while guards ran in place: nothing was touched, the verdict is from a private copy.
export function drifted(files: string[], stop: boolean): string {
  const list = files.length > 8 ? `${files.slice(0, 8).join(', ')} and ${files.length - 8} more` : files.join(', ');
  if (stop) return `files changed while the guards ran (${list}); guardloop left them exactly as saved and checked the working tree as the stop found it, in a private checkout. Later changes are checked at the next stop.`;
  return `files changed while the guards ran (${list}); guardloop left them exactly as saved and checked the staged content in a private checkout instead. Those changes are not part of this verdict: stage them and commit again to check them.`;
}

// The feedback of a guard whose `cwd` is not a directory of the candidate (nothing was started).
export function guardCwdMissing(cwd: string, isolated: boolean): string {
  const where = isolated ? ' (guards run in a temporary checkout of the staged content: an untracked or ignored folder is not there)' : '';
  return `[guardloop: the guard's cwd "${cwd}" is not a directory of the candidate${where}; nothing was run. Fix \`cwd\` in .loop/config.yaml or commit that folder]`;
}

// The invariant of the check that the index still holds what the guards judged.
export const STAGED_INVARIANT =
  'In this codebase, content staged while the guards run must never be committed with their verdict, because the guards judged other content.';

// How the check that the index still holds the candidate is named as a guard's `run` in records.
export const STAGED_CHECK_RUN = 'guardloop (the index still holds the candidate)';

// The feedback when files were staged (or unstaged) while the guards ran: the commit is refused, nothing is touched.
export function stagedDuringRun(files: string[]): string {
  const list = files.length > 8 ? `${files.slice(0, 8).join(', ')} and ${files.length - 8} more` : files.join(', ');
  return `[guardloop: the index changed while the guards ran (${list}): the guards judged what was staged when the commit started, so this commit is refused. Nothing was touched: your staged and unstaged changes are as you left them. Commit again to check what is staged now. A guard that stages files itself must be a fix guard (\`fix: true\`)]`;
}

// Said when ℛ could not be read during a run: the guards still ran, the cache and chain were not used.
export function readFailed(message: string): string {
  return `ℛ could not be read (${message}); the guards ran without the cache and without earlier attempts. Run \`guardloop doctor\`.`;
}

// Said when nothing selected runs for this hook.
export function noGuards(hook: string): string {
  if (hook === 'run') return 'guardloop run: .loop/config.yaml declares no guard (add one under `guards:`; `npx guardloop init` writes a starter config).';
  return `guardloop ${hook}: no guard runs in this hook (add \`on: [${hook}]\` to a guard in .loop/config.yaml).`;
}

// The feedback of a guard whose `files` globs match no changed file (it was not started).
export const SKIPPED_NO_MATCH = 'no changed file matches its `files`';

// Appended to a guard's output when its command is not on PATH.
export function commandNotFound(command: string): string {
  return `\n[guardloop: "${command}" was not found in PATH (node_modules/.bin is added); install it or fix the guard's run]`;
}

// Appended to a guard's output when its command could not be started for another reason.
export function commandNotStarted(command: string, message: string): string {
  return `\n[guardloop: could not start "${command}": ${message}]`;
}

// Appended when the shell reports a command it could not find (exit 127).
export const SHELL_COMMAND_NOT_FOUND = "\n[guardloop: a command was not found in PATH (exit 127); install it or fix the guard's run]";

// Appended when the shell reports a command it could not execute (exit 126).
export const SHELL_COMMAND_NOT_EXECUTABLE = '\n[guardloop: a command is not executable (exit 126); check its permissions]';

// The feedback of a guard that was not started because the run was interrupted.
export const INTERRUPTED_BEFORE_START = '[guardloop: interrupted before the guard started]';

// Appended to the output of a guard stopped at its timeout.
export function guardTimedOut(timeoutMs: number): string {
  return `\n[guardloop: timed out after ${Math.round(timeoutMs / 1000)} s; the guard's processes were killed]`;
}

// Where a guard's long output was cut (its head and tail are kept).
export function outputCut(characters: number): string {
  return `\n[guardloop: ${characters} characters of output cut]\n`;
}

// Opens the tail of an earlier attempt's feedback kept in a later record's history.
export function earlierInRecord(characters: number, id: string): string {
  return `[guardloop: ${characters} earlier characters are in record ${id}]\n`;
}

// Stands for an old attempt's feedback once the history's room is used up.
export function feedbackInRecord(id: string): string {
  return `[guardloop: in record ${id}]`;
}

// Said when the chain file of an agent's or a person's attempts could not be written (the verdict stands).
export function chainNotUpdated(message: string, dir: string): string {
  return `the chain of attempts could not be updated: ${message}. The next attempt may count from one; check that ${dir} is writable.`;
}

// Before the guards declared `on: [pre-push]` run on one pushed commit.
export function prePushHeader(commit: string, count: number): string {
  return `guardloop pre-push: ${count} guard${count === 1 ? '' : 's'} on the pushed commit ${commit.slice(0, 12)}, in a temporary checkout of it`;
}

// After a pushed commit's pre-push guards: the verdict, and the fix when they failed.
export function prePushVerdict(commit: string, status: 'ACCEPTED' | 'REJECTED', id: string | null): string {
  const rec = id ? ` · recorded ${id.slice(0, 12)}` : ' · NOT recorded (see the warning above)';
  return status === 'ACCEPTED'
    ? `ACCEPTED${rec}`
    : `REJECTED${rec}: the push is refused. Fix what the failed guards report in a new commit (or amend ${commit.slice(0, 12)}), then push again; \`guardloop verify ${commit.slice(0, 12)}\` runs the commit guards alone`;
}
