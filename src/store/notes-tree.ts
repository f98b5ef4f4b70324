import { parseTree, type TreeEntry } from '../git/objects-format.js';
import type { ObjectStore } from '../git/objects.js';

// One note: the annotated object's id and the blob holding the note text.
export interface NoteEntry {
  target: string;
  blob: string;
}

const DIR = '40000';
// Lower-case hex, as git names notes (a loop: a regular expression per entry shows up in a read of all notes).
function isHex(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return name.length > 0;
}

function nibbleCounts(names: Iterable<string>, dirs: Iterable<string>): number[] {
  const counts = new Array<number>(16).fill(0);
  for (const n of names) counts[parseInt(n[0], 16)] += 1;
  // An on-disk fanout directory counts as "many notes below", as git's trie sees an unloaded subtree.
  for (const d of dirs) counts[parseInt(d[0], 16)] += 2;
  return counts;
}

// git's fanout rule (notes.c determine_fanout): a level is split into 2-hex-digit directories
// when each of the 16 possible next hex digits is shared by at least two notes.
export function wantsFanout(names: Iterable<string>, dirs: Iterable<string>, remaining: number): boolean {
  return remaining > 2 && nibbleCounts(names, dirs).every((c) => c >= 2);
}

// A notes tree in git's layout, fanout included: direct lookups walk one path, updates rewrite
// only the trees on the paths they touch.
export class NotesTree {
  private readonly trees = new Map<string, TreeEntry[]>();

  constructor(private readonly objects: ObjectStore) {}

  private get hexLen(): number {
    return this.objects.hashLen * 2;
  }

  async readTree(oid: string): Promise<TreeEntry[]> {
    const hit = this.trees.get(oid);
    if (hit) return hit;
    // A missing, mistyped or torn tree is a CorruptObjectError naming it.
    const entries = await this.objects.expect(oid, 'tree', (data) => parseTree(data, this.objects.hashLen));
    this.remember(oid, entries);
    return entries;
  }

  private classify(entries: TreeEntry[], prefixLen: number) {
    const remaining = this.hexLen - prefixLen;
    const notes = new Map<string, string>();
    const dups: Array<[string, string]> = [];
    const dirs = new Map<string, string>();
    const others: TreeEntry[] = [];
    for (const e of entries) {
      if (e.mode === DIR && e.name.length === 2 && isHex(e.name) && remaining > 2) dirs.set(e.name, e.oid);
      else if (e.mode !== DIR && e.name.length === remaining && isHex(e.name)) {
        if (notes.has(e.name)) dups.push([e.name, e.oid]);
        else notes.set(e.name, e.oid);
      } else others.push(e);
    }
    return { notes, dups, dirs, others, remaining };
  }

  // Every note blob attached to `target` (more than one only in layouts git itself wouldn't write).
  async lookup(root: string | null, target: string): Promise<string[]> {
    const found: string[] = [];
    let tree = root;
    let prefixLen = 0;
    while (tree) {
      const rest = target.slice(prefixLen);
      let next: string | null = null;
      for (const e of await this.readTree(tree)) {
        if (e.mode !== DIR && e.name === rest) found.push(e.oid);
        else if (e.mode === DIR && e.name === rest.slice(0, 2)) next = e.oid;
      }
      tree = rest.length > 2 ? next : null;
      prefixLen += 2;
    }
    return found;
  }

  // Every note under a tree, in any layout git reads (flat, fanout, mixed). Level by level, each
  // level's trees asked for in one `cat-file --batch` stream.
  async list(root: string | null, prefix = ''): Promise<NoteEntry[]> {
    if (!root) return [];
    const out: NoteEntry[] = [];
    let level = [{ oid: root, prefix }];
    while (level.length) {
      const next: typeof level = [];
      const trees = await this.readTrees(level.map((l) => l.oid));
      for (let i = 0; i < level.length; i++) {
        const { notes, dups, dirs } = this.classify(trees[i], level[i].prefix.length);
        for (const [name, blob] of notes) out.push({ target: level[i].prefix + name, blob });
        for (const [name, blob] of dups) out.push({ target: level[i].prefix + name, blob });
        for (const [name, oid] of dirs) next.push({ oid, prefix: level[i].prefix + name });
      }
      level = next;
    }
    return out;
  }

  // Many trees in one stream; what the stream lacks or breaks off on is read alone (a typed error).
  // The stream's trees are handed back as parsed, not looked up again in the cache: a level holds
  // more trees than the cache keeps (100,000 notes: some 50,000 second-level trees), and each one
  // the cache had dropped meanwhile was read again alone, one `cat-file` round trip per tree.
  private async readTrees(oids: string[]): Promise<TreeEntry[][]> {
    const out: Array<TreeEntry[] | undefined> = oids.map((o) => this.trees.get(o));
    const wanted: number[] = [];
    for (let i = 0; i < oids.length; i++) if (!out[i]) wanted.push(i);
    const got = wanted.length > 1 ? await this.objects.readMany(wanted.map((i) => oids[i])).catch(() => wanted.map(() => null)) : [];
    for (let w = 0; w < got.length; w++) {
      const obj = got[w];
      if (obj?.type !== 'tree') continue;
      try {
        const entries = parseTree(obj.data, this.objects.hashLen);
        out[wanted[w]] = entries;
        this.remember(oids[wanted[w]], entries);
      } catch {
        // read again alone below, where a torn tree is a CorruptObjectError naming it
      }
    }
    for (let i = 0; i < oids.length; i++) out[i] ??= await this.readTree(oids[i]);
    return out as TreeEntry[][];
  }

  private remember(oid: string, entries: TreeEntry[]): void {
    if (this.trees.size > 4096) this.trees.clear();
    this.trees.set(oid, entries);
  }

  // Plans the trees that change when `changes` (target → an existing blob's id, or new note text)
  // are set, laying each level out as git would: the new root as a tree of entries, in which an
  // unchanged subtree keeps its id. git writes the objects (fast-import); nothing is written here.
  async update(root: string | null, changes: Map<string, NoteValue>, prefix = ''): Promise<PlannedTree> {
    const { notes, dups, dirs, others, remaining } = this.classify(root ? await this.readTree(root) : [], prefix.length);
    const values = new Map<string, NoteValue>(notes);
    for (const [target, value] of changes) values.set(target.slice(prefix.length), value);
    for (const [name] of dups) if (!changes.has(prefix + name)) values.set(name, await this.concat([notes.get(name)!, ...dups.filter(([n]) => n === name).map(([, b]) => b)]));
    const entries: PlannedEntry[] = [...others];
    const subtrees = new Map<string, string | PlannedTree>(dirs);
    if (wantsFanout(values.keys(), dirs.keys(), remaining)) {
      const groups = new Map<string, Map<string, NoteValue>>();
      for (const [name, value] of values) {
        const key = name.slice(0, 2);
        if (!groups.has(key)) groups.set(key, new Map());
        groups.get(key)!.set(prefix + name, value);
      }
      for (const [key, group] of groups) subtrees.set(key, await this.update(dirs.get(key) ?? null, group, prefix + key));
      for (const [name, sub] of subtrees) entries.push(typeof sub === 'string' ? { mode: DIR, name, oid: sub } : { mode: DIR, name, tree: sub });
    } else {
      // Below git's threshold: notes in directories come back up to this level.
      const flat = new Map<string, string[]>();
      for (const [name, oid] of dirs) {
        for (const n of await this.list(oid, prefix + name)) {
          const rel = n.target.slice(prefix.length);
          if (changes.has(n.target)) continue;
          const here = values.get(rel);
          flat.set(rel, [...(flat.get(rel) ?? (typeof here === 'string' ? [here] : [])), n.blob]);
        }
      }
      for (const [rel, blobs] of flat) values.set(rel, blobs.length > 1 ? await this.concat(blobs) : blobs[0]);
      for (const [name, value] of values) entries.push(typeof value === 'string' ? { mode: '100644', name, oid: value } : { mode: '100644', name, data: value });
    }
    return { entries };
  }

  // Joins note blobs line-wise, as git shows duplicate notes of one object (a missing blob is a
  // CorruptObjectError: joining without it would drop its records).
  private async concat(blobs: string[]): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (const b of [...new Set(blobs)]) {
      const data = await this.objects.expect(b, 'blob', (d) => d);
      parts.push(data, data.length && data[data.length - 1] !== 0x0a ? Buffer.from('\n') : Buffer.alloc(0));
    }
    return Buffer.concat(parts);
  }
}

// A note's content in a planned change: the id of a blob git has, or new text for git to store.
export type NoteValue = string | Buffer;

// One entry of a planned tree: kept as it is (an id), a subtree that changes, or a new note.
export type PlannedEntry = TreeEntry | { mode: string; name: string; tree: PlannedTree } | { mode: string; name: string; data: Buffer };

// A notes tree as a write will leave it (see NotesTree.update).
export interface PlannedTree {
  entries: PlannedEntry[];
}
