import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitEnv } from '../git/git.js';

// Where followed output goes: memory-backed /dev/shm when there is one (outside the repository).
function scratchDir(): string {
  try {
    return mkdtempSync(join('/dev/shm', 'gl-follow-'));
  } catch {
    return mkdtempSync(join(tmpdir(), 'gl-follow-'));
  }
}

// A git command whose output goes to a scratch file and is read back while git is still writing
// it. Through a file git never waits on its reader, and the reader takes what is there in large
// reads (a pipe hands a long output over a few KB at a time: 100,000 notes through one cost more
// than git's own work, `ls-tree` of them 55–115 ms of reads against 20–35 through a file). git
// starts when this is made; close() ends it and removes the file.
export class FollowedOutput {
  private readonly dir: string;
  private readonly fd: number;
  readonly child: ChildProcess;
  // Where the file has been read up to.
  private pos = 0;
  private wake: (() => void) | null = null;
  private closed = false;
  // git's exit code once it has ended (-1: it didn't start, or ended by a signal).
  code: number | null = null;

  constructor(cwd: string, args: string[], input: 'pipe' | 'ignore') {
    this.dir = scratchDir();
    const file = join(this.dir, 'out');
    // git writes through a descriptor of its own, this reads through another (positions apart).
    const out = openSync(file, 'w');
    try {
      this.child = spawn('git', args, { cwd, env: gitEnv(), stdio: [input, out, 'ignore'] });
    } finally {
      closeSync(out);
    }
    this.fd = openSync(file, 'r');
    const ended = (code: number | null) => {
      this.code ??= code ?? -1;
      this.wake?.();
    };
    this.child.on('error', () => ended(-1));
    this.child.on('close', ended);
    this.child.stdin?.on('error', () => {});
  }

  get ended(): boolean {
    return this.code !== null;
  }

  // Reads what git has written since the last read into buf[at, end): the bytes read, 0 when
  // nothing new is there yet (see waitForOutput), or -1 when git has ended and all of it was read.
  read(buf: Buffer, at: number, end: number): number {
    const ended = this.ended;
    const n = readSync(this.fd, buf, at, end - at, this.pos);
    this.pos += n;
    return n || !ended ? n : -1;
  }

  // Until git may have written more (or has ended): a short wait, cut short by its end or by poke().
  waitForOutput(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      setTimeout(resolve, 1);
    }).then(() => {
      this.wake = null;
    });
  }

  // Ends a waitForOutput early (the reader has something else to do: new input for git).
  poke(): void {
    this.wake?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.ended) this.child.kill();
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
