import { GuardloopError } from './guardloop-error.js';

// `extract` was asked for something it can't do (an unknown format or artifact, --turns without
// --format messages, a bad --since or --redact pattern, an option its policy doesn't take): a usage
// error, exit 2. `option` names the option at fault; the message (from src/messages/extract.ts) its fix.
export class ExtractUsageError extends GuardloopError<{ option: string; value: string | null }> {
  constructor(message: string, option: string, value: string | null) {
    super('EXTRACT_USAGE', message, { option, value }, 2);
    this.name = 'ExtractUsageError';
  }
}
