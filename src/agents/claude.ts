import { inputPaths, sessionOf, type AgentAdapter } from './types.js';

// Claude Code: Stop/SubagentStop block with {"decision":"block"} (exit 0); the person is told through
// `systemMessage`; PreToolUse denies with hookSpecificOutput.permissionDecision.
export const claude: AgentAdapter = {
  name: 'claude',
  reasonLimit: 9_500,
  stop(p) {
    const sub = p.hook_event_name === 'SubagentStop' && p.agent_id;
    const session = sessionOf(p);
    return {
      // A subagent's attempts form their own chain inside the session.
      session: sub && session ? `${session}/${p.agent_id}` : session,
      transcript: (sub ? p.agent_transcript_path : null) || p.transcript_path || null,
      cwd: p.cwd || null,
      lastMessage: p.last_assistant_message || null,
      prompt: null,
      promptId: p.prompt_id || null,
      aborted: false,
    };
  },
  block: (reason) => JSON.stringify({ decision: 'block', reason }),
  allow: (notice) => ({ stdout: notice ? JSON.stringify({ systemMessage: notice }) : '', stderr: '' }),
  editedPaths: (p) => (['Edit', 'Write', 'MultiEdit', 'NotebookEdit'].includes(p.tool_name ?? '') ? inputPaths(p.tool_input) : null),
  denyTool: (reason) => JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }),
  allowTool: '',
  turnStart: '',
};
