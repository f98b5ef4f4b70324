import { appendFileSync, linkSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { processAlive } from './process-alive.js';

// Who holds a ref lock, as far as can be told from the lock file.
export interface LockHolder {
  path: string;
  ageMs: number;
  pid: number | null;
  host: string | null;
  // true: the holder is a guardloop process on this host that is no longer running.
  dead: boolean;
  // The lock file's inode, so a stale lock can be taken away without touching a newer one.
  ino: number;
  // The inode of git's own `<ref>.lock` this holder took while moving the ref (noted in its lock file
  // right after git took it): a holder killed with its git child leaves both, and only that one is its.
  gitLockIno?: number;
}

const HOLDER = /^guardloop pid=(\d+) host=(\S+)/;
const GIT_LOCK = /^git-lock ino=(\d+)$/m;

// Describes an existing `<ref>.lock`, or null when there is none.
export function inspectLock(lockPath: string): LockHolder | null {
  let content: string;
  let mtime: number;
  let ino: number;
  try {
    ({ mtimeMs: mtime, ino } = statSync(lockPath));
    content = readFileSync(lockPath, 'utf8');
  } catch {
    return null;
  }
  const m = HOLDER.exec(content);
  const pid = m ? Number(m[1]) : null;
  const host = m ? m[2] : null;
  const git = GIT_LOCK.exec(content);
  return {
    path: lockPath,
    ageMs: Math.max(0, Date.now() - mtime),
    pid,
    host,
    dead: pid !== null && host === hostname() && !processAlive(pid),
    ino,
    ...(git ? { gitLockIno: Number(git[1]) } : {}),
  };
}

// Notes in a held lock file that its holder now also holds git's own lock `gitLockPath` (see
// gitLockIno); a failure only loses the fast recovery (the age rule in isStale still applies).
export function noteGitLock(lockPath: string, gitLockPath: string): void {
  try {
    appendFileSync(lockPath, `git-lock ino=${statSync(gitLockPath).ino}\n`);
  } catch {
    // the lock is gone or unreadable: nothing to note
  }
}

// Removes `path` if it is still the file with inode `ino` (renamed aside first, so a newer lock by the
// same name is put back untouched). Returns whether it removed it.
export function removeIfSame(path: string, ino: number): boolean {
  const aside = `${path}.dead-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch {
    return false;
  }
  if (statSync(aside).ino === ino) {
    unlinkSync(aside);
    return true;
  }
  try {
    linkSync(aside, path);
  } catch {
    // The slot was taken again: the live holder's compare-and-swap still guards the ref.
  }
  unlinkSync(aside);
  return false;
}

// Takes away a lock whose guardloop holder died (a commit killed with SIGKILL), so no one has to clear
// it by hand. The lock is renamed aside first (atomic), and deleted only if it is the very file found
// dead (same inode); a lock taken meanwhile by a live writer is put back. Native git's locks carry no
// holder and are never touched.
export function removeDeadLock(holder: LockHolder): boolean {
  return holder.dead && removeIfSame(holder.path, holder.ino);
}

// Whether a lock can be removed without harming a writer: its guardloop holder died, or nobody
// said who holds it and it is older than any git ref update takes.
export function isStale(holder: LockHolder, unknownAfterMs = 10_000): boolean {
  return holder.dead || (holder.pid === null && holder.ageMs > unknownAfterMs);
}
