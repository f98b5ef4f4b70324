import { readFileSync } from 'node:fs';

// One entry of git's index as the file stores it: the path, the blob (or gitlink) id, git's mode,
// the stat data git recorded when it last looked at the file, and the flags that change what the
// entry means (a conflict stage, assume-unchanged, skip-worktree, intent-to-add).
export interface IndexEntry {
  path: string;
  oid: string;
  mode: number;
  ctimeSec: number;
  ctimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  dev: number;
  ino: number;
  uid: number;
  gid: number;
  size: number;
  stage: number;
  assumeValid: boolean;
  skipWorktree: boolean;
  intentToAdd: boolean;
}

// An index file read in-process (git's index-format: versions 2, 3 and 4): its entries in order, the
// root of its cache-tree when that is valid (the tree `git write-tree` would write for it), and the
// signatures of the extensions it carries.
export interface IndexFile {
  version: number;
  entries: IndexEntry[];
  tree: string | null;
  extensions: string[];
}

const HEADER = 12;
// ctime, mtime (seconds, nanoseconds), dev, ino, mode, uid, gid, size: ten 32-bit fields.
const STAT_BYTES = 40;

// v4's prefix compression: how many bytes of the previous path to drop (git's offset varint).
function varint(buf: Buffer, at: number): { value: number; next: number } {
  let c = buf[at++];
  let value = c & 0x7f;
  while (c & 0x80) {
    value += 1;
    c = buf[at++];
    value = value * 128 + (c & 0x7f);
  }
  return { value, next: at };
}

// The root of a TREE extension (path "" first, then `<entry count> <subtree count>\n`, then the
// tree's id when the count isn't -1), or null when the root is invalid.
function cacheTreeRoot(data: Buffer, hashLen: number): string | null {
  const nul = data.indexOf(0);
  const nl = data.indexOf(0x0a, nul);
  if (nul !== 0 || nl < 0) return null;
  const count = Number(data.toString('latin1', nul + 1, nl).split(' ')[0]);
  if (!Number.isInteger(count) || count < 0 || data.length < nl + 1 + hashLen) return null;
  return data.toString('hex', nl + 1, nl + 1 + hashLen);
}

// Parses an index file's bytes; null for anything this reader does not know (another signature or
// version, a truncated file) and for more than `maxEntries` entries: the caller then asks git.
export function parseIndex(buf: Buffer, hashLen: number, maxEntries = Infinity): IndexFile | null {
  if (buf.length < HEADER + hashLen || buf.toString('latin1', 0, 4) !== 'DIRC') return null;
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) return null;
  const count = buf.readUInt32BE(8);
  if (count > maxEntries) return null;
  const end = buf.length - hashLen;
  const entries: IndexEntry[] = [];
  let at = HEADER;
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const start = at;
    if (at + STAT_BYTES + hashLen + 2 > end) return null;
    const u32 = (n: number) => buf.readUInt32BE(start + 4 * n);
    const oid = buf.toString('hex', at + STAT_BYTES, at + STAT_BYTES + hashLen);
    const flags = buf.readUInt16BE(at + STAT_BYTES + hashLen);
    at += STAT_BYTES + hashLen + 2;
    let extended = 0;
    if (flags & 0x4000) {
      if (version < 3 || at + 2 > end) return null;
      extended = buf.readUInt16BE(at);
      at += 2;
    }
    let name: Buffer;
    if (version === 4) {
      const strip = varint(buf, at);
      const nul = buf.indexOf(0, strip.next);
      if (nul < 0 || nul >= end || strip.value > previous.length) return null;
      name = Buffer.concat([previous.subarray(0, previous.length - strip.value), buf.subarray(strip.next, nul)]);
      at = nul + 1;
    } else {
      const nul = buf.indexOf(0, at);
      if (nul < 0 || nul >= end) return null;
      name = buf.subarray(at, nul);
      // Padded with 1–8 NULs to a multiple of eight bytes from the entry's start.
      at = start + ((nul - start + 8) & ~7);
    }
    previous = name;
    entries.push({
      path: name.toString('utf8'),
      oid,
      mode: u32(6),
      ctimeSec: u32(0),
      ctimeNsec: u32(1),
      mtimeSec: u32(2),
      mtimeNsec: u32(3),
      dev: u32(4),
      ino: u32(5),
      uid: u32(7),
      gid: u32(8),
      size: u32(9),
      stage: (flags >> 12) & 3,
      assumeValid: (flags & 0x8000) !== 0,
      skipWorktree: (extended & 0x4000) !== 0,
      intentToAdd: (extended & 0x2000) !== 0,
    });
  }
  const extensions: string[] = [];
  let tree: string | null = null;
  while (at + 8 <= end) {
    const signature = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32BE(at + 4);
    if (at + 8 + size > end) return null;
    extensions.push(signature);
    if (signature === 'TREE') tree = cacheTreeRoot(buf.subarray(at + 8, at + 8 + size), hashLen);
    at += 8 + size;
  }
  if (at !== end) return null;
  return { version, entries, tree, extensions };
}

// Reads and parses the index file at `file` (null: missing, unreadable, not understood, or holding
// more than `maxEntries` entries).
export function readIndexFile(file: string, hashLen: number, maxEntries = Infinity): IndexFile | null {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  return parseIndex(buf, hashLen, maxEntries);
}
