import { spawnSync } from 'node:child_process';
import { CorruptObjectError } from '../errors/corrupt-object-error.js';
import { GitError } from '../errors/git-error.js';
import { repairMessages } from '../messages/repair.js';
import { gitEnv } from './git.js';
import type { GitObject, ObjectType } from './objects-pack.js';

// The object store's edges: how a reader's failure becomes a CorruptObjectError naming the object,
// how an object that must exist with a type is checked, and writing through git where guardloop
// must not write objects itself.

// The error for an object that is there but can't be read (`file`: where it was read from, if known).
export function damaged(oid: string, file: string | null, e: unknown, ref: string | null): CorruptObjectError {
  if (e instanceof CorruptObjectError) return e;
  return new CorruptObjectError({ oid, file, problem: 'unreadable', expected: null, detail: (e as Error)?.message ?? String(e), ref });
}

// An object that must be there with this type (a ref's commit, a tree it names), parsed by `parse`;
// a missing, mistyped or unparsable one is a damaged repository. `unusable`: pack indexes that could
// not be opened (index path → why); a missing object may have been in one, so the error names them.
export function checkedObject<T>(oid: string, obj: GitObject | null, type: ObjectType, parse: (data: Buffer) => T, ref: string | null, unusable: ReadonlyMap<string, string> = new Map()): T {
  if (!obj) {
    const [idx] = unusable.keys();
    throw new CorruptObjectError({ oid, file: idx ?? null, problem: 'missing', expected: type, detail: idx ? repairMessages.unusableIndexes([...unusable]) : '', ref });
  }
  if (obj.type !== type) throw new CorruptObjectError({ oid, file: null, problem: 'wrong-type', expected: type, detail: `it is a ${obj.type}`, ref });
  try {
    return parse(obj.data);
  } catch (e) {
    throw damaged(oid, null, e, ref);
  }
}

// A read error about `oid` that says what it should have been (the reader didn't know).
export function withExpected(e: unknown, oid: string, type: ObjectType): unknown {
  return e instanceof CorruptObjectError && e.data.oid === oid && !e.data.expected ? new CorruptObjectError({ ...e.data, expected: type }) : e;
}

// `git hash-object -w`: git names and stores the object (and keeps whatever mapping its format needs).
export function writeWithGit(cwd: string, type: ObjectType, data: Buffer): string {
  const args = ['hash-object', '-w', '-t', type, '--stdin'];
  const res = spawnSync('git', args, { cwd, env: gitEnv(), input: data, encoding: 'buffer' });
  const oid = res.stdout?.toString('utf8').trim() ?? '';
  if (res.status !== 0 || !/^[0-9a-f]+$/.test(oid)) throw new GitError(args, res.status, res.stderr?.toString('utf8') ?? String(res.error ?? ''));
  return oid;
}
