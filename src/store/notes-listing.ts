import type { NoteEntry } from './notes-tree.js';

// Lower-case hex from `from` to `to` (the listing as latin1: one character per byte).
function isHexAt(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return to > from;
}

// The directory of the listing whose entries are being read at one depth: its path, whether
// NotesTree.list walks it, the ids' prefix its path makes, and its last entry's name.
interface OpenDir {
  path: string;
  walked: boolean;
  prefix: string;
  last: string | null;
}

// The notes NotesTree.list finds under a tree, read from that tree's `git ls-tree -r -t -z` listing
// as git writes it, instead of tree by tree (at 100,000 notes the walk reads some 50,000 fanout
// trees one by one; git lists them in a fraction of the time). The same rules: a directory is
// walked when its name is two lower-case hex digits and more than two digits of the id are left, a
// non-directory is a note when its name is the rest of the id; each note comes with the level the
// walk finds it on (the listing goes depth first, the walk level by level: each level's notes in
// listing order are the walk's). The listing can't say what the walk would when a directory's
// entries aren't in strictly ascending byte order (a tree git doesn't write, where the walk decides
// what duplicate names mean), or a line is out of place or of another shape (a name with a slash):
// then `ok` turns false and the caller walks the tree.
export class NotesListing {
  private readonly open: OpenDir[] = [{ path: '', walked: true, prefix: '', last: null }];
  ok = true;

  constructor(private readonly hexLen: number) {}

  // Reads the complete lines in `text` (latin1; it ends with a line's NUL), handing each note to
  // `found`. False once the listing can't say (see above).
  feed(text: string, found: (note: NoteEntry, level: number) => void): boolean {
    if (!this.ok) return false;
    const { hexLen, open } = this;
    for (let at = 0; at < text.length; ) {
      // "<mode, 6 digits> <type> <oid>\t<path>\0"
      if (text.charCodeAt(at + 6) !== 0x20) return (this.ok = false);
      const type = text.charCodeAt(at + 7);
      const isTree = type === 0x74;
      const oidAt = at + 7 + (type === 0x63 ? 6 : 4) + 1;
      const tab = oidAt + hexLen;
      if (text.charCodeAt(tab) !== 0x09) return (this.ok = false);
      let depth = 0;
      let nameAt = tab + 1;
      let end = nameAt;
      for (; end < text.length; end++) {
        const c = text.charCodeAt(end);
        if (c === 0) break;
        if (c === 0x2f) {
          depth += 1;
          nameAt = end + 1;
        }
      }
      at = end + 1;
      // git lists a directory's entries right after the directory.
      const dir = open[depth];
      if (!dir || (depth && (nameAt - 1 - (tab + 1) !== dir.path.length || !text.startsWith(dir.path, tab + 1)))) return (this.ok = false);
      if (isTree) open[depth + 1] = { path: text.slice(tab + 1, end), walked: false, prefix: '', last: null };
      if (!dir.walked) continue;
      const name = text.slice(nameAt, end);
      if (dir.last !== null && !(name > dir.last)) return (this.ok = false);
      dir.last = name;
      const remaining = hexLen - 2 * depth;
      if (isTree) {
        if (name.length === 2 && remaining > 2 && isHexAt(text, nameAt, end)) {
          const sub = open[depth + 1];
          sub.walked = true;
          sub.prefix = dir.prefix + name;
        }
      } else if (name.length === remaining && isHexAt(text, nameAt, end)) {
        found({ target: dir.prefix + name, blob: text.slice(oidAt, tab) }, depth);
      }
    }
    return true;
  }
}
