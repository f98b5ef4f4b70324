import type { RecordV1, Verdict } from '../store/record.js';
import { TOLERATED_MARK, toleratedNote } from './run.js';

// Wording of the agent hooks (stop, pre-tool, turn-start), `guardloop approve` and `guardloop status`.

// The first words of every reason guardloop sends an agent: the transcript reader skips them (Cursor
// submits a follow-up as a user message) and a person reading the transcript knows where it came from.
export const REASON_PREFIX = 'guardloop rejected this change';

// The protected-path verdict: what the agent is told, at the stop and before an edit.
export function protectedChanged(paths: string[]): string {
  const list = paths.slice(0, 20).join(', ') + (paths.length > 20 ? `, … (${paths.length} in all)` : '');
  return `protected path changed: needs a human's approval (\`guardloop approve\`): ${list}. These paths hold the guards and the tests they run; an agent may not change them on its own. Undo the change, or stop and ask a person to review it and run \`guardloop approve\`.`;
}

// The pre-tool denial for one edit.
export function protectedEdit(paths: string[]): string {
  return `guardloop: ${protectedChanged(paths)}`;
}

// The invariant recorded with the protected-path verdict.
export const PROTECTED_INVARIANT =
  "In this codebase, an agent must never change a guard's config or the tests the guards run without a human's approval, because a guard its subject can edit stops guarding.";

// The opening of a stop reason: what happened and what to do.
export function reasonHeader(failed: number, attempt: number, max: number): string {
  return `${REASON_PREFIX} (attempt ${attempt} of ${max}): ${failed} guard${failed === 1 ? '' : 's'} failed. Fix what they report below, then finish again; do not weaken or skip the guards.`;
}

// One failed guard in a stop reason.
export function reasonGuard(id: string, status: string, exit: number | null, invariant: string, tail: string): string {
  const cause = status === 'timeout' ? 'timed out' : status === 'error' ? 'could not run' : `failed (exit ${exit ?? '–'})`;
  return `\n\n## ${id} ${cause}\nInvariant: ${invariant}\nOutput (tail):\n${tail || '(no output)'}`;
}

// Told to the person when an agent session keeps failing and guardloop lets the stop through.
export function escalated(agent: string, record: RecordV1, attempts: number): string {
  const id = record.id.slice(0, 12);
  // A failure the turn's base already had (`tolerated`) didn't block, so it isn't why the chain escalated.
  const failed = record.verdicts.filter((v) => (v.status === 'fail' && !v.tolerated) || v.status === 'error' || v.status === 'timeout').map((v) => v.guard);
  return `guardloop: ${agent} was rejected ${attempts} times in a row (agent.maxAttempts) and the guards still fail (${failed.join(', ')}); its stop was let through and the chain is marked escalated. The work is NOT accepted: review it with \`guardloop show ${id}\`.`;
}

// The first words of the reason sent when guardloop itself failed: the transcript reader skips them too.
export const HOOK_ERROR_PREFIX = 'guardloop could not check this change';

// guardloop itself failed inside an agent hook: what the agent is told when onError blocks.
export function hookErrorReason(message: string): string {
  return `${HOOK_ERROR_PREFIX}: ${message}\nIf you can fix the cause (a broken config at HEAD is for a person to fix), do; otherwise finish again and the stop will be let through, with the error recorded.`;
}

// guardloop itself failed inside an agent hook: what the person is told when the stop is let through.
export function hookErrorAllowed(agent: string, message: string): string {
  return `guardloop (${agent} hook): could not check the agent's work and let the stop through (agent.onError): ${message.replace(/\.$/, '')}. Details: .git/guardloop/agent-errors.jsonl; \`guardloop status\` lists recent errors.`;
}

// Printed for --agent with a name guardloop doesn't know.
export function unknownAgent(name: string, known: readonly string[]): string {
  return `guardloop: unknown agent "${name}". Known agents: ${known.join(', ')}. Fix the hook command in the agent's settings (see \`guardloop init --agent\`).`;
}

// The payload on stdin could not be used; `detail` is one of the four below.
export function badPayload(detail: string): string {
  return `the hook's JSON payload on stdin could not be read (${detail}); the agent should send one JSON object. Check the hook's command in the agent's settings (\`guardloop init --agent NAME\` writes it).`;
}

// badPayload's detail: nothing arrived on stdin.
export const EMPTY_STDIN = 'stdin was empty';

// badPayload's detail: stdin is not JSON.
export function payloadNotJson(parserMessage: string): string {
  return `not JSON: ${parserMessage}`;
}

// badPayload's detail: stdin is JSON but not an object.
export const PAYLOAD_NOT_AN_OBJECT = 'not a JSON object';

// badPayload's detail: a field of the payload has the wrong type.
export function payloadFieldInvalid(path: string, problem: string): string {
  return `${path || 'payload'}: ${problem}`;
}

// A Cursor stop the user aborted is never blocked.
export const ABORTED_STOP = 'guardloop: the agent was stopped by the user (status: aborted); the guards did not run.';

// `guardloop approve` refused inside an agent's shell.
export function approveFromAgent(agent: string): string {
  return `guardloop approve: refused — this shell belongs to an agent (${agent}). Approvals are a person's decision: run \`guardloop approve\` yourself in a terminal.`;
}

// `guardloop approve` with nothing to approve.
export const NOTHING_TO_APPROVE = 'guardloop approve: no protected path differs from HEAD in the working tree; nothing to approve.';

// `guardloop approve` waiting for confirmation.
export function approvePrompt(count: number): string {
  return `Approve these changes to ${count} protected path${count === 1 ? '' : 's'}? An agent's stop with exactly this content will pass the protected-path check. [y/N] `;
}

// `guardloop approve` without a terminal and without --yes.
export const APPROVE_NEEDS_YES = 'guardloop approve: not confirmed. Review the diff above and run `guardloop approve --yes` (or run it in a terminal to be asked).';

// What `guardloop approve` wrote.
export function approved(record: RecordV1): string {
  return `guardloop: approved ${record.approval?.paths.length ?? 0} protected path(s) on tree ${record.tree.slice(0, 12)} (record ${record.id.slice(0, 12)}).`;
}

// One agent's line in `guardloop status`.
export function statusLine(agent: string, s: { file: string; exists: boolean; stop: boolean; tool: boolean | null; error?: string; trust?: { trusted: boolean | null; detail: string } }): string {
  if (s.error) return `  ${agent.padEnd(8)} ${s.file}: ${s.error}`;
  if (!s.exists || (!s.stop && !s.tool)) return `  ${agent.padEnd(8)} not installed (guardloop init --agent ${agent})`;
  const tool = s.tool === null ? '' : `  edits ${s.tool ? '✓' : '✗'}`;
  const trust = !s.trust || s.trust.trusted === null ? '' : s.trust.trusted ? '  trusted ✓' : `  NOT TRUSTED ✗\n           ${s.trust.detail}`;
  return `  ${agent.padEnd(8)} ${s.file.padEnd(30)} stop ${s.stop ? '✓' : '✗'}${tool}${trust}`;
}

// A turn-start hook could not record where the turn began: the prompt goes on; the stop then falls
// back to the newest commit with an ACCEPTED record.
export function turnStartFailed(message: string): string {
  return `guardloop: could not record where this turn starts (${message}); the prompt went on, and the stop will judge from the newest commit holding an ACCEPTED record. Run \`guardloop doctor\` if this repeats.\n`;
}

// A parent's stop let through unjudged because its background subagents still run.
export function subagentsStillRunning(count: number): string {
  return `guardloop: ${count} subagent${count === 1 ? '' : 's'} still run${count === 1 ? 's' : ''} in the background, so this stop was not judged yet; the stop after ${count === 1 ? 'it finishes' : 'they finish'} is.`;
}

// A subagent-start hook could not record what the work tree held: the subagent goes on; its stop
// then runs the guards (it can't tell that nothing changed).
export function subagentStartFailed(message: string): string {
  return `guardloop: could not record what the work tree held when this subagent started (${message}); the subagent went on, and its stop will run the guards. Run \`guardloop doctor\` if this repeats.\n`;
}

// The words every not-recorded warning holds: the stop finds notRecorded's warning among the run's by them.
export const NOT_RECORDED_MARK = 'not recorded in ℛ';

// Said when a verdict reached neither ℛ nor (for the chain) only the local state: the brake still counts the attempt.
export function notRecorded(message: string, agentRun: boolean): string {
  const counts = agentRun ? '; the attempt still counts toward the limit' : '';
  return `guardloop: this verdict was ${NOT_RECORDED_MARK} (${message})${counts}. Run \`guardloop doctor\`, then \`guardloop status\`.`;
}

// The stop's not-recorded notice when the run's warnings don't hold notRecorded's (it always should).
export const NOT_RECORDED_FALLBACK = `guardloop: this verdict was ${NOT_RECORDED_MARK}. Run \`guardloop doctor\`, then \`guardloop status\`.`;

// A run warning passed on by an agent hook, on stderr.
export function hookWarning(warning: string): string {
  return `guardloop: warning: ${warning.replace(/^guardloop: /, '')}`;
}

// One progress line per guard while an agent's stop runs (stderr). `verdict`, when given, tells a failure
// the turn's base has too (`tolerated`): its own mark, and why it doesn't block; a new failure stays `✗ fail`.
export function stopProgress(guard: string, status: string, verdict?: Pick<Verdict, 'tolerated' | 'failures'>): string {
  if (verdict?.tolerated && status === 'fail') return `guardloop stop: ${TOLERATED_MARK} ${guard} tolerated (${toleratedNote(verdict.failures?.length ?? 0)})`;
  return `guardloop stop: ${status === 'pass' ? '✓' : status === 'skipped' ? '–' : '✗'} ${guard} ${status}`;
}

// The edit check itself failed: the edit goes ahead, and the stop checks protected paths again.
export function preToolFailed(message: string): string {
  return `guardloop: the protected-path check could not run (${message}); the edit was allowed and the stop will check it.`;
}

// guardloop itself failed inside an agent hook, on stderr, when the hook blocks.
export function hookFailed(message: string): string {
  return `guardloop: ${message}`;
}

// An agent hook's failure that is not one of guardloop's own errors (a bug): its message as the reason.
export function hookInternalError(message: string): string {
  return `internal error: ${message}`;
}

// The record's base is not HEAD: commits made during the turn without an ACCEPTED record were checked with the candidate.
export function uncheckedCommits(count: number, base: string): string {
  return `guardloop: ${count} commit${count === 1 ? '' : 's'} since ${base.slice(0, 12)} hold${count === 1 ? 's' : ''} no ACCEPTED record; ${count === 1 ? 'it was' : 'they were'} checked with this change, against the guards of ${base.slice(0, 12)}.`;
}

// The first lines of `guardloop status`: where, and the heading of the agents' list.
export function statusHeader(root: string): string {
  return `guardloop status in ${root}\nAgent hooks:`;
}

// `guardloop status`: how many agent chains hold rejected attempts.
export function openChainsLine(count: number): string {
  return `Open chains (rejected attempts waiting for a fix): ${count}`;
}

// One verdict in `status`'s list of verdicts that never reached ℛ.
export function unrecordedLine(u: { ts: string; status: string; id: string; error: string }): string {
  return `  ${u.ts} ${u.status} ${u.id.slice(0, 12)}: ${u.error}`;
}

// The heading of `status`'s list of guardloop's own recent failures in agent hooks.
export const RECENT_HOOK_ERRORS = 'Recent guardloop errors in agent hooks:';

// One of guardloop's recent failures in an agent hook (its first line), in `guardloop status`.
export function hookErrorLine(e: Record<string, unknown>): string {
  return `  ${e.ts} ${e.agent} ${e.action}: ${String(e.message).split('\n')[0]}`;
}

// The heading of `status`'s list of verdicts that never reached ℛ.
export function unrecordedHeader(count: number): string {
  return `Verdicts not recorded in ℛ (${count}; the attempt counts still advanced). Run \`guardloop doctor\` to find what blocks ℛ:`;
}
