import { inputPaths, sessionOf, stderrNotice, type AgentAdapter } from './types.js';

function toolArgs(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

// GitHub Copilot (CLI and coding agent): agentStop goes on with {"decision":"block"}; its payload is
// camelCase (sessionId, transcriptPath); exit 2 only logs, so guardloop always answers on stdout.
export const copilot: AgentAdapter = {
  name: 'copilot',
  reasonLimit: 9_500,
  stop: (p) => ({
    session: sessionOf(p),
    transcript: p.transcriptPath || p.transcript_path || null,
    cwd: p.cwd || null,
    lastMessage: p.last_assistant_message || null,
    prompt: null,
    aborted: false,
  }),
  block: (reason) => JSON.stringify({ decision: 'block', reason }),
  allow: stderrNotice(''),
  editedPaths: (p) => (p.toolName && /edit|write|create/i.test(p.toolName) ? inputPaths(toolArgs(p.toolArgs)) : null),
  denyTool: (reason) => JSON.stringify({ permissionDecision: 'deny', permissionDecisionReason: reason }),
  allowTool: '',
  turnStart: '',
};
