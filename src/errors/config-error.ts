import type { Diagnostic } from '../config/diagnostic.js';
import { formatDiagnostics } from '../messages/config.js';
import { GuardloopError } from './guardloop-error.js';

// The config can't be used: carries every problem found (positioned, with fixes); the CLI exits 2.
export class ConfigError extends GuardloopError<{ errors: Diagnostic[] }> {
  constructor(errors: Diagnostic[]) {
    super('CONFIG_INVALID', formatDiagnostics(errors), { errors }, 2);
    this.name = 'ConfigError';
  }
}
