import { GuardloopError } from './guardloop-error.js';

// guardloop was started outside a git work tree.
export class NotARepositoryError extends GuardloopError<{ cwd: string }> {
  constructor(cwd: string) {
    super('NOT_A_REPOSITORY', `${cwd} is not inside a git repository. Run guardloop from your project, or create one with \`git init\`.`, { cwd });
    this.name = 'NotARepositoryError';
  }
}
