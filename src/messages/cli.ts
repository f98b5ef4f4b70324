// Wording of the CLI itself: the help pages, bad options, and an interrupted command.

// `guardloop --help` (and `guardloop` alone): the commands, one line each, and the exit codes.
export function cliHelp(version: string, commands: ReadonlyArray<{ name: string; summary: string }>): string {
  const rows = commands.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`);
  return `guardloop ${version} — guards that commits and coding agents cannot skip\n\nUsage: guardloop <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun \`guardloop <command> --help\` for a command's options.\nExit codes: 0 accepted / done, 1 rejected, 2 usage or config error, 3 ℛ's ref stayed locked (try again, or \`guardloop doctor --unlock\`), 129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM.`;
}

// `guardloop <command> --help`: its usage, summary and option table.
export function commandHelp(cmd: { usage: string; summary: string; options: Record<string, { short?: string; value?: string; description: string }> }): string {
  const opts = Object.entries(cmd.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` <${o.value}>` : ''}`;
    return `  ${flag.padEnd(26)} ${o.description}`;
  });
  return `Usage: ${cmd.usage}\n\n${cmd.summary}\n\nOptions:\n${opts.join('\n')}\n  ${'-h, --help'.padEnd(26)} Show this help`;
}

// `guardloop run --hook` with a hook name guardloop doesn't run (shown inside badUsage).
export function badHook(hooks: readonly string[], got: string): string {
  return `--hook must be one of ${hooks.join(', ')} (got "${got}")`;
}

// A command stopped by a signal (Ctrl-C, SIGTERM, SIGHUP).
export const INTERRUPTED = 'interrupted: the guards were stopped and nothing was recorded; your files, index and untracked work are as they were.';

// Printed for `guardloop` with no command or an unknown one.
export function unknownCommand(name: string, known: string[]): string {
  return `guardloop: unknown command "${name}". Commands: ${known.join(', ')}. Run \`guardloop --help\`.`;
}

// Printed when an option can't be parsed.
export function badUsage(command: string, message: string): string {
  return `guardloop ${command}: ${message}. Run \`guardloop ${command} --help\` for the options.`;
}

// An unexpected failure inside guardloop, with where to report it.
export function internalError(message: string): string {
  return `guardloop: internal error: ${message}\nThis is a bug in guardloop; please report it with the command you ran. Set GUARDLOOP_DEBUG=1 for a stack trace.`;
}

// `guardloop run` was given arguments: only the pre-push hook passes any (git's remote and URL).
export const PRE_PUSH_ARGUMENTS_ONLY = 'run takes arguments only with --hook pre-push (the remote and URL git passes); put options before them, e.g. guardloop run --hook pre-commit';

// An internal error: the hook bundle was started without the launcher that lends it the full bundle.
export function noFullBundle(key: string): string {
  return `guardloop's hook bundle needs ${key} from dist/guardloop.cjs and was started without dist/cli.cjs, which provides it: run guardloop through its bin (node_modules/.bin/guardloop).`;
}
