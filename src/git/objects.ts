import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { inflateAll } from './objects-inflate.js';
import { openCatFileBatch, type CatFileBatch } from './git.js';
import { PackFile, type GitObject, type ObjectType } from './objects-pack.js';

export type { GitObject, ObjectType } from './objects-pack.js';

// Reads and writes git objects in-process (loose files and pack indexes), the way git lays them
// out, so a hook can append a record without starting git; anything it can't read itself
// (exotic layouts, promisor remotes) goes to one `git cat-file --batch` process.
export class ObjectStore {
  readonly hashLen: number;
  private packs = new Map<string, PackFile>();
  private packsScannedAt = 0;
  private catFile: CatFileBatch | null = null;
  private readonly dirs: string[];
  // Object ids this store wrote as loose files (the autopacker packs them).
  readonly written: string[] = [];
  // How many reads needed `git cat-file` (0 in the usual layouts).
  fallbacks = 0;

  constructor(
    readonly objectsDir: string,
    private readonly cwd: string,
    readonly algo: 'sha1' | 'sha256' = 'sha1',
  ) {
    this.hashLen = algo === 'sha1' ? 20 : 32;
    this.dirs = [objectsDir, ...this.alternates(objectsDir)];
    this.scanPacks();
  }

  private alternates(dir: string): string[] {
    try {
      return readFileSync(join(dir, 'info', 'alternates'), 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => resolve(dir, l.trim()));
    } catch {
      return [];
    }
  }

  private scanPacks(): boolean {
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
          this.packs.set(path, new PackFile(path, readFileSync(path), this.hashLen, (oid) => this.readLocal(oid)));
          added = true;
        } catch {
          // unreadable or half-written pack: git cat-file covers it
        }
      }
    }
    this.packsScannedAt = Date.now();
    return added;
  }

  private readLoose(oid: string): GitObject | undefined {
    for (const dir of this.dirs) {
      let raw: Buffer;
      try {
        raw = readFileSync(join(dir, oid.slice(0, 2), oid.slice(2)));
      } catch {
        continue;
      }
      const body = inflateAll(raw);
      const nul = body.indexOf(0);
      const [type] = body.toString('latin1', 0, nul).split(' ');
      return { type: type as ObjectType, data: body.subarray(nul + 1) };
    }
    return undefined;
  }

  // The pack holding an object and its offset there, or null. Packs are looked at before loose
  // files: nearly every object of a long-lived ref is packed, and a failed open costs more than
  // a binary search in every index.
  private locate(key: Buffer): { pack: PackFile; offset: number } | null {
    for (const pack of this.packs.values()) {
      const offset = pack.find(key);
      if (offset >= 0) return { pack, offset };
    }
    return null;
  }

  // An object found without starting git, or undefined.
  readLocal(oid: string): GitObject | undefined {
    const at = this.locate(Buffer.from(oid, 'hex'));
    if (at) {
      const obj = this.readPacked(at.pack, at.offset);
      if (obj) return obj;
    }
    const loose = this.readLoose(oid);
    if (loose) return loose;
    // A repack may have moved it since we looked: look at the packs again once.
    if (Date.now() !== this.packsScannedAt && this.scanPacks()) return this.readLocal(oid);
    return undefined;
  }

  // One packed object; a pack removed under us (a concurrent repack) is forgotten.
  private readPacked(pack: PackFile, offset: number): GitObject | undefined {
    try {
      return pack.readAt(offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      pack.close();
      this.packs.delete(pack.idxPath);
      return undefined;
    }
  }

  // An object by id, or null when the repository doesn't have it.
  async read(oid: string): Promise<GitObject | null> {
    let local: GitObject | undefined;
    try {
      local = this.readLocal(oid);
    } catch {
      local = undefined;
    }
    if (local) return local;
    this.fallbacks++;
    this.catFile ??= openCatFileBatch({ cwd: this.cwd });
    const got = await this.catFile.read(oid);
    return got ? { type: got.type as ObjectType, data: got.data } : null;
  }

  // Many objects at once, read pack by pack in offset order, so every delta chain is inflated once
  // and each pack file is read front to back; undefined where an object isn't in a pack we can read
  // (loose, or for `read` to find).
  readManyPacked(oids: string[]): Array<GitObject | undefined> {
    const out = new Array<GitObject | undefined>(oids.length);
    const byPack = new Map<PackFile, Array<{ offset: number; i: number }>>();
    for (let i = 0; i < oids.length; i++) {
      const at = this.locate(Buffer.from(oids[i], 'hex'));
      if (!at) continue;
      let list = byPack.get(at.pack);
      if (!list) byPack.set(at.pack, (list = []));
      list.push({ offset: at.offset, i });
    }
    for (const [pack, list] of byPack) {
      list.sort((a, b) => a.offset - b.offset);
      if (list.length >= 64) {
        try {
          pack.preload();
        } catch {
          // read entry by entry below
        }
      }
      for (const { offset, i } of list) {
        try {
          out[i] = this.readPacked(pack, offset);
        } catch {
          // a corrupt entry: `read` tries again and reports
        }
      }
    }
    return out;
  }

  // Whether the object is present (in a pack we know, or loose).
  has(oid: string): boolean {
    if (this.locate(Buffer.from(oid, 'hex'))) return true;
    for (const dir of this.dirs) {
      try {
        statSync(join(dir, oid.slice(0, 2), oid.slice(2)));
        return true;
      } catch {
        // not loose here
      }
    }
    return false;
  }

  // The id git gives these bytes as an object of this type.
  hash(type: ObjectType, data: Buffer): string {
    return createHash(this.algo).update(`${type} ${data.length}\0`).update(data).digest('hex');
  }

  // Writes a loose object (temp file + rename, so a killed writer never leaves a torn object).
  write(type: ObjectType, data: Buffer): string {
    const oid = this.hash(type, data);
    if (this.has(oid)) return oid;
    const dir = join(this.objectsDir, oid.slice(0, 2));
    const body = deflateSync(Buffer.concat([Buffer.from(`${type} ${data.length}\0`), data]), { level: 1 });
    const tmp = join(this.objectsDir, `tmp_obj_gl_${process.pid}_${randomBytes(4).toString('hex')}`);
    writeFileSync(tmp, body, { mode: 0o444 });
    try {
      renameSync(tmp, join(dir, oid.slice(2)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        unlinkSync(tmp);
        throw e;
      }
      mkdirSync(dir, { recursive: true });
      renameSync(tmp, join(dir, oid.slice(2)));
    }
    this.written.push(oid);
    return oid;
  }

  close(): void {
    for (const p of this.packs.values()) p.close();
    this.packs.clear();
    this.catFile?.close();
    this.catFile = null;
  }
}
