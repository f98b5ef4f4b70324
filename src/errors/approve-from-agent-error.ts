import { GuardloopError } from './guardloop-error.js';
import { approveFromAgent } from '../messages/agents.js';

// `guardloop approve` was run from an agent's shell: approvals are a person's.
export class ApproveFromAgentError extends GuardloopError<{ agent: string }> {
  constructor(agent: string) {
    super('APPROVE_FROM_AGENT', approveFromAgent(agent), { agent }, 2);
    this.name = 'ApproveFromAgentError';
  }
}
