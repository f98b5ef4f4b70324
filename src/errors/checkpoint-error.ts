import { GuardloopError } from './guardloop-error.js';
import { checkpointInvalid } from '../messages/extract.js';

// `extract --checkpoint FILE` can't resume from FILE: it is not a checkpoint (unreadable, not JSON,
// another shape), it belongs to another notes ref, or it names a notes commit git doesn't have.
// Nothing was exported; the message names the fix (a fresh file exports everything once more).
export class CheckpointError extends GuardloopError<{ file: string; problem: 'unreadable' | 'invalid' | 'other-ref' | 'tip-missing'; detail: string }> {
  constructor(file: string, problem: 'unreadable' | 'invalid' | 'other-ref' | 'tip-missing', detail: string) {
    super('CHECKPOINT_INVALID', checkpointInvalid(file, problem, detail), { file, problem, detail }, 2);
    this.name = 'CheckpointError';
  }
}
