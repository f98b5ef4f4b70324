import { TreeMissingError } from '../errors/tree-missing-error.js';
import { CatFileBatch } from '../git/cat-file.js';
import { parseTree, type TreeEntry } from '../git/objects-format.js';

// Reads the content of given paths in a record's tree (what `--artifact files` shows): a map from
// each path to its bytes after the change, null for a path the tree lacks (the change deleted it).
export type ReadTreeFiles = (tree: string, paths: string[]) => Promise<Map<string, Buffer | null>>;

// A tree reader and the end of the git process it reads through (when it started one).
export interface TreeFiles {
  readTreeFiles: ReadTreeFiles;
  close(): void;
}

const DIR_MODE = '40000';
const GITLINK_MODE = '160000';

type Dir = Map<string, TreeEntry> | null;

function entriesOf(body: Buffer, hashLen: number): Map<string, TreeEntry> {
  return new Map(parseTree(body, hashLen).map((e) => [e.name, e]));
}

// Why trees are walked rather than read as `<tree>:<path>`: cat-file answers a missing name by
// echoing it ("<name> missing"), which can't be told apart from an object header when the path has
// a space, and a path with a newline can't be asked at all. Oids have neither. Every object of one
// call goes through the warm process in one batch per directory depth.
async function readPaths(batch: CatFileBatch, tree: string, paths: string[]): Promise<Map<string, Buffer | null>> {
  const hashLen = tree.length / 2;
  const root = await batch.read(tree);
  if (!root || root.type !== 'tree') throw new TreeMissingError(tree);
  const dirs = new Map<string, Dir>([['', entriesOf(root.data, hashLen)]]);
  const wanted = [...new Set(paths)];
  const split = wanted.map((p) => p.split('/'));
  const depth = Math.max(0, ...split.map((s) => s.length - 1));
  for (let d = 1; d <= depth; d++) {
    const need: Array<{ dir: string; oid: string }> = [];
    for (const parts of split) {
      if (parts.length - 1 < d) continue;
      const dir = parts.slice(0, d).join('/');
      if (dirs.has(dir)) continue;
      const entry = dirs.get(parts.slice(0, d - 1).join('/'))?.get(parts[d - 1]);
      // Unknown until read: a directory the tree lacks stays null.
      dirs.set(dir, null);
      if (entry && entry.mode === DIR_MODE) need.push({ dir, oid: entry.oid });
    }
    const objects = await batch.readMany(need.map((n) => n.oid));
    need.forEach((n, i) => {
      const o = objects[i];
      if (o && o.type === 'tree') dirs.set(n.dir, entriesOf(o.data, hashLen));
    });
  }
  const out = new Map<string, Buffer | null>();
  const blobs: Array<{ path: string; oid: string }> = [];
  wanted.forEach((path, i) => {
    const parts = split[i];
    const entry = dirs.get(parts.slice(0, -1).join('/'))?.get(parts[parts.length - 1]);
    if (!entry || entry.mode === DIR_MODE) out.set(path, null);
    // wording-ok: git's own text for a submodule's content, as `git diff` shows it
    else if (entry.mode === GITLINK_MODE) out.set(path, Buffer.from(`Subproject commit ${entry.oid}\n`));
    else blobs.push({ path, oid: entry.oid });
  });
  const objects = await batch.readMany(blobs.map((b) => b.oid));
  blobs.forEach((b, i) => out.set(b.path, objects[i]?.data ?? null));
  // The caller's order, duplicates included once.
  return new Map(wanted.map((p) => [p, out.get(p) ?? null]));
}

// A reader of record trees for `--artifact files`, through one warm `git cat-file` for all reads:
// its own, started in `cwd` (ended by close()), or one the caller already has (left open).
export function treeFiles(source: string | CatFileBatch): TreeFiles {
  const own = typeof source === 'string';
  const batch = typeof source === 'string' ? new CatFileBatch(source) : source;
  return {
    readTreeFiles: (tree, paths) => readPaths(batch, tree, paths),
    close() {
      if (own) batch.close();
    },
  };
}
