import { GuardloopError } from './guardloop-error.js';
import { badPayload } from '../messages/agents.js';

// The hook's stdin held no usable JSON payload (empty, not JSON, wrong field types).
export class HookPayloadError extends GuardloopError<{ detail: string }> {
  constructor(detail: string) {
    super('HOOK_PAYLOAD_INVALID', badPayload(detail), { detail }, 2);
    this.name = 'HookPayloadError';
  }
}
