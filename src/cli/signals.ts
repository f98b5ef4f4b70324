import { readFileSync } from 'node:fs';
import { InterruptedError } from '../errors/interrupted-error.js';
import { processAlive, startToken } from '../git/process-alive.js';

const EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

// The nearest ancestor process named `name` with its start time (Linux /proc), or null.
function ancestorNamed(name: string): { pid: number; token: string } | null {
  let pid = process.ppid;
  for (let depth = 0; pid > 1 && depth < 8; depth++) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const token = startToken(pid);
      if (comm === name && token && token !== 'unknown') return { pid, token };
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return null;
    }
  }
  return null;
}

// Turns SIGINT/SIGTERM/SIGHUP into an abort of the running work, so guards are killed and
// temporary files removed before the process exits with 128+signal. `watchGit`: a git hook's run
// also stops when the `git` that started it is gone (a Ctrl-C that reached git but not us: a shell
// between us holds the signal while it waits), exiting as on SIGHUP.
export async function withSignals<T>(work: (signal: AbortSignal) => Promise<T>, opts: { watchGit?: boolean } = {}): Promise<T> {
  const controller = new AbortController();
  let received: string | null = null;
  const handler = (sig: NodeJS.Signals) => {
    received ??= sig;
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, handler);
  const git = opts.watchGit ? ancestorNamed('git') : null;
  const watch = git ? setInterval(() => processAlive(git.pid, git.token) || handler('SIGHUP'), 200) : null;
  watch?.unref();
  try {
    const result = await work(controller.signal);
    if (received) throw new InterruptedError();
    return result;
  } catch (e) {
    if (received && e instanceof InterruptedError) Object.assign(e, { exitCode: EXIT[received] ?? 130 });
    throw e;
  } finally {
    if (watch) clearInterval(watch);
    for (const s of signals) process.off(s, handler);
  }
}
