import { GuardloopError } from './guardloop-error.js';
import { treeMissing } from '../messages/learn.js';

// `--artifact files` needs a record's tree and git no longer has it: names the tree, the record
// (when known) and the fix (export the diff the record holds).
export class TreeMissingError extends GuardloopError<{ tree: string; record: string | null }> {
  constructor(tree: string, record: string | null = null) {
    super('TREE_MISSING', treeMissing(tree, record), { tree, record }, 1);
    this.name = 'TreeMissingError';
  }
}
