import { GuardloopError } from './guardloop-error.js';
import { reportWriteFailed } from '../messages/report.js';

// `report -o FILE` could not be written (a missing or read-only directory, a full disk): the temp
// file is removed and FILE left as it was. Exit 2.
export class ReportWriteError extends GuardloopError<{ file: string; detail: string }> {
  constructor(file: string, detail: string) {
    super('REPORT_WRITE_FAILED', reportWriteFailed(file, detail), { file, detail }, 2);
    this.name = 'ReportWriteError';
  }
}
