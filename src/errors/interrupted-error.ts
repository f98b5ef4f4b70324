import { GuardloopError } from './guardloop-error.js';

// The run was stopped by a signal (Ctrl-C, SIGTERM): guards were killed, nothing was recorded.
export class InterruptedError extends GuardloopError<Record<string, never>> {
  constructor() {
    super('INTERRUPTED', 'interrupted: the guards were stopped and nothing was recorded; your files, index and untracked work are as they were.', {}, 130);
    this.name = 'InterruptedError';
  }
}
