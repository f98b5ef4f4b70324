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
  // The same error as this bundle's class: a GuardloopError thrown by the other bundle of the CLI
  // (src/cli/bundle-bridge.ts), recognised by its shape; anything else is returned as it is.
  static adopt(e: unknown): unknown {
    if (!(e instanceof Error) || e instanceof GuardloopError) return e;
    const f = e as Error & { code?: unknown; data?: unknown; exitCode?: unknown };
    if (typeof f.code !== 'string' || typeof f.data !== 'object' || f.data === null || typeof f.exitCode !== 'number') return e;
    const same = new GuardloopError(f.code, f.message, f.data as Record<string, unknown>, f.exitCode);
    same.name = f.name;
    same.stack = f.stack;
    return same;
  }
  toJSON() {
    return { name: this.name, code: this.code, message: this.message, data: this.data };
  }
}
