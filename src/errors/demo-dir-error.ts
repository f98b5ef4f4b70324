import { GuardloopError } from './guardloop-error.js';
import { demoDirNotAFolder, demoDirNotEmpty, demoDirUnwritable } from '../messages/demo.js';

// `guardloop demo --dir DIR` where DIR holds files or is not a folder: the demo writes only into a
// new or empty folder, and nothing was written. `problem` says which.
export class DemoDirError extends GuardloopError<{ dir: string; problem: 'not-empty' | 'not-a-folder' | 'unwritable' }> {
  constructor(dir: string, problem: 'not-empty' | 'not-a-folder' | 'unwritable', detail = '') {
    const text = problem === 'not-empty' ? demoDirNotEmpty(dir) : problem === 'not-a-folder' ? demoDirNotAFolder(dir) : demoDirUnwritable(dir, detail);
    super('DEMO_DIR_UNUSABLE', text, { dir, problem }, 2);
    this.name = 'DemoDirError';
  }
}
