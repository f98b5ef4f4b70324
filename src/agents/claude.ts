import { inPlanMode, inputPaths, runningSubagents, sessionOf, subagentSession, type AgentAdapter } from './types.js';

// Claude Code: Stop/SubagentStop block with {"decision":"block"} (exit 0); the person is told through
// `systemMessage`; PreToolUse denies with hookSpecificOutput.permissionDecision. SubagentStart and
// SubagentStop carry the parent's session_id and the subagent's agent_id.
export const claude: AgentAdapter = {
  name: 'claude',
  reasonLimit: 9_500,
  stop(p) {
    const sub = p.hook_event_name === 'SubagentStop' && p.agent_id ? p.agent_id : null;
    return {
      // A subagent's attempts form their own chain inside the session.
      session: subagentSession(sessionOf(p), sub),
      transcript: (sub ? p.agent_transcript_path : null) || p.transcript_path || null,
      cwd: p.cwd || null,
      lastMessage: p.last_assistant_message || null,
      prompt: null,
      promptId: p.prompt_id || null,
      aborted: false,
      // Plan mode edits nothing (Claude Code denies every editing tool there).
      planMode: inPlanMode(p),
      subagent: sub,
      // Only the parent waits for them (a SubagentStop lists itself as running).
      runningSubagents: sub ? 0 : runningSubagents(p),
    };
  },
  subagentStart: (p) => (p.hook_event_name === 'SubagentStart' && p.agent_id && sessionOf(p) ? { session: subagentSession(sessionOf(p), p.agent_id)!, cwd: p.cwd || null } : null),
  block: (reason) => JSON.stringify({ decision: 'block', reason }),
  allow: (notice) => ({ stdout: notice ? JSON.stringify({ systemMessage: notice }) : '', stderr: '' }),
  editedPaths: (p) => (['Edit', 'Write', 'MultiEdit', 'NotebookEdit'].includes(p.tool_name ?? '') ? inputPaths(p.tool_input) : null),
  denyTool: (reason) => JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }),
  allowTool: '',
  turnStart: '',
};
