import { GuardloopError } from './guardloop-error.js';
import { invalidStatsSince } from '../messages/stats.js';

// `stats --since` or `report --since` is no ISO date, date-time or duration: a usage error before
// ℛ is read. Exit 2.
export class SinceError extends GuardloopError<{ option: string; value: string }> {
  constructor(value: string) {
    super('SINCE_INVALID', invalidStatsSince(value), { option: '--since', value }, 2);
    this.name = 'SinceError';
  }
}
