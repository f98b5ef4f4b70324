import { GuardloopError } from './guardloop-error.js';
import { corruptObject, type CorruptObjectDetail } from '../messages/repair.js';

// An object guardloop needs is corrupt, missing or of the wrong type (a damaged or unexpected
// repository): names the object and its file and the git commands that inspect and repair it.
export class CorruptObjectError extends GuardloopError<{ [K in keyof CorruptObjectDetail]: CorruptObjectDetail[K] }> {
  constructor(detail: CorruptObjectDetail) {
    super('CORRUPT_OBJECT', corruptObject(detail), { ...detail }, 2);
    this.name = 'CorruptObjectError';
  }
}
