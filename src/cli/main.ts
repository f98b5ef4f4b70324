import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GuardloopError } from '../errors/guardloop-error.js';
import { badUsage, internalError, unknownCommand } from '../messages/cli.js';
import { cliHelp, commandHelp } from '../messages/cli.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import { endQuietlyOnEpipe, fdWriter } from './fd-writer.js';

// Parses argv against the command's option table, runs it, and returns the exit code.
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // `run` (every git hook and agent hook) writes through fdWriter; every other command through the
  // streams, made here with their EPIPE rule.
  if (name !== 'run') for (const stream of [process.stdout, process.stderr]) endQuietlyOnEpipe(stream);
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
    stdout: name === 'run' ? fdWriter(1) : process.stdout,
    stderr: name === 'run' ? fdWriter(2) : process.stderr,
    env: process.env,
  });
}

// Runs the CLI on `argv` in this process and sets its exit code; the bundles' entries export it and
// the bin (src/cli/launcher.cjs) calls it.
export function start(argv: string[]): void {
  // Made when an error is to be told: the same writer `run` used, the stream for the others.
  const stderr = { write: (text: string) => (argv[0] === 'run' ? fdWriter(2) : process.stderr).write(text) };
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (e instanceof GuardloopError) {
        stderr.write(`${e.message}\n`);
        if (process.env.GUARDLOOP_JSON_ERRORS === '1') stderr.write(`${JSON.stringify(e)}\n`);
        process.exitCode = e.exitCode;
        return;
      }
      stderr.write(`${internalError((e as Error)?.message ?? String(e))}\n`);
      if (process.env.GUARDLOOP_DEBUG) stderr.write(`${(e as Error)?.stack}\n`);
      process.exitCode = 2;
    },
  );
}
