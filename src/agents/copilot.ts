import { existsSync } from 'node:fs';
import { visitFromEnd, type LogEntry } from './jsonl-from-end.js';
import { ownWords } from './transcript-entries.js';
import { inputPaths, sessionOf, stderrNotice, subagentSession, type AgentAdapter, type Payload } from './types.js';

function toolArgs(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

// What Copilot CLI's session log (~/.copilot/session-state/<id>/events.jsonl, the agentStop payload's
// transcriptPath) says of the stop: the newest prompt a person typed (`user.message` data.content; a
// block's reason comes back as a queued user.message too, and is skipped). Read here because the
// payload doesn't carry it.
// A log not written yet (Copilot CLI can create it after the first stop's hook has started) is looked
// for again, every 50 ms for up to `waitMs`, as a lagging transcript is (src/agents/transcript.ts).
export function copilotSession(file: string | null, waitMs = 500): { prompt: string | null } {
  let prompt: string | null = null;
  if (file && !existsSync(file)) {
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let left = waitMs; left > 0 && !existsSync(file); left -= 50) Atomics.wait(pause, 0, 0, 50);
  }
  if (file)
    visitFromEnd(file, (e: LogEntry) => {
      const data = (e.data ?? {}) as Record<string, unknown>;
      if (e.type === 'user.message' && text(data.content)) prompt = ownWords(data.content as string);
      return prompt !== null;
    });
  return { prompt };
}

// Copilot CLI's edit tools (create, edit; str_replace_editor and write in older builds) name their
// file in toolArgs.path; the cloud agent's in toolArgs.file_path.
const EDIT_TOOLS = /^(create|edit|write|str_replace_editor|str_replace|insert)$/i;

// Copilot CLI's subagent events (checked on 1.0.102; none carries hook_event_name): subagentStart and
// subagentStop name the parent's sessionId and the subagent's agentId; the subagent's own agentStop
// fires too, under sessionId = agentId with parentAgentId set, and a block there is ignored.
type CopilotEvent = 'stop' | 'subagent-stop' | 'subagent-own-stop' | 'subagent-start' | 'other';
function copilotEvent(p: Payload): CopilotEvent {
  if (!p.agentId) return p.stopReason !== undefined || p.stop_hook_active !== undefined ? 'stop' : 'other';
  if (p.sessionId === p.agentId) return 'subagent-own-stop';
  return p.stopReason !== undefined || p.response !== undefined ? 'subagent-stop' : 'subagent-start';
}

// GitHub Copilot (CLI and coding agent): agentStop goes on with {"decision":"block"} (the reason is
// queued as the next user message); its payload is camelCase (sessionId, transcriptPath) and carries
// neither the prompt nor the answer, so both are read from the session log; exit 2 only logs, so
// guardloop always answers on stdout. preToolUse denies with permissionDecision (checked on 1.0.102).
// subagentStop blocks the same way and the subagent goes on with the reason.
export const copilot: AgentAdapter = {
  name: 'copilot',
  reasonLimit: 9_500,
  stop(p: Payload) {
    const file = p.transcriptPath || p.transcript_path || null;
    const event = copilotEvent(p);
    const sub = event === 'subagent-stop' ? p.agentId! : null;
    const session = subagentSession(sessionOf(p), sub);
    // The session log is the parent's: its newest prompt is the parent's, not the subagent's task.
    const log = sub || event === 'subagent-own-stop' ? { prompt: null } : copilotSession(file);
    return {
      session,
      // Read here already; kept for keying a session without an id only.
      transcript: session ? null : file,
      cwd: p.cwd || null,
      // Not the log's newest answer: Copilot CLI writes its log after the hook runs, so at a stop the
      // newest answer there can be the previous turn's (seen on the real CLI under load).
      lastMessage: (sub ? text(p.response) : null) || p.last_assistant_message || null,
      prompt: log.prompt,
      aborted: false,
      subagent: sub,
      judgedElsewhere: event === 'subagent-own-stop',
    };
  },
  subagentStart: (p) => (copilotEvent(p) === 'subagent-start' && sessionOf(p) ? { session: subagentSession(sessionOf(p), p.agentId)!, cwd: p.cwd || null } : null),
  block: (reason) => JSON.stringify({ decision: 'block', reason }),
  allow: stderrNotice(''),
  editedPaths: (p) => (p.toolName && EDIT_TOOLS.test(p.toolName) ? inputPaths(toolArgs(p.toolArgs)) : null),
  denyTool: (reason) => JSON.stringify({ permissionDecision: 'deny', permissionDecisionReason: reason }),
  allowTool: '',
  turnStart: '',
};
