import { inputPaths, sessionOf, stderrNotice, subagentSession, type AgentAdapter, type Payload } from './types.js';

// The subagent a Cursor subagentStart/subagentStop payload names: both are the parent conversation's
// events and name the subagent by subagent_id (the parent's Task tool call, tool_call_id; seen as two
// lines, `call-…` and `fc_…`, joined here by a space).
function subagentOf(p: Payload, event: string): string | null {
  const id = p.hook_event_name === event ? p.subagent_id || p.tool_call_id : null;
  return id?.trim() ? id.trim().replace(/\s+/g, ' ') : null;
}

// The conversation a Cursor subagent belongs to.
const parentOf = (p: Payload): string | null => p.parent_conversation_id || sessionOf(p);

// Cursor: a stop goes on with {"followup_message"} (auto-submitted as the next user message, capped
// by the hook's loop_limit); an `aborted` stop is never blocked. subagentStop is answered the same
// way and subagentStart with {"permission":"allow"} (from Cursor's documented hook protocol; no
// capture from the real CLI yet).
export const cursor: AgentAdapter = {
  name: 'cursor',
  reasonLimit: 9_500,
  stop(p) {
    const sub = subagentOf(p, 'subagentStop');
    return {
      session: sub ? subagentSession(parentOf(p), sub) : sessionOf(p),
      transcript: (sub ? p.agent_transcript_path : null) || p.transcript_path || null,
      cwd: p.cwd || p.workspace_roots?.[0] || null,
      lastMessage: p.last_assistant_message || null,
      prompt: null,
      aborted: p.status === 'aborted',
      subagent: sub,
    };
  },
  subagentStart(p) {
    const sub = subagentOf(p, 'subagentStart');
    const parent = parentOf(p);
    return sub && parent ? { session: subagentSession(parent, sub)!, cwd: p.cwd || p.workspace_roots?.[0] || null } : null;
  },
  subagentStartReply: JSON.stringify({ permission: 'allow' }),
  block: (reason) => JSON.stringify({ followup_message: reason }),
  allow: stderrNotice('{}'),
  editedPaths: (p) => (p.tool_input ? inputPaths(p.tool_input) : null),
  denyTool: (reason) => JSON.stringify({ permission: 'deny', agent_message: reason, user_message: reason }),
  allowTool: '{}',
  turnStart: JSON.stringify({ continue: true }),
};
