import { GuardloopError } from './guardloop-error.js';
import { recordNotFound } from '../messages/store.js';

// `show` was given something that is neither a record id (prefix) nor a revision.
export class RecordNotFoundError extends GuardloopError<{ ref: string }> {
  constructor(ref: string) {
    super('RECORD_NOT_FOUND', recordNotFound(ref), { ref }, 1);
    this.name = 'RecordNotFoundError';
  }
}
