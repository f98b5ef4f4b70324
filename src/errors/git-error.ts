import { GuardloopError } from './guardloop-error.js';
import { gitFailed } from '../messages/git.js';

// A git command failed: carries the argv, exit code and stderr so the cause is visible.
export class GitError extends GuardloopError<{ args: string[]; exitCode: number | null; stderr: string }> {
  constructor(args: string[], exitCode: number | null, stderr: string) {
    super('GIT_FAILED', gitFailed(args, exitCode, stderr), { args, exitCode, stderr }, 2);
    this.name = 'GitError';
  }
}
