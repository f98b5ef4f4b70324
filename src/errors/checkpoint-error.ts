import { GuardloopError } from './guardloop-error.js';
import type { ExtractSelection } from '../learn/extract-selection.js';
import { checkpointInvalid, checkpointSelectionMismatch, type CheckpointProblem } from '../messages/extract.js';

// `extract --checkpoint FILE` can't resume from FILE: it is not a checkpoint (unreadable, not JSON,
// another shape), it belongs to another notes ref, it names a notes commit git doesn't have, or it
// was written for another selection (`selections`: the one it was written for, and this export's).
// Nothing was exported; the message names the fix (a fresh file exports everything once more).
export class CheckpointError extends GuardloopError<{ file: string; problem: CheckpointProblem; detail: string; written?: ExtractSelection; asked?: ExtractSelection }> {
  constructor(file: string, problem: CheckpointProblem, detail: string, selections?: { written: ExtractSelection; asked: ExtractSelection }) {
    super('CHECKPOINT_INVALID', selections ? checkpointSelectionMismatch(file, selections.written, selections.asked) : checkpointInvalid(file, problem, detail), { file, problem, detail, ...selections }, 2);
    this.name = 'CheckpointError';
  }
}
