import { GuardloopError } from './guardloop-error.js';

// `--policy` named no policy, or a policy's option is missing or malformed (`recent` without
// `--since`, a `--min-retry` below 1): a usage error (exit 2). `option` names the option at fault
// (null: the policy name itself); `known` lists the policies.
export class PolicyError extends GuardloopError<{ policy: string; option: '--since' | '--min-retry' | null; known: readonly string[] }> {
  constructor(message: string, policy: string, option: '--since' | '--min-retry' | null, known: readonly string[]) {
    super('POLICY_INVALID', message, { policy, option, known }, 2);
    this.name = 'PolicyError';
  }
}
