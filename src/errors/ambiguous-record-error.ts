import { GuardloopError } from './guardloop-error.js';
import { ambiguousRecord } from '../messages/store.js';

// A record id prefix given to `show` matches more than one record.
export class AmbiguousRecordError extends GuardloopError<{ ref: string; ids: string[] }> {
  constructor(ref: string, ids: string[]) {
    super('AMBIGUOUS_RECORD', ambiguousRecord(ref, ids), { ref, ids }, 2);
    this.name = 'AmbiguousRecordError';
  }
}
