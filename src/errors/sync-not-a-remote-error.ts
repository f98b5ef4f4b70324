import { GuardloopError } from './guardloop-error.js';
import { syncUrlNotRemote } from '../messages/audit.js';

// `guardloop sync <url>` where no configured remote has that URL: nothing was tried (its message names
// the `git push <url> refs/notes/guardloop` and `git remote add` that do what was meant).
export class SyncNotARemoteError extends GuardloopError<{ remote: string }> {
  constructor(remote: string, ref: string) {
    super('SYNC_NOT_A_REMOTE', syncUrlNotRemote(remote, ref), { remote }, 2);
    this.name = 'SyncNotARemoteError';
  }
}
