// Wording of git failures and of guardloop run outside a repository.

// A git command guardloop ran failed: git's own last lines say why (and usually what to do).
export function gitFailed(args: readonly string[], exitCode: number | null, stderr: string): string {
  return `git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
}

// guardloop was started outside a git work tree.
export function notARepository(cwd: string): string {
  return `${cwd} is not inside a git repository. Run guardloop from your project, or create one with \`git init\`.`;
}

// git itself could not be started (the spawn failed): the likely fix first.
export function gitNotStarted(reason: string): string {
  return `${reason} (is git installed and in PATH?)`;
}

// Appended to a record's diff where it was cut at the size limit (the record keeps the head).
export function diffCut(limit: number, total: number): string {
  return `\n[guardloop: diff cut at ${limit} of ${total} bytes]\n`;
}
