import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

// One parsed JSONL line of an agent's own event log.
export type LogEntry = Record<string, unknown>;

// How much of a file is read at a time, and at most in all (a session's log grows for as long as it
// runs; its last prompt is near the end).
const CHUNK = 64 * 1024;
const MAX_BYTES = 8 * 1024 * 1024;

function parse(line: string): LogEntry | null {
  if (!line.trim()) return null;
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as LogEntry) : null;
  } catch {
    // A half-written last line: skipped.
    return null;
  }
}

// Reads a JSONL file from its end, synchronously (an adapter reads its payload synchronously), handing
// each entry to `visit`, newest first, until it returns true or MAX_BYTES were read. Used for the
// event logs the generic transcript reader doesn't parse (Copilot CLI's events.jsonl, Qwen Code's
// chats). A missing or unreadable file visits nothing.
export function visitFromEnd(file: string, visit: (e: LogEntry) => boolean): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return;
  }
  try {
    let pos = fstatSync(fd).size;
    const stop = Math.max(0, pos - MAX_BYTES);
    let carry: Buffer[] = [];
    while (pos > stop) {
      const len = Math.min(CHUNK, pos - stop);
      pos -= len;
      const chunk = Buffer.allocUnsafe(len);
      const got = readSync(fd, chunk, 0, len, pos);
      let end = got;
      for (let nl = chunk.lastIndexOf(0x0a, end - 1); nl >= 0; nl = end > 0 ? chunk.lastIndexOf(0x0a, end - 1) : -1) {
        const e = parse(Buffer.concat([chunk.subarray(nl + 1, end), ...carry]).toString('utf8'));
        carry = [];
        end = nl;
        if (e && visit(e)) return;
      }
      if (end > 0) carry.unshift(chunk.subarray(0, end));
    }
    // The file's first line (only when the whole file was read).
    const first = pos === 0 && carry.length ? parse(Buffer.concat(carry).toString('utf8')) : null;
    if (first) visit(first);
  } catch {
    // Unreadable half-way: what was visited stands.
  } finally {
    closeSync(fd);
  }
}
