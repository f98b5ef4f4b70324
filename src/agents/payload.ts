import type { Readable } from 'node:stream';
import { HookPayloadError } from '../errors/hook-payload-error.js';
import { payloadSchema, type Payload } from './types.js';
import { EMPTY_STDIN, PAYLOAD_NOT_AN_OBJECT, payloadFieldInvalid, payloadNotJson } from '../messages/agents.js';

// Bounds on reading a hook's stdin: agents write one JSON object and close the pipe, but a hook must
// never hang on a pipe left open or a terminal.
export interface StdinBounds {
  timeoutMs: number;
  maxBytes: number;
}

// 3 s and 16 MiB: far above a real payload, far below any agent's hook timeout.
export const DEFAULT_STDIN_BOUNDS: StdinBounds = { timeoutMs: 3000, maxBytes: 16 * 1024 * 1024 };

function completeJson(text: string): boolean {
  const t = text.trim();
  if (!t.endsWith('}')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

// Reads stdin until EOF, a complete JSON object, the size cap or the timeout, whichever comes first;
// a terminal is not read at all. Never rejects.
export function readStdin(stream: Readable & { isTTY?: boolean }, bounds: StdinBounds = DEFAULT_STDIN_BOUNDS): Promise<string> {
  if (stream.isTTY) return Promise.resolve('');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', finish);
      stream.off('error', finish);
      stream.pause();
      // Let the process exit even when the writer keeps the pipe open.
      if (!stream.readableEnded) stream.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (b: Buffer | string) => {
      const buf = typeof b === 'string' ? Buffer.from(b) : b;
      chunks.push(buf);
      size += buf.length;
      // Only a chunk ending in "}" can complete the object: the pipe may stay open after it.
      const endsObject = buf.toString('utf8', Math.max(0, buf.length - 8)).trimEnd().endsWith('}');
      if (size >= bounds.maxBytes || (endsObject && completeJson(Buffer.concat(chunks).toString('utf8')))) finish();
    };
    const timer = setTimeout(finish, bounds.timeoutMs);
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('error', finish);
    stream.resume();
  });
}

// Parses a hook payload; throws HookPayloadError saying what is wrong with it.
export function parsePayload(text: string): Payload {
  if (!text.trim()) throw new HookPayloadError(EMPTY_STDIN);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new HookPayloadError(payloadNotJson((e as Error).message));
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HookPayloadError(PAYLOAD_NOT_AN_OBJECT);
  const parsed = payloadSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HookPayloadError(payloadFieldInvalid(issue?.path.join('.') ?? '', issue?.message ?? 'invalid'));
  }
  return parsed.data;
}
