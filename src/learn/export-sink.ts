// Where an export's JSONL goes: a file (`-o FILE`: written to FILE.tmp-<pid>, renamed over FILE only
// once complete, so a reader never sees half an export), or a stream (stdout). Lines are gathered
// into chunks, and a slow reader holds the export back (backpressure) rather than filling memory.
import { closeSync, fchmodSync, fsyncSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { ExportWriteError } from '../errors/export-write-error.js';
import { InterruptedError } from '../errors/interrupted-error.js';
import { STDOUT_NAME } from '../messages/extract.js';

// A line sink: write() each JSONL line (with its newline), then finish() (everything written and
// flushed) or abort() (what was begun is thrown away).
export interface LineSink {
  write(line: string): Promise<void>;
  finish(): Promise<void>;
  abort(): void;
}

const CHUNK = 256 * 1024;

// Where `-o FILE` really writes: a symlink's target (the link stays a link), and whether FILE is
// something other than a regular file (a FIFO, /dev/stdout, a device), written directly: a rename
// would replace it.
function outputTarget(file: string): { path: string; direct: boolean } {
  try {
    // Something at the path (through any links): a regular file is replaced by a rename of the
    // temp file beside its real path; anything else is written where it is.
    if (!statSync(file).isFile()) return { path: file, direct: true };
    return { path: realpathSync(file), direct: false };
  } catch {
    // Nothing there yet; a link to nothing yet: the file is made at the link's target.
    try {
      if (lstatSync(file).isSymbolicLink()) return { path: resolve(dirname(file), readlinkSync(file)), direct: false };
    } catch {
      // no link either: the file is made at the path
    }
    return { path: file, direct: false };
  }
}

// Whether `-o FILE` is written through a temp file (a regular file, or nothing yet, at the path):
// the one output an interrupted export has to clean up.
export function writesThroughTemp(file: string): boolean {
  return !outputTarget(file).direct;
}

// A sink into `file`, through a temp file beside it (beside a symlink's target); a FIFO or device
// at `file` is written directly.
export function fileSink(file: string): LineSink {
  const target = outputTarget(file);
  const tmp = target.direct ? null : `${target.path}.tmp-${process.pid}`;
  let fd: number;
  try {
    // A file being replaced keeps its permission bits (a 0600 export stays private); the temp file
    // is made new ('wx': never an existing file or a link someone put at its name).
    const existing = tmp ? statSync(target.path, { throwIfNoEntry: false }) : undefined;
    fd = tmp ? openSync(tmp, 'wx') : openSync(target.path, 'w');
    if (existing) fchmodSync(fd, existing.mode & 0o777);
  } catch (e) {
    throw new ExportWriteError(file, 'output', (e as Error).message);
  }
  let open = true;
  let buf = '';
  const flush = () => {
    if (!buf) return;
    const b = Buffer.from(buf, 'utf8');
    buf = '';
    let at = 0;
    while (at < b.length) at += writeSync(fd, b, at);
  };
  const failed = (e: unknown) => {
    abort();
    return new ExportWriteError(file, 'output', (e as Error).message);
  };
  const abort = () => {
    if (open) {
      open = false;
      try {
        closeSync(fd);
      } catch {
        // already unusable: the temp file is removed all the same
      }
    }
    if (tmp) rmSync(tmp, { force: true });
  };
  return {
    async write(line) {
      buf += line;
      if (buf.length < CHUNK) return;
      try {
        flush();
      } catch (e) {
        throw failed(e);
      }
    },
    async finish() {
      try {
        flush();
        if (tmp) fsyncSync(fd);
        closeSync(fd);
        open = false;
        if (tmp) renameSync(tmp, target.path);
      } catch (e) {
        throw failed(e);
      }
    },
    abort,
  };
}

// A sink into a stream the caller owns (left open). finish() resolves once the stream has taken
// the last chunk: a checkpoint written after it never runs ahead of the output. A write the stream
// fails (ENOSPC on `> /dev/full`, EIO) is an ExportWriteError; `signal` ends a wait for a reader
// that stopped reading (an InterruptedError).
export function streamSink(stream: Writable, signal: AbortSignal | null = null): LineSink {
  let buf = '';
  let failure: Error | null = null;
  const failed = (e: Error) => new ExportWriteError(STDOUT_NAME, 'output', e.message);
  const onError = (e: Error) => {
    failure ??= e;
  };
  stream.on('error', onError);
  // Resolves once the stream took `data` (the write's callback) and, unless `last`, wants more (its
  // 'drain' when its buffer was full).
  const push = (data: string, last: boolean) =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failed(failure));
      if (signal?.aborted) return reject(new InterruptedError());
      const settle = (e: Error | null) => {
        stream.off('drain', drained);
        signal?.removeEventListener('abort', stop);
        if (e) reject(e);
        else resolve();
      };
      const stop = () => settle(new InterruptedError());
      const drained = () => settle(null);
      signal?.addEventListener('abort', stop, { once: true });
      let more = true;
      try {
        more = stream.write(data, (e) => {
          if (e || failure) {
            onError(e ?? failure!);
            settle(failed(e ?? failure!));
          } else if (last || more) settle(null);
        });
      } catch (e) {
        settle(failed(e as Error));
        return;
      }
      if (!last && !more) stream.once('drain', drained);
    });
  return {
    async write(line) {
      buf += line;
      if (buf.length < CHUNK) return;
      const data = buf;
      buf = '';
      await push(data, false);
    },
    async finish() {
      const data = buf;
      buf = '';
      await push(data, true);
      stream.off('error', onError);
    },
    abort() {
      // A failed stream may still emit its error: the listener stays to take it.
      if (!failure) stream.off('error', onError);
    },
  };
}
