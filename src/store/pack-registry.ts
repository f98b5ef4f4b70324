import { accessSync, appendFileSync, constants, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unlinkQuiet } from './pack-lock.js';

// The registry of a repository's guardloop packs (fast-import writes to it too).
export function registryFile(commonDir: string): string {
  return join(commonDir, 'guardloop', 'packs');
}

// Why `git fast-import` could not append to the registry (`--export-pack-edges` opens it for
// appending, and a file it can't open fails the whole write: a directory in its place, a file of
// another user's), or null when it can; its folder exists by then. One stat, once per process.
export function registryProblem(file: string): string | null {
  try {
    const st = statSync(file, { throwIfNoEntry: false });
    if (st && !st.isFile()) return `${file} is not a file`;
    accessSync(st ? file : dirname(file), constants.W_OK);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

// A pack guardloop wrote that nothing else claims: its name's hash, size and time.
export interface GuardloopPack {
  hash: string;
  bytes: number;
  mtimeMs: number;
}

// A pack whose objects a consolidation copied at `at` (ms) into the pack `by` (null: git wrote no
// pack, every object was in an excluded one), but for those already in the packs it `excluded`:
// deleted once the grace period has passed, and only while `by` and every pack it excluded are
// still there (a pack git deletes may hold the only other copy of an object: git deletes a pack
// whose objects another pack holds, and that other pack may be this one).
export interface Superseded {
  hash: string;
  by: string | null;
  at: number;
  excluded: string[];
}

// Files beside a pack that say it is git's to manage, not guardloop's: kept (`git fast-import` while
// it runs, or by hand), a promisor pack (a partial clone's), a cruft pack, a pack with a bitmap.
const CLAIMED = ['.keep', '.promisor', '.mtimes', '.bitmap'];

// The registry grows by a line per pack; past this size its lines for deleted packs are dropped.
const COMPACT_BYTES = 256 * 1024;

// Which packs in the object directory guardloop wrote, so that consolidation only ever rolls up and
// deletes those: `.git/guardloop/packs`, one `<pack path>:` line per pack, appended by `git
// fast-import --export-pack-edges` itself (for a write it keeps as a pack) and by guardloop for the
// packs AutoPack and consolidation make. A pack nobody wrote there is the user's (or git's) and is
// never touched.
export class PackRegistry {
  readonly file: string;
  readonly packDir: string;
  private readonly dir: string;
  private readonly supersededFile: string;
  private readonly checkedFile: string;
  private readonly compactFile: string;

  constructor(
    commonDir: string,
    objectsDir: string,
    readonly hexLen: number,
  ) {
    this.dir = join(commonDir, 'guardloop');
    this.packDir = join(objectsDir, 'pack');
    this.file = registryFile(commonDir);
    this.supersededFile = join(this.dir, 'packs.superseded');
    this.checkedFile = join(this.dir, 'packs.checked');
    this.compactFile = join(this.dir, 'packs.compact');
  }

  // A pack file of this repository by its hash (`ext`: .pack, .idx, .rev, …).
  path(hash: string, ext: string): string {
    return join(this.packDir, `pack-${hash}${ext}`);
  }

  // Registers packs guardloop just wrote (in fast-import's own line format).
  add(hashes: string[]): void {
    if (!hashes.length) return;
    mkdirSync(this.dir, { recursive: true });
    appendFileSync(this.file, hashes.map((h) => `${this.path(h, '.pack')}:\n`).join(''));
  }

  // Every registered hash, oldest first (a compaction a killed process left half done included).
  hashes(): string[] {
    const seen = new Set<string>();
    for (const file of [this.compactFile, this.file]) for (const h of this.parse(readQuiet(file))) seen.add(h);
    return [...seen];
  }

  private parse(text: string): string[] {
    const out: string[] = [];
    for (const line of text.split('\n')) {
      const m = /pack-([0-9a-f]+)\.pack:/.exec(line);
      if (m && m[1].length === this.hexLen) out.push(m[1]);
    }
    return out;
  }

  // The pack directory's files (names), read once per pass.
  listing(): Set<string> {
    try {
      return new Set(readdirSync(this.packDir));
    } catch {
      return new Set();
    }
  }

  // Whether the repository has a multi-pack index: git's lookups go through it, and a pack it
  // names must not go away under it, so consolidation leaves such a repository's packs to git.
  hasMultiPackIndex(names: Set<string>): boolean {
    return names.has('multi-pack-index') || names.has('multi-pack-index.d');
  }

  // Whether a pack is complete (pack and index) and nobody but guardloop claims it.
  plain(hash: string, names: Set<string>): boolean {
    return names.has(`pack-${hash}.pack`) && names.has(`pack-${hash}.idx`) && !CLAIMED.some((ext) => names.has(`pack-${hash}${ext}`));
  }

  // guardloop's packs that consolidation may roll up: registered, complete, unclaimed, not already
  // superseded, with their sizes.
  live(names: Set<string>, superseded: Superseded[]): GuardloopPack[] {
    const gone = new Set(superseded.map((s) => s.hash));
    const out: GuardloopPack[] = [];
    for (const hash of this.hashes()) {
      if (gone.has(hash) || !this.plain(hash, names)) continue;
      try {
        const st = statSync(this.path(hash, '.pack'));
        out.push({ hash, bytes: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // deleted meanwhile (git gc)
      }
    }
    return out;
  }

  // Whether a pack is there, pack and index (whoever claims it).
  complete(hash: string, names: Set<string>): boolean {
    return names.has(`pack-${hash}.pack`) && names.has(`pack-${hash}.idx`);
  }

  // Every complete pack in the directory (anyone's), by hash.
  allPacks(names: Set<string>): string[] {
    const out: string[] = [];
    for (const n of names) {
      const m = /^pack-([0-9a-f]+)\.idx$/.exec(n);
      if (m && names.has(`pack-${m[1]}.pack`)) out.push(m[1]);
    }
    return out;
  }

  // The superseded packs, one `<hash> <by or -> <at> <excluded,… or ->` line each; a line that
  // doesn't read so is dropped (its pack is live again: rolled up anew, never deleted unchecked).
  superseded(): Superseded[] {
    const out: Superseded[] = [];
    const hex = (h: string) => h.length === this.hexLen && /^[0-9a-f]+$/.test(h);
    for (const line of readQuiet(this.supersededFile).split('\n')) {
      const [hash, by, at, excluded, extra] = line.split(' ');
      if (extra !== undefined || !hash || !hex(hash) || !(by === '-' || (by && hex(by))) || !(Number(at) > 0) || !excluded) continue;
      const list = excluded === '-' ? [] : excluded.split(',');
      if (list.every(hex)) out.push({ hash, by: by === '-' ? null : by, at: Number(at), excluded: list });
    }
    return out;
  }

  // Replaces the list of superseded packs (under the pack lock: the only writer); none left, no file.
  writeSuperseded(list: Superseded[]): void {
    if (!list.length) return unlinkQuiet(this.supersededFile);
    const tmp = `${this.supersededFile}.${process.pid}.tmp`;
    writeFileSync(tmp, list.map((s) => `${s.hash} ${s.by ?? '-'} ${s.at} ${s.excluded.join(',') || '-'}\n`).join(''));
    renameSync(tmp, this.supersededFile);
  }

  // Whether a pack was registered since consolidation last looked (the registry's time past the
  // mark's): the check a write makes, two stats.
  changedSinceCheck(): boolean {
    // fast-import creates the file empty when it keeps no pack.
    const st = statSync(this.file, { throwIfNoEntry: false });
    if (!st?.size) return false;
    const checked = mtime(this.checkedFile);
    return checked === null || st.mtimeMs >= checked;
  }

  // Marks the registry as looked at, before it is read (a pack registered meanwhile is looked at next time).
  markChecked(): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.checkedFile, '');
  }

  // Drops the lines of packs that are gone once the registry is large. The registry is moved aside
  // first and the lines kept are appended to a new one, so a pack registered meanwhile is not
  // overwritten; a fast-import that opened the old file before the move and writes after it is
  // read loses its line, and its pack is then left to git like any pack guardloop didn't register.
  compactIfLarge(names: Set<string>): void {
    const leftover = exists(this.compactFile);
    if (!leftover && (statSync(this.file, { throwIfNoEntry: false })?.size ?? 0) < COMPACT_BYTES) return;
    if (!leftover) renameSync(this.file, this.compactFile);
    const keep = this.parse(readQuiet(this.compactFile)).filter((h) => names.has(`pack-${h}.pack`));
    this.add([...new Set(keep)]);
    unlinkQuiet(this.compactFile);
  }
}

function readQuiet(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function mtime(path: string): number | null {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? null;
}

function exists(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false }) !== undefined;
}
