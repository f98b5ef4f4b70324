import type { Readable, Writable } from 'node:stream';

// One CLI option, declared as data (the bin turns the table into parseArgs options and help text).
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  description: string;
  // Shown in help as <placeholder> after the option.
  value?: string;
}

export interface CommandContext {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  cwd: string;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

// A subcommand: a declarative option table and a function that calls the library API and
// returns the exit code. Only the bin sets process.exitCode.
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  positionals?: boolean;
  run(ctx: CommandContext): Promise<number>;
}
