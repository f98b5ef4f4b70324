import { existsSync, readFileSync } from 'node:fs';

// A process's identity beyond its pid (which the system reuses): its start time, on Linux; null when
// it is gone or a zombie (what it owned is abandoned), 'unknown' where /proc can't tell.
export function startToken(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? null : fields[19];
  } catch {
    return existsSync('/proc/self/stat') ? null : 'unknown';
  }
}

// Whether the process that left a file (a lock, a checkout, a scratch index) still runs under `pid`;
// with the start `token` it recorded, a reused pid doesn't count. The one test every sweep uses.
export function processAlive(pid: number, token?: string): boolean {
  const now = startToken(pid);
  if (now === null) return false;
  if (now !== 'unknown') return !token || token === now;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
