import { inputPaths, sessionOf, stderrNotice, type AgentAdapter } from './types.js';

// Cursor: a stop goes on with {"followup_message"} (auto-submitted as the next user message, capped
// by the hook's loop_limit); an `aborted` stop is never blocked.
export const cursor: AgentAdapter = {
  name: 'cursor',
  reasonLimit: 9_500,
  stop: (p) => ({
    session: sessionOf(p),
    transcript: p.transcript_path || null,
    cwd: p.cwd || p.workspace_roots?.[0] || null,
    lastMessage: p.last_assistant_message || null,
    prompt: null,
    aborted: p.status === 'aborted',
  }),
  block: (reason) => JSON.stringify({ followup_message: reason }),
  allow: stderrNotice('{}'),
  editedPaths: (p) => (p.tool_input ? inputPaths(p.tool_input) : null),
  denyTool: (reason) => JSON.stringify({ permission: 'deny', agent_message: reason, user_message: reason }),
  allowTool: '{}',
  turnStart: JSON.stringify({ continue: true }),
};
