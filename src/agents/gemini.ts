import { inputPaths, sessionOf, stderrNotice, type AgentAdapter } from './types.js';

// Gemini CLI: AfterAgent goes on with {"decision":"deny"}; stdout holds JSON only (`{}` allows);
// BeforeTool denies write_file/replace the same way. Its payload carries the prompt itself.
export const gemini: AgentAdapter = {
  name: 'gemini',
  reasonLimit: 9_500,
  stop: (p) => ({
    session: sessionOf(p),
    transcript: p.transcript_path || null,
    cwd: p.cwd || null,
    // prompt_response is garbled when the answer streamed in chunks; kept as the best there is.
    lastMessage: p.prompt_response || p.last_assistant_message || null,
    prompt: p.prompt || null,
    aborted: false,
  }),
  block: (reason) => JSON.stringify({ decision: 'deny', reason }),
  allow: stderrNotice('{}'),
  editedPaths: (p) => (['write_file', 'replace', 'edit'].includes(p.tool_name ?? '') ? inputPaths(p.tool_input) : null),
  denyTool: (reason) => JSON.stringify({ decision: 'deny', reason }),
  allowTool: '{}',
  turnStart: '{}',
};
