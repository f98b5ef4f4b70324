import { GuardloopError } from './guardloop-error.js';
import { unknownAgent } from '../messages/agents.js';

// `--agent` named an agent guardloop doesn't speak to.
export class UnknownAgentError extends GuardloopError<{ agent: string; known: readonly string[] }> {
  constructor(agent: string, known: readonly string[]) {
    super('UNKNOWN_AGENT', unknownAgent(agent, known), { agent, known }, 2);
    this.name = 'UnknownAgentError';
  }
}
