import { GuardloopError } from './guardloop-error.js';
import { INTERRUPTED } from '../messages/cli.js';

// The run was stopped by a signal (Ctrl-C, SIGTERM): guards were killed, nothing was recorded. The
// CLI sets the exit code to 128 + the signal's number (130 SIGINT, 143 SIGTERM, 129 SIGHUP).
export class InterruptedError extends GuardloopError<Record<string, never>> {
  constructor() {
    super('INTERRUPTED', INTERRUPTED, {}, 130);
    this.name = 'InterruptedError';
  }
}
