import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fdWriter } from '../../src/cli/fd-writer.js';
import { cleanEnv, withGitRepo } from '../helpers/git-repo.js';

// `guardloop run` writes to fd 1 and 2 with writeSync (no process.stdout/stderr on a hook's path).
// A FIFO stands in for the pipe in each case: a reader that is open but reads nothing (a full pipe,
// EAGAIN on a non-blocking one), and no reader at all (EPIPE). Both are states, not races.
const dirs: string[] = [];
function fifo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-fd-'));
  dirs.push(dir);
  const path = join(dir, 'pipe');
  const res = spawnSync('mkfifo', [path]);
  if (res.status !== 0) throw new Error(`mkfifo failed: ${res.stderr}`);
  return path;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// What a non-blocking reader of the FIFO holds now (until EAGAIN or end of file).
function drain(fd: number): Buffer {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

function collector(): { stream: NodeJS.WriteStream; bytes: () => Buffer } {
  const got: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      got.push(Buffer.from(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, bytes: () => Buffer.concat(got) };
}

describe('fdWriter: a hook’s output without process.stdout and process.stderr', () => {
  it('hands what a full non-blocking pipe does not take to the real stream, and everything after it, in order', () => {
    const path = fifo();
    const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      const real = collector();
      let made = 0;
      const out = fdWriter(writer, () => {
        made++;
        return real.stream;
      });
      const parts = ['first line\n', `${'é'.repeat(150_000)}\n`, 'after the full pipe\n'];
      for (const p of parts) out.write(p);
      // The pipe took its capacity, the stream the rest: nothing lost, nothing twice, in order.
      const inPipe = drain(reader);
      expect(made).toBe(1);
      expect(inPipe.length).toBeGreaterThan(0);
      expect(real.bytes().length).toBeGreaterThan(0);
      expect(Buffer.concat([inPipe, real.bytes()]).toString('utf8')).toBe(parts.join(''));
    } finally {
      closeSync(writer);
      closeSync(reader);
    }
  });

  it('writes straight to the fd while it takes everything, and never makes the stream', () => {
    const path = fifo();
    const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      let made = 0;
      const out = fdWriter(writer, () => {
        made++;
        return collector().stream;
      });
      out.write('guardloop pre-commit: 1 guard\n');
      out.write(Buffer.from('  ✓ trivial  pass\n'));
      expect(drain(reader).toString('utf8')).toBe('guardloop pre-commit: 1 guard\n  ✓ trivial  pass\n');
      expect(made).toBe(0);
    } finally {
      closeSync(writer);
      closeSync(reader);
    }
  });

  it('drops the output once nobody reads (EPIPE), without throwing or making the stream', () => {
    const path = fifo();
    const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    closeSync(reader);
    try {
      let made = 0;
      const out = fdWriter(writer, () => {
        made++;
        return collector().stream;
      });
      expect(out.write('nobody reads this\n')).toBe(true);
      expect(out.write('nor this\n')).toBe(true);
      expect(made).toBe(0);
    } finally {
      closeSync(writer);
    }
  });
});

describe('a commit whose output nobody reads', () => {
  it('is still refused when a guard fails (EPIPE on stderr is not an exit 0)', async () => {
    await withGitRepo(async (repo) => {
      repo.installHook();
      repo.config('guards:\n  - id: failing\n    run: "echo the check failed; exit 1"\n    invariant: "In this codebase, x must never happen, because it causes y."\n');
      repo.write('a.txt', 'one\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '--no-verify', '-m', 'base');
      const head = repo.git('rev-parse', 'HEAD');
      repo.write('a.txt', 'two\n');
      repo.git('add', 'a.txt');
      // git's stderr (and so the hook's) is a pipe whose reader is gone.
      const path = fifo();
      const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
      closeSync(reader);
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn('git', ['commit', '-m', 'change'], { cwd: repo.dir, env: cleanEnv(), stdio: ['ignore', 'ignore', writer] });
        child.on('close', (c) => resolve(c));
      });
      closeSync(writer);
      expect(code).not.toBe(0);
      expect(repo.git('rev-parse', 'HEAD')).toBe(head);
      // The verdict was recorded all the same: REJECTED, on the staged tree.
      const tree = repo.git('write-tree');
      const notes = repo.git('notes', '--ref=guardloop', 'show', tree);
      expect(notes.split('\n').map((l) => JSON.parse(l).status)).toContain('REJECTED');
    });
  });
});
