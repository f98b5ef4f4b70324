// Where an export's JSONL goes: a file (`-o FILE`: written to FILE.tmp-<pid>, renamed over FILE only
// once complete, so a reader never sees half an export), or a stream (stdout). Lines are gathered
// into chunks, and a slow reader holds the export back (backpressure) rather than filling memory.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { ExportWriteError } from '../errors/export-write-error.js';

// A line sink: write() each JSONL line (with its newline), then finish() (everything written and
// flushed) or abort() (what was begun is thrown away).
export interface LineSink {
  write(line: string): Promise<void>;
  finish(): Promise<void>;
  abort(): void;
}

const CHUNK = 256 * 1024;

// A sink into `file`, through a temp file beside it.
export function fileSink(file: string): LineSink {
  const tmp = `${file}.tmp-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
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
    rmSync(tmp, { force: true });
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
        fsyncSync(fd);
        closeSync(fd);
        open = false;
        renameSync(tmp, file);
      } catch (e) {
        throw failed(e);
      }
    },
    abort,
  };
}

// A sink into a stream the caller owns (left open). finish() resolves once the stream has taken
// the last chunk: a checkpoint written after it never runs ahead of the output.
export function streamSink(stream: Writable): LineSink {
  let buf = '';
  let failure: Error | null = null;
  const onError = (e: Error) => {
    failure ??= e;
  };
  stream.on('error', onError);
  // Resolves once the stream took `data` and wants more (its 'drain' when its buffer was full).
  const push = (data: string) =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      const more = stream.write(data, (e) => {
        if (e) {
          onError(e);
          reject(e);
        } else if (more) resolve();
      });
      if (!more) stream.once('drain', resolve);
    });
  return {
    async write(line) {
      buf += line;
      if (buf.length < CHUNK) return;
      const data = buf;
      buf = '';
      await push(data);
    },
    async finish() {
      const data = buf;
      buf = '';
      // The last write's callback: the stream has handed everything on.
      await new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        stream.write(data, (e) => (e || failure ? reject(e ?? failure) : resolve()));
      });
      stream.off('error', onError);
    },
    abort() {
      stream.off('error', onError);
    },
  };
}
