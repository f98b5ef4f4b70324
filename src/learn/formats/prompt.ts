import {
  attemptRejected,
  attemptWithoutFeedback,
  CONSTRAINTS_INTRO,
  constraintLine,
  failedGuardLine,
  guardNoOutput,
  guardOutputIntro,
  INVARIANT_UNRECORDED,
  NO_CONSTRAINTS,
  NO_FAILED_GUARD,
  outputCut,
  TASK_UNRECORDED,
  taskLine,
} from '../../messages/learn.js';
import type { GuardStatus } from '../../store/record.js';
import type { Attempt, Trace } from '../trace.js';
import { guardSpec } from './guard-spec.js';
import type { SystemMessage, UserMessage } from './schemas.js';

// The prompt Ψ + H a model is trained on: the constraints in force (system), the task and the
// feedback of the earlier attempts in order (user). All wording is in src/messages/learn.ts.

// How many of a failed guard's last output lines a prompt keeps.
export const FEEDBACK_TAIL_LINES = 40;
// How many characters of a failed guard's output a prompt keeps, at most.
export const FEEDBACK_TAIL_CHARS = 2_000;

// The constraints in force: the guards of the chain's final record, each with its layer and invariant.
export function systemMessage(trace: Trace): SystemMessage {
  const guards = trace.final.spec.guards;
  if (!guards.length) return { role: 'system', content: NO_CONSTRAINTS };
  return { role: 'system', content: [CONSTRAINTS_INTRO, ...guards.map((g) => constraintLine(g.id, g.layer, g.invariant || INVARIANT_UNRECORDED))].join('\n') };
}

// The task line the user message opens with.
export function taskText(trace: Trace): string {
  const task = trace.final.spec.task;
  return task === null || !task.trim() ? TASK_UNRECORDED : taskLine(task);
}

// The end of a guard's output, within FEEDBACK_TAIL_LINES lines and FEEDBACK_TAIL_CHARS characters,
// after a line saying what was cut and where the whole output is (the record `id`).
export function feedbackTail(text: string, id: string): string {
  const whole = text.replace(/\s+$/, '');
  let kept = whole.split('\n').slice(-FEEDBACK_TAIL_LINES).join('\n');
  if (kept.length > FEEDBACK_TAIL_CHARS) {
    kept = kept.slice(-FEEDBACK_TAIL_CHARS).replace(/^[\uDC00-\uDFFF]/, '');
    // Start at a line where one begins within the budget.
    const nl = kept.indexOf('\n');
    if (nl >= 0 && nl < kept.length - 1) kept = kept.slice(nl + 1);
  }
  if (kept.length === whole.length) return whole;
  const cut = whole.slice(0, whole.length - kept.length);
  return `${outputCut(cut.split('\n').length - 1, cut.length, id)}\n${kept}`;
}

interface FailedGuard {
  guard: string;
  status: GuardStatus;
  feedback: string;
}

const failed = (v: FailedGuard) => v.status !== 'pass' && v.status !== 'skipped';

// The feedback of the k-th attempt (1-based): each failed guard's id, layer, invariant and the tail
// of its output, from the attempt's full record when ℛ has it, else from the history entry a later
// record kept. A guard's layer and invariant come from the attempt's own spec, else the final's.
export function feedbackText(attempt: Attempt, k: number, trace: Trace): string {
  const verdicts: FailedGuard[] | null = attempt.record ? attempt.record.verdicts.filter(failed) : attempt.entry ? attempt.entry.verdicts.filter(failed) : null;
  if (verdicts === null) return attemptWithoutFeedback(k, attempt.id);
  const lines = [attemptRejected(k)];
  if (!verdicts.length) lines.push(NO_FAILED_GUARD);
  for (const v of verdicts) {
    const spec = guardSpec(v.guard, attempt.record, trace.final);
    lines.push(failedGuardLine(v.guard, spec?.layer ?? 'other', spec?.invariant || INVARIANT_UNRECORDED));
    const output = v.feedback.replace(/\s+$/, '');
    if (!output) lines.push(guardNoOutput(v.status));
    else lines.push(guardOutputIntro(v.status), feedbackTail(output, attempt.id));
  }
  return lines.join('\n');
}

// The feedback history H of the first `upTo` attempts, one paragraph per attempt in order.
export function feedbackHistory(trace: Trace, upTo: number): string[] {
  return trace.attempts.slice(0, upTo).map((a, i) => feedbackText(a, i + 1, trace));
}

// The user message for an attempt after the first `upTo` attempts: the task, then their feedback in order.
export function userMessage(trace: Trace, upTo: number): UserMessage {
  return { role: 'user', content: [taskText(trace), ...feedbackHistory(trace, upTo)].join('\n\n') };
}

// The conversational prompt of a line: [system, user], ending with the user turn as TRL requires.
export function promptOf(trace: Trace, upTo: number): [SystemMessage, UserMessage] {
  return [systemMessage(trace), userMessage(trace, upTo)];
}
