import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GuardloopError } from '../errors/guardloop-error.js';
import { badUsage, internalError, unknownCommand } from '../messages/cli.js';
import { cliHelp, commandHelp } from '../messages/cli.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';

// Parses argv against the command's option table, runs it, and returns the exit code.
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${cliHelp(VERSION, Object.entries(COMMANDS).map(([n, c]) => ({ name: n, summary: c.summary })))}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`${unknownCommand(name, Object.keys(COMMANDS))}\n`);
    return 2;
  }
  const cmd = await entry.load();
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const [key, o] of Object.entries(cmd.options)) options[key] = { type: o.type, multiple: Boolean(o.multiple), ...(o.short ? { short: o.short } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: Boolean(cmd.positionals), strict: true, allowNegative: true } as ParseArgsConfig);
  } catch (e) {
    process.stderr.write(`${badUsage(name, (e as Error).message)}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${commandHelp(cmd)}\n`);
    return 0;
  }
  return cmd.run({
    values: parsed.values as Record<string, string | boolean | string[] | undefined>,
    positionals: parsed.positionals,
    cwd: process.cwd(),
    // Made on first use: process.stdin builds a stream (a file, pipe or terminal reader) that a
    // commit hook never reads.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}

// Runs the CLI on `argv` in this process and sets its exit code; the bundles' entries export it and
// the bin (src/cli/launcher.cjs) calls it.
export function start(argv: string[]): void {
  // A reader that stops early (`guardloop audit | head -1`) closes the pipe: that ends the command
  // quietly, as it does for git, instead of as an unhandled EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      // A command that writes through a listener of its own (extract's output sink) turns the
      // failure into its error; with none, it is not to be lost.
      if (stream.listenerCount('error') > 1) return;
      throw e;
    });
  }

  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (e instanceof GuardloopError) {
        process.stderr.write(`${e.message}\n`);
        if (process.env.GUARDLOOP_JSON_ERRORS === '1') process.stderr.write(`${JSON.stringify(e)}\n`);
        process.exitCode = e.exitCode;
        return;
      }
      process.stderr.write(`${internalError((e as Error)?.message ?? String(e))}\n`);
      if (process.env.GUARDLOOP_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
      process.exitCode = 2;
    },
  );
}
