import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { GitError } from '../errors/git-error.js';
import { RefLockedError } from '../errors/ref-locked-error.js';
import { gitEnv } from './git.js';
import { inspectLock, isStale, removeDeadLock, removeIfSame } from './lock-holder.js';

// What `git update-ref` says when another process holds the ref's lock (or something sits in its place).
export const GIT_LOCK_HELD = /Unable to create '([^']+\.lock)': File exists/i;

// A ref held under git's own `<ref>.lock` while a change is built on its tip, then moved by git's
// compare-and-swap in the same `git update-ref --stdin` process (the lock is let go and taken again
// within that process, so no other writer fits in between). Native `git notes` writers, which swap
// the ref without checking what it names, fail while it is held instead of dropping the change.
export interface HeldRef {
  // Points the ref at `next` (it still names the tip it was held at); false if git refused.
  // `message` goes into the reflog where the backend lets each update carry its own (in the files
  // backend the held process's message, given when it was started, is used).
  commit(next: string, message: string): Promise<boolean>;
  // Lets the lock go without a change.
  release(): void;
}

// A `git update-ref --stdin` started before it is needed (while guards run), so the write that uses it
// doesn't wait for its start; it takes no lock until it is given `start`, and ends unused, changing
// nothing, when its stdin is closed.
export interface SpareTransaction {
  child: ChildProcess;
  message: string;
}

// Starts a ref transaction process ahead of its use (see SpareTransaction).
export function spareTransaction(cwd: string, message: string): SpareTransaction {
  const child = startTransaction(cwd, message);
  // Until it is used, a failure to start is only noted (the hold then starts another).
  child.on('error', () => {});
  child.stdin?.on('error', () => {});
  return { child, message };
}

// Whether a process started ahead can still take a transaction (it may have died since).
const usable = (c: ChildProcess) => c.pid !== undefined && c.exitCode === null && c.signalCode === null;

function startTransaction(cwd: string, message: string): ChildProcess {
  return spawn('git', ['update-ref', '-m', message, '--stdin'], { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
}

// Holds `ref` at `expected` (null: it doesn't exist), waiting up to `timeoutMs` while another
// process holds its lock (a lock a dead guardloop left is taken away); null when the ref no longer
// names `expected`. `spare`: a process started ahead, used for the first try when its message fits.
export async function holdRef(cwd: string, ref: string, expected: string | null, hexLen: number, opts: { timeoutMs: number; message: string; spare?: SpareTransaction | null }): Promise<HeldRef | null> {
  const old = expected ?? '0'.repeat(hexLen);
  const start = Date.now();
  let delay = 1;
  let spare = opts.spare?.message === opts.message && usable(opts.spare.child) ? opts.spare.child : null;
  if (opts.spare && !spare) opts.spare.child.stdin?.end();
  for (;;) {
    const child = (spare ?? startTransaction(cwd, opts.message)) as ChildProcessWithoutNullStreams;
    spare = null;
    let out = '';
    let err = '';
    child.stdin.on('error', () => {});
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => {
      child.on('error', (e) => {
        err += e.message;
        resolve(null);
      });
      child.on('close', (code) => resolve(code));
    });
    // Resolves when git has said `line` (true) or ended without saying it (false).
    const said = (line: string) =>
      new Promise<boolean>((resolve) => {
        const check = () => out.includes(line) && resolve(true);
        child.stdout.on('data', check);
        check();
        void closed.then(() => resolve(out.includes(line)));
      });
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    const prepared = said('prepare: ok\n');
    child.stdin.write(`start\nverify ${ref} ${old}\nprepare\n`);
    if (await prepared) {
      return {
        async commit(next) {
          child.stdin.end(`abort\nstart\nupdate ${ref} ${next} ${old}\ncommit\n`);
          // The ref is written once git says so (its exit follows by itself).
          if (await said('commit: ok\n')) return true;
          const code = await closed;
          // Lost the lock in between (a writer that ignores it) or the ref moved: build again.
          if (GIT_LOCK_HELD.test(err) || /is at [0-9a-f]+ but expected|reference already exists|unable to resolve reference/i.test(err)) return false;
          throw new GitError(['update-ref', '--stdin', 'update', ref, next, old], code, err);
        },
        release() {
          child.stdin.end();
        },
      };
    }
    const code = await closed;
    const held = GIT_LOCK_HELD.exec(err);
    if (!held) {
      if (/cannot lock ref|is at|expected|unable to resolve reference|reference already exists/i.test(err)) return null;
      throw new GitError(['update-ref', '--stdin'], code, err);
    }
    const holder = inspectLock(held[1]);
    if (holder?.dead && removeDeadLock(holder)) continue;
    // A lock that names no holder and is older than any ref update git makes was left by a git that
    // was killed (a guardloop writer killed with its git child before it could note the lock): taken
    // away, as `guardloop doctor --unlock` would. The caller holds guardloop's writer lock.
    if (holder && isStale(holder) && removeIfSame(holder.path, holder.ino)) continue;
    if (Date.now() - start >= opts.timeoutMs) throw new RefLockedError(ref, holder ?? { path: held[1], pid: null, dead: false, ageMs: 0 }, Date.now() - start);
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 8);
  }
}
