import { GuardloopError } from './guardloop-error.js';

// A git command failed: carries the argv, exit code and stderr so the cause is visible.
export class GitError extends GuardloopError<{ args: string[]; exitCode: number | null; stderr: string }> {
  constructor(args: string[], exitCode: number | null, stderr: string) {
    super('GIT_FAILED', `git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`, { args, exitCode, stderr });
    this.name = 'GitError';
  }
}
