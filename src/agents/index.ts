import { claude } from './claude.js';
import { codex } from './codex.js';
import { copilot } from './copilot.js';
import { cursor } from './cursor.js';
import { gemini } from './gemini.js';
import { qwen } from './qwen.js';
import { AGENT_NAMES, type AgentAdapter, type AgentName } from './types.js';

// The names and the adapter interface, for callers that only need the registry.
export { AGENT_NAMES, type AgentAdapter, type AgentName } from './types.js';

const ADAPTERS: Record<AgentName, AgentAdapter> = { claude, codex, cursor, gemini, copilot, qwen };

// The adapter for an `--agent` name, or null for a name guardloop doesn't speak.
export function adapterFor(name: string): AgentAdapter | null {
  return (AGENT_NAMES as readonly string[]).includes(name) ? ADAPTERS[name as AgentName] : null;
}
