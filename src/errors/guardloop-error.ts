// The base of every error guardloop throws on purpose: a stable `code` and structured `data`
// so that agents and scripts can parse a failure instead of reading prose.
export class GuardloopError<D extends Record<string, unknown> = Record<string, unknown>> extends Error {
  readonly code: string;
  readonly data: D;
  // Exit code the CLI uses when this error ends a command.
  readonly exitCode: number;
  constructor(code: string, message: string, data: D, exitCode = 2) {
    super(message);
    this.name = 'GuardloopError';
    this.code = code;
    this.data = data;
    this.exitCode = exitCode;
  }
  toJSON() {
    return { name: this.name, code: this.code, message: this.message, data: this.data };
  }
}
