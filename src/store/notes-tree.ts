import { formatTree, parseTree, type TreeEntry } from '../git/objects-format.js';
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
    if (this.trees.size > 4096) this.trees.clear();
    this.trees.set(oid, entries);
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

  // Every note under a tree, in any layout git reads (flat, fanout, mixed).
  async list(root: string | null, prefix = ''): Promise<NoteEntry[]> {
    if (!root) return [];
    const { notes, dups, dirs } = this.classify(await this.readTree(root), prefix.length);
    const out: NoteEntry[] = [];
    for (const [name, blob] of notes) out.push({ target: prefix + name, blob });
    for (const [name, blob] of dups) out.push({ target: prefix + name, blob });
    for (const [name, oid] of dirs) out.push(...(await this.list(oid, prefix + name)));
    return out;
  }

  // Writes the trees that change when `changes` (target → blob) are set, laying each level out
  // as git would, and returns the new root tree.
  async update(root: string | null, changes: Map<string, string>, prefix = ''): Promise<string> {
    const { notes, dups, dirs, others, remaining } = this.classify(root ? await this.readTree(root) : [], prefix.length);
    for (const [target, blob] of changes) notes.set(target.slice(prefix.length), blob);
    for (const [name] of dups) if (!changes.has(prefix + name)) notes.set(name, await this.concat([notes.get(name)!, ...dups.filter(([n]) => n === name).map(([, b]) => b)]));
    const entries: TreeEntry[] = [...others];
    if (wantsFanout(notes.keys(), dirs.keys(), remaining)) {
      const groups = new Map<string, Map<string, string>>();
      for (const [name, blob] of notes) {
        const key = name.slice(0, 2);
        if (!groups.has(key)) groups.set(key, new Map());
        groups.get(key)!.set(prefix + name, blob);
      }
      for (const [key, group] of groups) dirs.set(key, await this.update(dirs.get(key) ?? null, group, prefix + key));
      for (const [name, oid] of dirs) entries.push({ mode: DIR, name, oid });
    } else {
      // Below git's threshold: notes in directories come back up to this level.
      const flat = new Map<string, string[]>();
      for (const [name, oid] of dirs) {
        for (const n of await this.list(oid, prefix + name)) {
          const rel = n.target.slice(prefix.length);
          if (changes.has(n.target)) continue;
          flat.set(rel, [...(flat.get(rel) ?? (notes.has(rel) ? [notes.get(rel)!] : [])), n.blob]);
        }
      }
      for (const [rel, blobs] of flat) notes.set(rel, blobs.length > 1 ? await this.concat(blobs) : blobs[0]);
      for (const [name, oid] of notes) entries.push({ mode: '100644', name, oid });
    }
    const oid = this.objects.write('tree', formatTree(entries));
    this.trees.set(oid, entries);
    return oid;
  }

  // Joins note blobs line-wise, as git shows duplicate notes of one object (a missing blob is a
  // CorruptObjectError: joining without it would drop its records).
  private async concat(blobs: string[]): Promise<string> {
    const parts: Buffer[] = [];
    for (const b of [...new Set(blobs)]) {
      const data = await this.objects.expect(b, 'blob', (d) => d);
      parts.push(data, data.length && data[data.length - 1] !== 0x0a ? Buffer.from('\n') : Buffer.alloc(0));
    }
    return this.objects.write('blob', Buffer.concat(parts));
  }
}
