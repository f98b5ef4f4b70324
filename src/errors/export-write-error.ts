import { GuardloopError } from './guardloop-error.js';
import { exportWriteFailed } from '../messages/extract.js';

// `extract -o FILE` or its checkpoint could not be written. `stage` says which: the output (the
// export is abandoned, its temp file removed, FILE and the checkpoint left as they were) or the
// checkpoint after a complete output (the checkpoint stays where it was).
export class ExportWriteError extends GuardloopError<{ file: string; stage: 'output' | 'checkpoint'; detail: string }> {
  constructor(file: string, stage: 'output' | 'checkpoint', detail: string) {
    super('EXPORT_WRITE_FAILED', exportWriteFailed(file, stage, detail), { file, stage, detail }, 2);
    this.name = 'ExportWriteError';
  }
}
