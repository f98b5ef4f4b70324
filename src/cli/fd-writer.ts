import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

// The CLI's rule for a reader that stops early (`guardloop audit | head -1` closes the pipe): the
// command ends quietly, as git does, instead of with an unhandled EPIPE.
export function endQuietlyOnEpipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    // A command that writes through a listener of its own (extract's output sink) turns the failure
    // into its error; with none, it is not to be lost.
    if (stream.listenerCount('error') > 1) return;
    throw e;
  });
}

// fd 1 or 2 for `guardloop run`, which writes a few lines per hook: each write goes to the fd at once
// with writeSync, so a hook never builds process.stdout or process.stderr (a stream, and for a pipe or
// a terminal the net or tty module: 1.3–2.6 ms of every start, measured with hyperfine). A write the fd
// doesn't take (EAGAIN from a non-blocking pipe that is full, or any error but EPIPE) goes to the real
// stream, and so does everything after it, in order. EPIPE (nobody reads any more) drops the output
// and nothing else: the run goes on and its exit code is still the verdict, so `git commit 2>&1 | head`
// can't turn a failing guard into an exit 0 (the streams' rule, `endQuietlyOnEpipe`, would).
export function fdWriter(fd: number, realStream: () => NodeJS.WriteStream = () => (fd === 1 ? process.stdout : process.stderr)): Writable {
  let stream: NodeJS.WriteStream | null = null;
  let closed = false;
  const real = (): NodeJS.WriteStream => {
    if (!stream) {
      stream = realStream();
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
      });
    }
    return stream;
  };
  const write = (chunk: string | Uint8Array): boolean => {
    if (closed) return true;
    if (stream) return stream.write(chunk);
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') {
        closed = true;
        return true;
      }
      return real().write(bytes.subarray(done));
    }
  };
  // Only write() is used on this path (src/cli/commands/run.ts, src/cli/agent-hook.ts); anything
  // else a caller asks of it is the real stream's.
  return new Proxy({ write } as unknown as Writable, {
    get: (target, key) => (key === 'write' ? write : Reflect.get(real(), key)),
  });
}
