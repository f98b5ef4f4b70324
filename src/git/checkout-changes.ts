import { closeSync, fstatSync, lstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { parseIndex, type IndexEntry } from './index-file.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFGITLINK = 0o160000;
const U32 = 2 ** 32;

// A time as Node's stat gives it (milliseconds, computed from seconds and nanoseconds the same way:
// equal times give equal numbers; times further apart than a microsecond never do).
const ms = (sec: number, nsec: number) => sec * 1e3 + nsec / 1e6;

// Whether the file's stat data is what the index recorded for the entry, its times to the microsecond
// (git compares fewer fields, in whole seconds: any difference here leaves the file to git).
function sameStat(e: IndexEntry, st: Stats): boolean {
  const type = e.mode & S_IFMT;
  if (type === S_IFREG ? !st.isFile() || ((e.mode ^ st.mode) & 0o100) !== 0 : type !== S_IFLNK || !st.isSymbolicLink()) return false;
  return (
    st.size % U32 === e.size &&
    st.mtimeMs === ms(e.mtimeSec, e.mtimeNsec) &&
    st.ctimeMs === ms(e.ctimeSec, e.ctimeNsec) &&
    st.ino % U32 === e.ino &&
    st.dev % U32 === e.dev &&
    st.uid % U32 === e.uid &&
    st.gid % U32 === e.gid
  );
}

// Whether every folder on the way to `path` is still a real folder (git sees a file under a folder a
// guard replaced by a symlink as deleted, whatever the file's stat data says).
function realFolders(workTree: string, path: string, seen: Map<string, boolean>): boolean {
  for (let at = path.indexOf('/'); at > 0; at = path.indexOf('/', at + 1)) {
    const dir = path.slice(0, at);
    let ok = seen.get(dir);
    if (ok === undefined) {
      ok = lstatSync(`${workTree}/${dir}`, { throwIfNoEntry: false })?.isDirectory() ?? false;
      seen.set(dir, ok);
    }
    if (!ok) return false;
  }
  return true;
}

// The tracked files of a temporary checkout that may differ from its index: those whose stat data
// isn't what the index recorded, and those recorded less than a millisecond before the index file was
// written, or later. Any change after that write gives a file a change time no earlier than the
// index's (one clock, one file system), so every other file is as the index has it — what git tells
// only by hashing each file written in the index's own second (its racily clean entries: nearly all of
// a fresh checkout). null when that isn't worth it (few such entries: git's own check is the faster)
// or can't be told here (an index this reader doesn't know, a path that isn't UTF-8, Windows): then git
// looks at every file.
export function checkoutSuspects(workTree: string, indexFile: string, hashLen: number): string[] | null {
  if (process.platform === 'win32') return null;
  let buf: Buffer;
  let written: number;
  try {
    const fd = openSync(indexFile, 'r');
    try {
      written = fstatSync(fd).mtimeMs;
      buf = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  const index = parseIndex(buf, hashLen);
  if (!index || index.extensions.includes('link') || index.extensions.includes('sdir')) return null;
  // A path that isn't UTF-8 (a Latin-1 name) can't be named back to git as read here: git looks at every file.
  if (index.entries.some((e) => e.path.includes('\uFFFD'))) return null;
  // git's rule (whole seconds): an entry written in the index's own second is hashed.
  const second = Math.floor(written / 1e3);
  const racy = index.entries.filter((e) => e.mtimeSec >= second).length;
  if (racy * 5 < index.entries.length) return null;
  const recent = written - 1;
  // Paths as git stores them (no `.` or `..` parts) under the checkout's own folder: joined as they are.
  const root = workTree.replace(/\/+$/, '');
  const suspects: string[] = [];
  const folders = new Map<string, boolean>();
  for (const e of index.entries) {
    if ((e.mode & S_IFMT) === S_IFGITLINK && e.stage === 0 && !e.intentToAdd) continue;
    if (e.stage !== 0 || e.assumeValid || e.skipWorktree || e.intentToAdd) {
      suspects.push(e.path);
      continue;
    }
    const st = lstatSync(`${root}/${e.path}`, { throwIfNoEntry: false });
    if (!st || !sameStat(e, st) || !realFolders(root, e.path, folders)) suspects.push(e.path);
    else if (ms(e.ctimeSec, e.ctimeNsec) >= recent || ms(e.mtimeSec, e.mtimeNsec) >= recent) suspects.push(e.path);
  }
  return suspects;
}
