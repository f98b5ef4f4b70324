import { appendFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RefLockedError } from '../errors/ref-locked-error.js';
import { processAlive } from './process-alive.js';
import { readRef } from './repo.js';

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
}

const HOLDER = /^guardloop pid=(\d+) host=(\S+)/;

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
  return { path: lockPath, ageMs: Math.max(0, Date.now() - mtime), pid, host, dead: pid !== null && host === hostname() && !processAlive(pid), ino };
}

// Takes away a lock whose guardloop holder died (a commit killed with SIGKILL), so no one has to clear
// it by hand. The lock is renamed aside first (atomic), and deleted only if it is the very file found
// dead (same inode); a lock taken meanwhile by a live writer is put back. Native git's locks carry no
// holder and are never touched.
export function removeDeadLock(holder: LockHolder): boolean {
  if (!holder.dead) return false;
  const aside = `${holder.path}.dead-${process.pid}-${Date.now()}`;
  try {
    renameSync(holder.path, aside);
  } catch {
    return false;
  }
  if (statSync(aside).ino === holder.ino) {
    unlinkSync(aside);
    return true;
  }
  try {
    linkSync(aside, holder.path);
  } catch {
    // The slot was taken again: the live holder's compare-and-swap still guards the ref.
  }
  unlinkSync(aside);
  return false;
}

// What a ref update carries besides the new value: the reflog line guardloop appends itself (files
// backend; null when reflogs are off) and the message git writes into its own (other backends).
export interface RefUpdate {
  reflog: string | null;
  message: string;
}

// A loose ref of the files backend: read from `refs/…` or `packed-refs`, updated under git's lock protocol.
export class RefFile {
  readonly path: string;
  readonly lockPath: string;

  constructor(
    readonly commonDir: string,
    readonly name: string,
    // Where the lock lives: `<ref>.lock` (git's own) unless a backend git manages says otherwise.
    lockPath?: string,
  ) {
    this.path = join(commonDir, name);
    this.lockPath = lockPath ?? `${this.path}.lock`;
  }

  // The object id the ref names, or null when it doesn't exist.
  read(): string | null {
    return readRef(this.commonDir, this.name);
  }

  // Points the ref at `next` if it still names `expected`, with the lock held; false if it moved.
  // The new value goes in through a temp file renamed over the ref while the lock is still held,
  // so the lock keeps naming its holder until the end (a killed holder is always identifiable).
  async swap(next: string, expected: string | null, update: RefUpdate): Promise<boolean> {
    if (this.read() !== expected) return false;
    if (update.reflog) {
      const logPath = join(this.commonDir, 'logs', this.name);
      mkdirSync(dirname(logPath), { recursive: true });
      appendFileSync(logPath, update.reflog);
    }
    const tmpDir = join(this.commonDir, 'guardloop');
    mkdirSync(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `ref-${process.pid}-${Date.now()}.tmp`);
    writeFileSync(tmp, `${next}\n`);
    renameSync(tmp, this.path);
    return true;
  }

  // Takes `<ref>.lock` exclusively (git's protocol, so native git and guardloop exclude each other),
  // retrying with jittered backoff; fails fast on a lock whose guardloop holder died.
  async lock(opts: { timeoutMs: number }): Promise<RefLock> {
    const start = Date.now();
    let delay = 1;
    mkdirSync(dirname(this.lockPath), { recursive: true });
    const tmpDir = join(this.commonDir, 'guardloop');
    mkdirSync(tmpDir, { recursive: true });
    // The lock is born with its holder written in it: the content goes to a temp file that is then
    // hard-linked to `<ref>.lock` (link fails if the lock exists: the same exclusive create git does).
    const tmp = join(tmpDir, `lock-${process.pid}-${Date.now()}.tmp`);
    writeFileSync(tmp, `guardloop pid=${process.pid} host=${hostname()} t=${Date.now()}\n`);
    const ino = statSync(tmp).ino;
    try {
      for (;;) {
        try {
          linkSync(tmp, this.lockPath);
          return new RefLock(this, ino);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const holder = inspectLock(this.lockPath);
        if (holder?.dead && removeDeadLock(holder)) continue;
        // A lock that exists but can't be read (a directory in its place) times out like any other.
        const blocking = holder ?? (existsSync(this.lockPath) ? { path: this.lockPath, pid: null, dead: false, ageMs: 0 } : null);
        if (blocking && Date.now() - start >= opts.timeoutMs) throw new RefLockedError(this.name, blocking, Date.now() - start);
        await sleep(delay + Math.random() * delay);
        delay = Math.min(delay * 2, 8);
      }
    } finally {
      unlinkSync(tmp);
    }
  }
}

// A held `<ref>.lock`: commit swaps the ref and removes the lock, release just removes it.
export class RefLock {
  private done = false;

  constructor(
    readonly ref: RefFile,
    private readonly ino: number,
  ) {}

  // Points the ref at `next`, provided it still names `expected` (compare-and-swap); false if it moved.
  async commit(next: string, expected: string | null, update: RefUpdate): Promise<boolean> {
    // The lock must still be ours (nobody removed it while we held it).
    if (statSync(this.ref.lockPath).ino !== this.ino) throw new Error(`${this.ref.lockPath} was removed while guardloop held it`);
    if (!(await this.ref.swap(next, expected, update))) return false;
    try {
      unlinkSync(this.ref.lockPath);
    } catch {
      // removed by hand meanwhile; the ref is written either way
    }
    this.done = true;
    return true;
  }

  release(): void {
    if (this.done) return;
    this.done = true;
    try {
      unlinkSync(this.ref.lockPath);
    } catch {
      // already gone
    }
  }
}

// Whether a lock can be removed without harming a writer: its guardloop holder died, or nobody
// said who holds it and it is older than any git ref update takes.
export function isStale(holder: LockHolder, unknownAfterMs = 10_000): boolean {
  return holder.dead || (holder.pid === null && holder.ageMs > unknownAfterMs);
}
