import { GuardloopError } from './guardloop-error.js';
import { badPayload, unknownAgent } from '../messages/agents.js';

// The hook's stdin held no usable JSON payload (empty, not JSON, wrong field types).
export class HookPayloadError extends GuardloopError<{ detail: string }> {
  constructor(detail: string) {
    super('HOOK_PAYLOAD_INVALID', badPayload(detail), { detail }, 2);
    this.name = 'HookPayloadError';
  }
}

// `--agent` named an agent guardloop doesn't speak to.
export class UnknownAgentError extends GuardloopError<{ agent: string; known: readonly string[] }> {
  constructor(agent: string, known: readonly string[]) {
    super('UNKNOWN_AGENT', unknownAgent(agent, known), { agent, known }, 2);
    this.name = 'UnknownAgentError';
  }
}
