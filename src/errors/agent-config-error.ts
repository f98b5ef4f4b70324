import { GuardloopError } from './guardloop-error.js';
import { agentConfigUnreadable } from '../messages/setup.js';

// An agent's project config file can't be merged into (not JSON, or not the expected shape): it is left as it is.
export class AgentConfigError extends GuardloopError<{ file: string; detail: string }> {
  constructor(file: string, detail: string) {
    super('AGENT_CONFIG_UNREADABLE', agentConfigUnreadable(file, detail), { file, detail }, 2);
    this.name = 'AgentConfigError';
  }
}
