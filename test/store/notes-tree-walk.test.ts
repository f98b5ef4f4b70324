import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GitObject } from '../../src/git/cat-file.js';
import type { ObjectStore } from '../../src/git/objects.js';
import { NotesTree } from '../../src/store/notes-tree.js';

// The walk of a notes tree reads each level's trees in one stream. A level can hold more trees than
// the walk's cache keeps (100,000 notes: some 50,000 second-level trees): each tree the stream
// gave is used as given, never read again alone because the cache dropped it meanwhile.

// An in-memory object store holding trees in git's format, counting the reads that went one by one.
function memoryStore() {
  const objects = new Map<string, Buffer>();
  let alone = 0;
  const put = (entries: Array<[mode: string, name: string, oid: string]>): string => {
    const body = Buffer.concat(entries.map(([mode, name, oid]) => Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(oid, 'hex')])));
    const oid = createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
    objects.set(oid, body);
    return oid;
  };
  const store = {
    hashLen: 20,
    async readMany(oids: string[]): Promise<Array<GitObject | null>> {
      return oids.map((oid) => (objects.has(oid) ? { oid, type: 'tree', data: objects.get(oid)! } : null));
    },
    async expect<T>(oid: string, _type: string, parse: (data: Buffer) => T): Promise<T> {
      alone += 1;
      return parse(objects.get(oid)!);
    },
  };
  return { put, store: store as unknown as ObjectStore, alone: () => alone };
}

describe('walking a notes tree', () => {
  it('reads a level of more trees than its cache keeps in one stream, none again alone', async () => {
    const { put, store, alone } = memoryStore();
    const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
    // 6,000 notes, each in a second-level directory of its own: ab/cd/<36 digits>.
    const byTop = new Map<string, Array<[string, string, string]>>();
    const targets: string[] = [];
    for (let i = 0; i < 6_000; i++) {
      const target = `${hex(i % 256, 2)}${hex(Math.floor(i / 256), 2)}${createHash('sha1').update(String(i)).digest('hex').slice(4)}`;
      targets.push(target);
      const leaf = put([['100644', target.slice(4), createHash('sha1').update(`blob ${i}`).digest('hex')]]);
      const top = target.slice(0, 2);
      if (!byTop.has(top)) byTop.set(top, []);
      byTop.get(top)!.push(['40000', target.slice(2, 4), leaf]);
    }
    const tops = [...byTop].sort(([a], [b]) => (a < b ? -1 : 1)).map(([top, dirs]) => ['40000', top, put(dirs.sort((a, b) => (a[1] < b[1] ? -1 : 1)))] as [string, string, string]);
    const root = put(tops);

    const notes = await new NotesTree(store).list(root);
    expect(notes.map((n) => n.target).sort()).toEqual(targets.sort());
    // The root alone (a level of one tree), the rest through the stream.
    expect(alone()).toBe(1);
  });
});
