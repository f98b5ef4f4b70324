import { GuardloopError } from './guardloop-error.js';
import { readFailed } from '../messages/store.js';

// Reading ℛ failed for a reason that is neither a damaged repository nor a git failure (those have
// their own errors): every read of the store ends in a typed error, so callers that go on without ℛ
// (the engine) can tell it from their own failures.
export class StoreReadError extends GuardloopError<{ ref: string; operation: string; detail: string }> {
  constructor(ref: string, operation: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('STORE_READ_FAILED', readFailed(ref, operation, detail), { ref, operation, detail }, 2);
    this.name = 'StoreReadError';
    this.cause = cause;
  }
}
