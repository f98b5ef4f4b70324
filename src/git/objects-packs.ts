import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackFile, type GitObject } from './objects-pack.js';

// The packs of an object store's directories (its own and its alternates'), opened by index, and
// the indexes that could not be opened (a truncated or foreign .idx): an object that turns out to
// be missing may have been in one of those, so errors about it name them.
export class PackSet {
  readonly packs = new Map<string, PackFile>();
  // Index path → why it could not be opened.
  readonly unusable = new Map<string, string>();
  scannedAt = 0;

  constructor(
    private readonly dirs: string[],
    private readonly hashLen: number,
    private readonly resolveRef: (oid: string) => GitObject | undefined,
  ) {}

  // Opens the indexes not opened yet; true when one was added.
  scan(): boolean {
    let added = false;
    for (const dir of this.dirs) {
      let names: string[];
      try {
        names = readdirSync(join(dir, 'pack'));
      } catch {
        continue;
      }
      for (const name of names) {
        if (!name.endsWith('.idx')) continue;
        const path = join(dir, 'pack', name);
        if (this.packs.has(path)) continue;
        try {
          this.packs.set(path, new PackFile(path, readFileSync(path), this.hashLen, this.resolveRef));
          this.unusable.delete(path);
          added = true;
        } catch (e) {
          // git cat-file covers what guardloop can't read; an object missing for both names this index.
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.unusable.set(path, (e as Error).message);
        }
      }
    }
    this.scannedAt = Date.now();
    return added;
  }

  // The pack holding an object and its offset there, or null.
  locate(key: Buffer): { pack: PackFile; offset: number } | null {
    for (const pack of this.packs.values()) {
      const offset = pack.find(key);
      if (offset >= 0) return { pack, offset };
    }
    return null;
  }

  // A pack removed under us (a concurrent repack).
  forget(pack: PackFile): void {
    pack.close();
    this.packs.delete(pack.idxPath);
  }

  close(): void {
    for (const p of this.packs.values()) p.close();
    this.packs.clear();
  }
}
