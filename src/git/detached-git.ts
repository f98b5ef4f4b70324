import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { gitEnv } from './git.js';

// A git command started by this process that outlives it.
export interface DetachedGit {
  // null when git could not be started.
  pid: number | null;
  // Resolves when git ended (or failed to start); waiting for it keeps this process running.
  wait(): Promise<void>;
}

// Runs git for housekeeping that a hook must not wait for: in a session of its own (a Ctrl-C to the
// hook's terminal doesn't reach it), not holding this process open, its input read from a file and
// its output and errors written to files (there is nobody left to read a pipe).
export function startDetachedGit(args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; stdin: string; stdout: string; stderr: string }): DetachedGit {
  const fds = [openSync(opts.stdin, 'r'), openSync(opts.stdout, 'w'), openSync(opts.stderr, 'w')];
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn('git', args, { cwd: opts.cwd, env: gitEnv(opts.env), detached: true, stdio: fds });
  } finally {
    for (const fd of fds) closeSync(fd);
  }
  const exited = new Promise<void>((resolve) => {
    child.on('error', () => resolve());
    child.on('exit', () => resolve());
  });
  child.unref();
  return {
    pid: child.pid ?? null,
    wait: () => {
      child.ref();
      return exited;
    },
  };
}
