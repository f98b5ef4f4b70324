import { GuardloopError } from './guardloop-error.js';
import { corruptRef } from '../messages/repair.js';

// A loose ref file holds neither an object id nor a symbolic ref (a damaged repository): names the
// ref, its file and the git commands that inspect and repair it.
export class CorruptRefError extends GuardloopError<{ ref: string; file: string; content: string }> {
  constructor(ref: string, file: string, content: string) {
    super('CORRUPT_REF', corruptRef(ref, file, content), { ref, file, content }, 2);
    this.name = 'CorruptRefError';
  }
}
