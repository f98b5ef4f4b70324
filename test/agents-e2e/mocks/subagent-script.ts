import { REASON_MARK, type Action } from './script.js';

// The scripted model of a subagent session, whatever the API: the parent's first answer spawns a
// subagent with `task`; the subagent writes `file` with `bad` (or, read-only, answers at once), and
// when guardloop's reason reaches it, writes `fixed`; the parent finishes when the subagent is done.

// In the subagent's task: how the mock tells the subagent's conversation from its parent's.
export const SUB_MARK = 'SUBTASK';

export interface SubagentScript {
  prompt: string;
  task: string;
  // What the subagent writes (null: it only reads and answers).
  file: string | null;
  bad: string;
  fixed: string;
}

export const SUB_TODO: SubagentScript = {
  prompt: 'Delegate the creation of src/sub.js to a subagent.',
  task: `${SUB_MARK}: create src/sub.js exporting a constant sub.`,
  file: 'src/sub.js',
  bad: 'export const sub = 1; // TODO: remove me\n',
  fixed: 'export const sub = 1;\n',
};

export const SUB_READ_ONLY: SubagentScript = { ...SUB_TODO, task: `${SUB_MARK}: read src/index.js and say what it exports.`, file: null };

// What is new in a request, in protocol-neutral terms.
export interface SubTurn {
  hasTools: boolean;
  // The conversation is the subagent's (its task is in a user or agent message).
  sub: boolean;
  // The new part carries a tool's result, or a note that a background task ended.
  toolResult: boolean;
  reason: boolean;
  // How many times guardloop's reason appears in the conversation.
  reasons: number;
  // The parent already spawned the subagent (and, where the API needs it, waited for it).
  spawned: boolean;
  waited: boolean;
}

export type SubAction = Action | { kind: 'spawn' } | { kind: 'wait' };

// `waits`: the API needs the parent to wait for the subagent explicitly (Codex's wait_agent).
export function decideSub(script: SubagentScript, t: SubTurn, waits = false): SubAction {
  if (!t.hasTools) return { kind: 'text', text: 'ok' };
  if (t.sub) {
    if (t.reason && script.file) return { kind: 'write', path: script.file, content: t.reasons > 1 ? `${script.fixed}// attempt ${t.reasons}\n` : script.fixed };
    if (t.toolResult || !script.file) return { kind: 'text', text: script.file ? `Subagent wrote ${script.file}.` : 'src/index.js exports nothing.' };
    return { kind: 'write', path: script.file, content: script.bad };
  }
  if (!t.spawned) return { kind: 'spawn' };
  if (waits && !t.waited) return { kind: 'wait' };
  return { kind: 'text', text: 'The subagent is done.' };
}

// One line for a request's log.
export function describeSubAction(a: SubAction): string {
  if (a.kind === 'spawn' || a.kind === 'wait') return a.kind;
  return a.kind === 'write' ? `write ${a.path} (${JSON.stringify(a.content.trim())})` : `text ${JSON.stringify(a.text)}`;
}

// Whether a serialized piece of a request holds guardloop's reason.
export const holdsReason = (s: string) => s.includes(REASON_MARK);
