import { GuardloopError } from './guardloop-error.js';
import { notARepository } from '../messages/git.js';

// guardloop was started outside a git work tree.
export class NotARepositoryError extends GuardloopError<{ cwd: string }> {
  constructor(cwd: string) {
    super('NOT_A_REPOSITORY', notARepository(cwd), { cwd }, 2);
    this.name = 'NotARepositoryError';
  }
}
