// Variables a coding agent sets in the shells it runs, so a `git commit` it makes is a GENERATOR's.
// Qwen Code 0.24.4 sets QWEN_CODE=1 and QWEN_CODE_SESSION_ID in its shell tool's environment;
// Copilot CLI 1.0.102 sets COPILOT_CLI=1 and COPILOT_AGENT_SESSION_ID (both read from the real CLIs'
// shells, subagents' included). Qwen Code sets no GEMINI_CLI, so the order doesn't matter.
const AGENT_MARKERS: Array<[agent: string, test: (env: NodeJS.ProcessEnv) => boolean]> = [
  ['claude', (env) => env.CLAUDECODE === '1' || Boolean(env.CLAUDE_CODE_ENTRYPOINT)],
  ['codex', (env) => Boolean(env.CODEX_SANDBOX || env.CODEX_SANDBOX_NETWORK_DISABLED || env.CODEX_THREAD_ID || env.CODEX_CI)],
  ['cursor', (env) => Boolean(env.CURSOR_AGENT || env.CURSOR_TRACE_ID)],
  ['gemini', (env) => env.GEMINI_CLI === '1'],
  ['copilot', (env) => Boolean(env.COPILOT_AGENT_SESSION_ID || env.GITHUB_COPILOT_AGENT || env.COPILOT_CLI)],
  ['qwen', (env) => env.QWEN_CODE === '1' || Boolean(env.QWEN_CODE_SESSION_ID)],
];

// Tells who produced a candidate from the environment: an agent's name, or null for a person.
export function detectAgent(env: NodeJS.ProcessEnv): string | null {
  if (env.GUARDLOOP_AGENT) return env.GUARDLOOP_AGENT;
  for (const [agent, test] of AGENT_MARKERS) if (test(env)) return agent;
  return null;
}
