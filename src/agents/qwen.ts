import { visitFromEnd, type LogEntry } from './jsonl-from-end.js';
import { ownWords } from './transcript-entries.js';
import { inPlanMode, inputPaths, runningSubagents, sessionOf, subagentSession, type AgentAdapter, type Payload } from './types.js';

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

// The words of a Qwen Code user entry: what the person typed (systemPayload.displayText when a hook
// added context), else its text parts (thoughts left out).
function typed(e: LogEntry): string | null {
  const shown = obj(e.systemPayload).displayText;
  if (typeof shown === 'string') return ownWords(shown);
  const parts = obj(e.message).parts;
  if (!Array.isArray(parts)) return null;
  const texts = parts.map(obj).filter((p) => p.thought !== true && typeof p.text === 'string').map((p) => p.text as string);
  return texts.length ? ownWords(texts.join('\n')) : null;
}

// The newest prompt a person typed, from Qwen Code's chat log (~/.qwen/projects/<cwd>/chats/<session>.jsonl,
// the payload's transcript_path): a `user` entry of provenance real_user (older logs have none), not a
// subtype other than a mid-turn message. A Stop block's reason is not written there at all.
export function qwenPrompt(file: string | null): string | null {
  let prompt: string | null = null;
  if (file)
    visitFromEnd(file, (e) => {
      if (e.type !== 'user' || (e.provenance !== undefined && e.provenance !== 'real_user')) return false;
      if (e.subtype !== undefined && e.subtype !== 'mid_turn_user_message') return false;
      prompt = typed(e);
      return prompt !== null;
    });
  return prompt;
}

// Qwen Code's stand-in when the model's last turn had no text.
const NO_TEXT = '[no response text]';

// Qwen Code (a Gemini CLI fork with Claude Code's hook protocol): Stop/SubagentStop block with
// {"decision":"block"} (exit 0) and the reason is sent as the next user turn; systemMessage is shown
// to the person; PreToolUse denies with hookSpecificOutput.permissionDecision (write_file, edit).
// Checked on Qwen Code 0.24.4, which caps consecutive Stop blocks at 8 (QWEN_CODE_STOP_HOOK_BLOCK_CAP).
// SubagentStart/SubagentStop carry the session_id and the subagent's agent_id (`<type>-<tool call id>`);
// a SubagentStop block continues the subagent. permission_mode is "plan" in its plan approval mode
// ("analyze only, do not modify files or execute commands").
export const qwen: AgentAdapter = {
  name: 'qwen',
  reasonLimit: 9_500,
  stop(p: Payload) {
    const sub = p.hook_event_name === 'SubagentStop' && p.agent_id ? p.agent_id : null;
    const session = subagentSession(sessionOf(p), sub);
    const file = (sub ? p.agent_transcript_path : null) || p.transcript_path || null;
    const last = p.last_assistant_message && p.last_assistant_message !== NO_TEXT ? p.last_assistant_message : null;
    return {
      // A subagent's attempts form their own chain inside the session.
      session,
      // Read here already; kept for keying a session without an id only.
      transcript: session ? null : file,
      cwd: p.cwd || null,
      lastMessage: last,
      prompt: qwenPrompt(file),
      aborted: false,
      planMode: inPlanMode(p),
      subagent: sub,
      // Only the parent waits for them (a SubagentStop lists itself as running).
      runningSubagents: sub ? 0 : runningSubagents(p),
    };
  },
  subagentStart: (p) => (p.hook_event_name === 'SubagentStart' && p.agent_id && sessionOf(p) ? { session: subagentSession(sessionOf(p), p.agent_id)!, cwd: p.cwd || null } : null),
  block: (reason) => JSON.stringify({ decision: 'block', reason }),
  allow: (notice) => ({ stdout: notice ? JSON.stringify({ systemMessage: notice }) : '', stderr: '' }),
  editedPaths: (p) => (['write_file', 'edit', 'notebook_edit'].includes(p.tool_name ?? '') ? inputPaths(p.tool_input) : null),
  denyTool: (reason) => JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }),
  allowTool: '',
  turnStart: '',
};
