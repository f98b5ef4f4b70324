import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CorruptObjectError } from '../errors/corrupt-object-error.js';
import { GitError } from '../errors/git-error.js';
import { PACK_SIZE_OR_CHECKSUM, packMismatch, unusableIndexes } from '../messages/repair.js';
import { CatFileBatch, readManyViaFile, type GitObject } from './cat-file.js';
import { gitEnv, type ObjectFormat } from './git.js';

export type { GitObject } from './cat-file.js';
export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

// ℛ's objects, read through git (`git cat-file --batch`, one process per opened repository): git
// reads loose objects, packs and alternates in either hash, and fetches what a partial clone lacks.
// An object that must be there and isn't (or can't be read, or has another type) is a
// CorruptObjectError naming it, the file git found broken, and the repair — never "not there".
export class ObjectStore {
  readonly hashLen: number;
  private readonly batch: CatFileBatch;

  constructor(
    readonly objectsDir: string,
    private readonly cwd: string,
    readonly algo: ObjectFormat = 'sha1',
    // The ref whose objects these are, named in errors.
    private readonly ref: string | null = null,
  ) {
    this.hashLen = algo === 'sha256' ? 32 : 20;
    this.batch = new CatFileBatch(cwd);
  }

  // The object, or null when the repository doesn't have it; a read git fails on is a CorruptObjectError.
  async read(oid: string): Promise<GitObject | null> {
    try {
      return await this.batch.read(oid);
    } catch (e) {
      throw this.damage(oid, null, e);
    }
  }

  // Many objects in one stream (null for those git doesn't have; the caller decides what that means).
  // A long list (reading all of ℛ) goes through a file (see readManyViaFile).
  async readMany(oids: string[]): Promise<Array<GitObject | null>> {
    try {
      return oids.length > 256 ? await readManyViaFile(this.cwd, oids) : await this.batch.readMany(oids);
    } catch (e) {
      throw this.damage(oids[0] ?? '', null, e);
    }
  }

  // An object that must exist with this type, parsed by `parse`.
  async expect<T>(oid: string, type: ObjectType, parse: (data: Buffer) => T): Promise<T> {
    return this.parse(oid, await this.read(oid).catch((e: unknown) => Promise.reject(withExpected(e, oid, type))), type, parse);
  }

  // Checks an object read earlier: missing, mistyped or unparsable is a damaged repository.
  parse<T>(oid: string, obj: GitObject | null, type: ObjectType, parse: (data: Buffer) => T): T {
    if (!obj) throw this.damage(oid, type, null);
    if (obj.type !== type) throw new CorruptObjectError({ oid, file: null, problem: 'wrong-type', expected: type, detail: `it is a ${obj.type}`, ref: this.ref });
    try {
      return parse(obj.data);
    } catch (e) {
      throw new CorruptObjectError({ oid, file: this.looseFile(oid), problem: 'unreadable', expected: type, detail: (e as Error).message, ref: this.ref });
    }
  }

  // Why git can't give `oid` (asked once more, alone, so its complaint is about this object): the
  // loose file or pack it found broken, a pack that doesn't match its index, an index it can't use.
  private damage(oid: string, expected: ObjectType | null, e: unknown): CorruptObjectError | GitError {
    if (e instanceof CorruptObjectError) return e;
    if (e && !(e instanceof GitError)) return new CorruptObjectError({ oid, file: null, problem: 'unreadable', expected, detail: String((e as Error).message ?? e), ref: this.ref });
    const res = spawnSync('git', ['cat-file', '-p', oid], { cwd: this.cwd, env: gitEnv(), encoding: 'buffer', maxBuffer: 1 << 30 });
    const said = res.stderr?.toString('utf8') ?? '';
    if (res.error) return new GitError(['cat-file', '-p', oid], null, res.error.message);
    const stored = /\(stored in ([^)]+)\) is corrupt/.exec(said)?.[1];
    if (stored) return new CorruptObjectError({ oid, file: this.abs(stored), problem: 'unreadable', expected, detail: lastLine(said), ref: this.ref });
    const mismatch = /packfile (\S+) does not match index/.exec(said)?.[1];
    if (mismatch) return new CorruptObjectError({ oid, file: this.abs(mismatch), problem: 'unreadable', expected, detail: packMismatch(PACK_SIZE_OR_CHECKSUM), ref: this.ref });
    const badIndex = /(?:wrong index v\d file size in|index file) (\S+?)(?: is too small)?$/m.exec(said)?.[1];
    if (badIndex) return new CorruptObjectError({ oid, file: this.abs(badIndex), problem: 'missing', expected, detail: unusableIndexes([[this.abs(badIndex), 'truncated pack index']]), ref: this.ref });
    if (/unable to unpack|inflate|corrupt/i.test(said)) return new CorruptObjectError({ oid, file: this.looseFile(oid), problem: 'unreadable', expected, detail: lastLine(said), ref: this.ref });
    if (res.status === 0 && e instanceof GitError) return e;
    // A partial clone's object its promisor remote could not send (offline, the remote moved): not
    // damage — git's own words say what failed, and the read works again once the remote answers.
    if (/promisor remote|could not fetch/i.test(said)) return new GitError(['cat-file', '-p', oid], res.status, said);
    return new CorruptObjectError({ oid, file: null, problem: 'missing', expected, detail: '', ref: this.ref });
  }

  // A path git printed (relative to the top of the work tree, or to the git dir in a bare repository).
  private abs(path: string): string {
    if (isAbsolute(path)) return path;
    const i = path.lastIndexOf('objects/');
    return i >= 0 ? join(this.objectsDir, path.slice(i + 'objects/'.length)) : resolve(this.cwd, path);
  }

  private looseFile(oid: string): string | null {
    const file = join(this.objectsDir, oid.slice(0, 2), oid.slice(2));
    return existsSync(file) ? file : null;
  }

  // Starts git's reader ahead of the first read (openRepository: it starts while the caller works).
  warm(): void {
    this.batch.warm();
  }

  close(): void {
    this.batch.close();
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.replace(/^(fatal|error): /, '') ?? '';
}

// A read error about `oid` that says what it should have been (the reader didn't know).
export function withExpected(e: unknown, oid: string, type: ObjectType): unknown {
  return e instanceof CorruptObjectError && e.data.oid === oid && !e.data.expected ? new CorruptObjectError({ ...e.data, expected: type }) : e;
}
