import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GitError } from '../errors/git-error.js';
import { RefLockedError } from '../errors/ref-locked-error.js';
import { gitEnv, gitRaw } from './git.js';
import { inspectLock, noteGitLock, removeDeadLock, removeIfSame } from './lock-holder.js';
import { GIT_LOCK_HELD, holdRef, spareTransaction, type HeldRef, type SpareTransaction } from './ref-transaction.js';
import { readRef, type RefStorage } from './repo.js';

// What a ref update carries besides the new value: the message git writes into the reflog.
export interface RefUpdate {
  message: string;
  // How long git's own `<ref>.lock` (a native writer's, or an older guardloop's) may block the swap.
  timeoutMs: number;
}

function runGit(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8' });
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? String(res.error ?? '') };
}

// A ref ℛ writes. guardloop's writers exclude each other with a lock file of their own, under
// `.git/guardloop/locks/` (the holder protocol: a dead holder's lock is taken over, `doctor
// --unlock`), and the ref moves only by git's own compare-and-swap: held under git's lock while a
// change is built (files backend, see holdRef), or `git update-ref <ref> <new> <old>` (reftable);
// git writes the reflog as the repository's settings say. Reads: in-process for the files backend
// (loose or packed-refs), `git rev-parse` otherwise.
export class RefFile {
  readonly lockPath: string;
  // git's own lock for this ref in the files backend (held by git while it moves the ref; older
  // guardloop versions held it as their writer lock).
  readonly gitLockPath: string;

  constructor(
    readonly commonDir: string,
    readonly name: string,
    private readonly storage: RefStorage,
    private readonly cwd: string,
    private readonly hexLen: number,
  ) {
    this.lockPath = join(commonDir, 'guardloop', 'locks', `${name}.lock`);
    this.gitLockPath = join(commonDir, `${name}.lock`);
  }

  // The object id the ref names, or null when it doesn't exist (a garbled ref: CorruptRefError).
  read(): string | null {
    if (this.storage === 'files') return readRef(this.commonDir, this.name);
    const res = runGit(this.cwd, ['rev-parse', '--verify', '-q', '--end-of-options', this.name]);
    if (res.status === 1) return null;
    const oid = res.stdout.trim();
    if (res.status !== 0 || !/^[0-9a-f]{40,64}$/.test(oid)) throw new GitError(['rev-parse', '--verify', '-q', this.name], res.status, res.stderr);
    return oid;
  }

  // Points the ref at `next` if it still names `expected` (git's compare-and-swap); false if it
  // moved. While git's own lock on the ref is held by someone else the swap is retried until
  // `timeoutMs`; a lock an older guardloop left when it died is taken away.
  // A transaction process started ahead for a later hold() (files backend only; null elsewhere).
  spare(message: string): SpareTransaction | null {
    return this.storage === 'files' ? spareTransaction(this.cwd, message) : null;
  }

  async swap(next: string, expected: string | null, update: RefUpdate): Promise<boolean> {
    const args = ['update-ref', '-m', update.message, '--end-of-options', this.name, next, expected ?? '0'.repeat(this.hexLen)];
    const start = Date.now();
    let delay = 1;
    for (;;) {
      const res = await gitRaw(args, { cwd: this.cwd, okCodes: [1, 128] });
      if (res.code === 0) return true;
      const held = GIT_LOCK_HELD.exec(res.stderr);
      if (!held) {
        // Refused because the ref no longer names `expected` (a writer that ignores our lock): rebuild on it.
        if (this.read() !== expected) return false;
        throw new GitError(args, res.code, res.stderr);
      }
      const path = held[1] ?? this.gitLockPath;
      const holder = inspectLock(path);
      if (holder?.dead && removeDeadLock(holder)) continue;
      if (Date.now() - start >= update.timeoutMs) throw new RefLockedError(this.name, holder ?? { path, pid: null, dead: false, ageMs: 0 }, Date.now() - start);
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 8);
    }
  }

  // Holds the ref at `expected` while a change is built on it: under git's own lock in the files
  // backend (native writers wait or fail instead of dropping the change); elsewhere (reftable,
  // where git's lock covers every ref) the change is swapped in by compare-and-swap alone. Null
  // when the ref no longer names `expected`.
  async hold(expected: string | null, opts: { timeoutMs: number; message: string; spare?: SpareTransaction | null }): Promise<HeldRef | null> {
    if (this.storage === 'files') {
      const held = await holdRef(this.cwd, this.name, expected, this.hexLen, opts);
      if (held) noteGitLock(this.lockPath, this.gitLockPath);
      return held;
    }
    opts.spare?.child.stdin?.end();
    return { commit: (next, message) => this.swap(next, expected, { ...opts, message }), release: () => {} };
  }

  // Takes guardloop's writer lock exclusively, retrying with jittered backoff; a lock whose
  // guardloop holder died is taken away at once, one held by the same holder for `timeoutMs` is a
  // RefLockedError.
  async lock(opts: { timeoutMs: number }): Promise<RefLock> {
    const start = Date.now();
    let since = start;
    let lastHolder: string | null = null;
    let delay = 1;
    mkdirSync(dirname(this.lockPath), { recursive: true });
    const tmpDir = join(this.commonDir, 'guardloop');
    mkdirSync(tmpDir, { recursive: true });
    // The lock is born with its holder written in it: the content goes to a temp file that is then
    // hard-linked to the lock (link fails if the lock exists: an exclusive create).
    const tmp = join(tmpDir, `lock-${process.pid}-${Date.now()}.tmp`);
    // wording-ok: the lock file's holder line (read back by inspectLock), not a message
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
        if (holder?.dead && removeDeadLock(holder)) {
          // Killed while git held the ref for it: the git lock it noted is its too (a native writer's
          // lock taken since has another inode and stays).
          if (holder.gitLockIno !== undefined) removeIfSame(this.gitLockPath, holder.gitLockIno);
          continue;
        }
        // The wait counts from when the current holder took the lock: writers taking turns are
        // progress (however many queue), one holder keeping it past the timeout is a stuck lock.
        if (holder && `${holder.ino}:${holder.pid}` !== lastHolder) {
          lastHolder = `${holder.ino}:${holder.pid}`;
          since = Date.now();
        }
        // A lock that exists but can't be read (a directory in its place) times out like any other.
        const blocking = holder ?? (existsSync(this.lockPath) ? { path: this.lockPath, pid: null, dead: false, ageMs: 0 } : null);
        if (blocking && Date.now() - since >= opts.timeoutMs) throw new RefLockedError(this.name, blocking, Date.now() - start);
        await sleep(delay + Math.random() * delay);
        delay = Math.min(delay * 2, 8);
      }
    } finally {
      unlinkSync(tmp);
    }
  }
}

// A held writer lock (release removes it).
export class RefLock {
  private done = false;

  constructor(
    readonly ref: RefFile,
    // The lock file's inode when taken (what a dead-holder takeover compares).
    readonly ino: number,
  ) {}

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


// The lock-holder helpers, where callers of ref-lock.ts look for them.
export { inspectLock, isStale, removeDeadLock, type LockHolder } from './lock-holder.js';
