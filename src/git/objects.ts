import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { inflateAll } from './objects-inflate.js';
import type { CorruptObjectError } from '../errors/corrupt-object-error.js';
import { GitError } from '../errors/git-error.js';
import { openCatFileBatch, type CatFileBatch, type ObjectFormat } from './git.js';
import { checkedObject, damaged, withExpected, writeWithGit } from './objects-checked.js';
import type { PackFile, GitObject, ObjectType } from './objects-pack.js';
import { PackSet } from './objects-packs.js';

export type { GitObject, ObjectType } from './objects-pack.js';

// What an ObjectStore is for: whose objects (for errors), and whether git does all the work.
export interface ObjectStoreOptions {
  // The ref whose objects this store reads (named in errors).
  ref?: string | null;
  // Every read through `git cat-file`, every write through `git hash-object -w`.
  native?: boolean;
}

const TYPES = new Set(['commit', 'tree', 'blob', 'tag']);

// Reads and writes git objects in-process (loose files and pack indexes), the way git lays them
// out, so a hook can append a record without starting git; anything it can't read itself
// (exotic layouts, promisor remotes) goes to one `git cat-file --batch` process. A repository
// whose objects guardloop must not write itself (a SHA-256 repository keeping a SHA-1 mapping,
// `extensions.compatObjectFormat`) is read and written through git only.
// A damaged object comes out as a CorruptObjectError naming it and its file, never a raw error.
export class ObjectStore {
  readonly hashLen: number;
  private readonly packs: PackSet;
  private catFile: CatFileBatch | null = null;
  private readonly dirs: string[];
  // Object ids this store wrote as loose files (the autopacker packs them).
  readonly written: string[] = [];
  // How many reads needed `git cat-file` (0 in the usual layouts).
  fallbacks = 0;

  constructor(
    readonly objectsDir: string,
    private readonly cwd: string,
    readonly algo: ObjectFormat = 'sha1',
    private readonly options: ObjectStoreOptions = {},
  ) {
    this.hashLen = algo === 'sha1' ? 20 : 32;
    this.dirs = [objectsDir, ...this.alternates(objectsDir)];
    this.packs = new PackSet(this.dirs, this.hashLen, (oid) => this.readLocal(oid));
    // Native: no pack is read in-process, so every read (readManyPacked too) goes to git.
    if (!options.native) this.packs.scan();
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

  private readLoose(oid: string): GitObject | undefined {
    for (const dir of this.dirs) {
      const file = join(dir, oid.slice(0, 2), oid.slice(2));
      let raw: Buffer;
      try {
        raw = readFileSync(file);
      } catch {
        continue;
      }
      let body: Buffer;
      try {
        body = inflateAll(raw);
      } catch (e) {
        throw this.broken(oid, file, e);
      }
      // "<type> <size>\0<data>": anything else is a damaged file.
      const nul = body.indexOf(0);
      const [type, size] = nul < 0 ? [] : body.toString('latin1', 0, nul).split(' ');
      if (!TYPES.has(type) || Number(size) !== body.length - nul - 1) throw this.broken(oid, file, new Error(nul < 0 ? 'no object header' : `bad object header "${body.toString('latin1', 0, Math.min(nul, 32))}"`));
      return { type: type as ObjectType, data: body.subarray(nul + 1) };
    }
    return undefined;
  }

  private broken(oid: string, file: string | null, e: unknown): CorruptObjectError {
    return damaged(oid, file, e, this.options.ref ?? null);
  }

  // The pack holding an object and its offset there, or null. Packs are looked at before loose
  // files: nearly every object of a long-lived ref is packed, and a failed open costs more than
  // a binary search in every index.
  private locate(key: Buffer): { pack: PackFile; offset: number } | null {
    return this.packs.locate(key);
  }

  // An object found without starting git, or undefined.
  readLocal(oid: string): GitObject | undefined {
    const at = this.locate(Buffer.from(oid, 'hex'));
    let broken: CorruptObjectError | null = null;
    if (at) {
      try {
        const obj = this.readPacked(at.pack, at.offset);
        if (obj) return obj;
      } catch (e) {
        // A loose copy (written again after the pack broke) is as good: git reads that one too.
        broken = this.broken(oid, at.pack.packPath, e);
      }
    }
    const loose = this.readLoose(oid);
    if (loose) return loose;
    if (broken) throw broken;
    // A repack may have moved it since we looked: look at the packs again once.
    if (Date.now() !== this.packs.scannedAt && this.packs.scan()) return this.readLocal(oid);
    return undefined;
  }

  // One packed object; a pack removed under us (a concurrent repack) is forgotten.
  private readPacked(pack: PackFile, offset: number): GitObject | undefined {
    try {
      return pack.readAt(offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.packs.forget(pack);
      return undefined;
    }
  }

  // An object by id, or null when the repository doesn't have it. What guardloop can't read itself
  // goes to git; an object neither can read is a CorruptObjectError.
  async read(oid: string): Promise<GitObject | null> {
    let broken: CorruptObjectError | null = null;
    if (!this.options.native) {
      try {
        const local = this.readLocal(oid);
        if (local) return local;
      } catch (e) {
        broken = this.broken(oid, null, e);
      }
    }
    this.fallbacks++;
    const got = await this.readWithGit(oid, broken);
    if (got) return got;
    if (broken) throw broken;
    return null;
  }

  // An object that must be there with this type (a ref's commit, a tree it names), parsed; a missing,
  // mistyped or unparsable one is a damaged repository.
  async expect<T>(oid: string, type: ObjectType, parse: (data: Buffer) => T): Promise<T> {
    const obj = await this.read(oid).catch((e: unknown) => Promise.reject(withExpected(e, oid, type)));
    return this.parse(oid, obj, type, parse);
  }

  // The same check on an object already read.
  parse<T>(oid: string, obj: GitObject | null, type: ObjectType, parse: (data: Buffer) => T): T {
    return checkedObject(oid, obj, type, parse, this.options.ref ?? null, this.packs.unusable);
  }

  // One read through `git cat-file --batch`; git dying on the object (it does on a corrupt pack)
  // is reported as that object's damage, with what git said.
  private async readWithGit(oid: string, broken: CorruptObjectError | null): Promise<GitObject | null> {
    this.catFile ??= openCatFileBatch({ cwd: this.cwd });
    try {
      const got = await this.catFile.read(oid);
      return got ? { type: got.type as ObjectType, data: got.data } : null;
    } catch (e) {
      this.catFile = null;
      if (!(e instanceof GitError) || e.data.exitCode === null) throw e;
      throw broken ?? this.broken(oid, null, new Error(e.data.stderr.trim().split('\n').slice(-3).join(' | ')));
    }
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
    // Only in a pack that can be read: an object of a truncated pack is written loose again.
    if (this.locate(Buffer.from(oid, 'hex'))?.pack.usable()) return true;
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
    if (this.options.native) {
      const oid = writeWithGit(this.cwd, type, data);
      this.written.push(oid);
      return oid;
    }
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
    this.packs.close();
    this.catFile?.close();
    this.catFile = null;
  }
}
