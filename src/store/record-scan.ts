import { gitRaw } from '../git/git.js';
import { streamObjects } from './blob-stream.js';
import type { JournalEntry } from './journal.js';
import type { NotesStore } from './notes-store.js';
import type { NoteEntry } from './notes-tree.js';
import type { RecordV1 } from './record.js';

// One record as a scan of ℛ found it: the note blob it was read from (null: shown from the journal,
// which holds a record the ref lacks) and the object the note is on.
export interface ScannedRecord {
  record: RecordV1;
  blob: string | null;
  target: string;
}

// A note blob to read back (extraction's second pass): its oid and the object the note is on.
export interface NoteBlob {
  blob: string;
  target: string;
}

// What a scan needs of the repository: the notes, the line parser (which reports bad lines as store
// warnings) and the journal overlay.
export interface ScanDeps {
  notes: NotesStore;
  parse(out: RecordV1[], object: string, text: string): void;
  journaled(tip: string | null, keep: (e: JournalEntry) => boolean): JournalEntry[];
}

// Notes per batch of a scan: memory holds a few batches of note text and records. Small batches
// die young (records parsed while git's output arrives live until their batch is consumed; big
// batches outlive the young generation and fill the old one): measured on 100,000 records of
// ~4 KB, 200 per batch peaked at 324 MB RSS, 50 at 195 MB, with no loss of speed.
export const SCAN_BATCH = 50;

function isHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return s.length > 0;
}

// Every note of a notes commit, in any fanout: one `git ls-tree -r` (a walk of tens of thousands of
// fanout trees costs git a fraction of what reading them one by one here would). Should git fail on
// the walk (a broken subtree), the notes tree is walked here instead, where the damage is a typed
// error naming the object.
export async function listNotes(notes: NotesStore, tip: string | null): Promise<NoteEntry[]> {
  const root = await notes.rootOf(tip);
  if (!root) return [];
  const { stdout, code } = await gitRaw(['ls-tree', '-r', '-z', '--end-of-options', root], { cwd: notes.cwd, okCodes: [128] }).catch(() => ({ stdout: Buffer.alloc(0), code: -1 }));
  if (code !== 0) return notes.tree.list(root);
  const hexLen = notes.objects.hashLen * 2;
  const out: NoteEntry[] = [];
  // Each "<mode> <type> <oid>\t<path>\0" read from the bytes: fresh strings per note (slices of one
  // big string would keep all of git's output alive as long as any note is).
  for (let at = 0; at < stdout.length; ) {
    let end = stdout.indexOf(0, at);
    if (end < 0) end = stdout.length;
    const tab = stdout.indexOf(0x09, at);
    // Blobs only (mode 100644 or 100755): a note is a file.
    if (tab > at && tab < end && stdout[at] === 0x31 && stdout[at + 1] === 0x30 && stdout[at + 2] === 0x30 && tab - hexLen > at) {
      const path = stdout.toString('utf8', tab + 1, end);
      const target = path.includes('/') ? path.replaceAll('/', '') : path;
      if (target.length === hexLen && isHex(target)) out.push({ target, blob: stdout.toString('latin1', tab - hexLen, tab) });
    }
    at = end + 1;
  }
  return out;
}

// The records of the notes in `groups`, a group at a time: every blob through one streaming
// `cat-file --batch`, parsed as it arrives; what the stream lacks is read alone, where a missing
// or broken blob is a CorruptObjectError, never "no records".
async function* noteRecords(deps: ScanDeps, groups: NoteBlob[][]): AsyncGenerator<Array<{ note: NoteBlob; records: RecordV1[] }>> {
  const { notes } = deps;
  const parse = (note: NoteBlob, data: Buffer) => {
    const records: RecordV1[] = [];
    deps.parse(records, note.target, data.toString('utf8'));
    return { note, records };
  };
  // Parsed as git's output arrives (in its stream's data handler, which must not throw: a parse
  // that did is done again below, where its error reaches the caller).
  const early = (data: Buffer | null, note: NoteBlob): { note: NoteBlob; records: RecordV1[] | null } => {
    try {
      return data ? parse(note, data) : { note, records: null };
    } catch {
      return { note, records: null };
    }
  };
  const stream = streamObjects(notes.cwd, groups.map((list) => list.map((n) => n.blob)), (data, g, i) => early(data, groups[g][i]));
  for await (const got of stream) {
    const out: Array<{ note: NoteBlob; records: RecordV1[] }> = [];
    for (const r of got) out.push(r.records ? (r as { note: NoteBlob; records: RecordV1[] }) : parse(r.note, await notes.blob(r.note.blob, r.note.target)));
    yield out;
  }
}

// Every readable record under the notes commit `tip`, a batch of notes at a time, then the journaled
// records the ref lacks (as `all()` overlays them).
export async function* scanRecords(deps: ScanDeps, tip: string | null, batch = SCAN_BATCH): AsyncGenerator<ScannedRecord[]> {
  // The journal's records first (few: those of its grace period), each kept unless the ref has it.
  const pending = new Map<string, JournalEntry>();
  for (const e of deps.journaled(tip, () => true)) if (!pending.has(e.id)) pending.set(e.id, e);
  const list = await listNotes(deps.notes, tip);
  const groups: NoteBlob[][] = [];
  for (let i = 0; i < list.length; i += batch) groups.push(list.slice(i, i + batch));
  for await (const group of noteRecords(deps, groups)) {
    const out: ScannedRecord[] = [];
    for (const { note, records } of group) {
      for (const record of records) {
        if (pending.size) pending.delete(record.id);
        out.push({ record, blob: note.blob, target: note.target });
      }
    }
    yield out;
  }
  // The note list is done with (whatever still holds this generator's stream holds no notes).
  list.length = 0;
  groups.length = 0;
  const journaled: ScannedRecord[] = [];
  for (const e of pending.values()) {
    const records: RecordV1[] = [];
    deps.parse(records, e.tree, e.line);
    for (const record of records) journaled.push({ record, blob: null, target: e.tree });
  }
  if (journaled.length) yield journaled;
}

// The records of given note blobs, a group at a time and by blob within it, through one streaming
// `cat-file --batch` for all groups (extraction's second pass reads back its chains this way).
export async function* readBackGroups(deps: ScanDeps, groups: NoteBlob[][]): AsyncGenerator<Map<string, RecordV1[]>> {
  for await (const group of noteRecords(deps, groups)) yield new Map(group.map(({ note, records }) => [note.blob, records]));
}
