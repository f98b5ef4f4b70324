import { GuardloopError } from './guardloop-error.js';
import { syncFailed } from '../messages/store.js';

// `guardloop sync` could not fetch, merge and push ℛ within its tries.
export class SyncFailedError extends GuardloopError<{ remote: string; tries: number; detail: string }> {
  constructor(remote: string, tries: number, detail: string) {
    super('SYNC_FAILED', syncFailed(remote, tries, detail), { remote, tries, detail }, 1);
    this.name = 'SyncFailedError';
  }
}
