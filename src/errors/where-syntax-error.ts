import { GuardloopError } from './guardloop-error.js';
import { whereInvalid } from '../messages/where.js';

// `--where EXPR` is malformed: a usage error (exit 2) whose message shows the expression with a caret
// under `column` (1-based), what was expected there, and a valid expression to run instead.
export class WhereSyntaxError extends GuardloopError<{ expr: string; column: number; expected: string }> {
  constructor(expr: string, column: number, expected: string, got?: string | null, corrected?: { word: string; expr: string }) {
    super('WHERE_INVALID', whereInvalid(expr, column, expected, got, corrected), { expr, column, expected }, 2);
    this.name = 'WhereSyntaxError';
  }
}
