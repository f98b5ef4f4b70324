import { BlobStream } from './blob-stream.js';
import { FollowedOutput } from './followed-output.js';
import { NotesListing } from './notes-listing.js';
import type { NoteEntry } from './notes-tree.js';
import type { RecordV1 } from './record.js';
import type { ScanDeps } from './record-scan.js';
import type { StoreWarning } from './types.js';

// What reading all of ℛ needs of the repository besides a scan's: a line parser that, given
// `held`, keeps its warnings there instead of reporting them, and the way to report them later.
export interface ReadAllDeps extends ScanDeps {
  parse(out: RecordV1[], object: string, text: string, held?: StoreWarning[]): void;
  report(warning: StoreWarning): void;
}

// How much of the listing is read at a time (a line is far shorter).
const LISTING_READ = 1 << 20;

// Every readable record under the notes commit `tip`, in the order NotesTree.list finds the notes
// (no particular global order), each bad line reported as a store warning in that order, then the
// journaled records the ref lacks. Usually in one pass where git lists the notes while it reads
// their blobs and the records are parsed (see listedPass); else note by note as the walk finds them
// (see walkedPass), which also decides what a damaged repository gives. Reads nothing but git's
// objects, and writes nothing.
export async function readAll(deps: ReadAllDeps, tip: string | null): Promise<RecordV1[]> {
  let out: RecordV1[] = [];
  if (tip) {
    // git lists the tip's tree while the tip is read here (a damaged one is rootOf's error).
    const rooted = deps.notes.rootOf(tip);
    rooted.catch(() => undefined);
    const pass = await listedPass(deps, tip);
    const root = (await rooted)!;
    if (pass && 'records' in pass) {
      for (const w of pass.held) deps.report(w);
      out = pass.records;
    } else out = await walkedPass(deps, pass?.notes ?? (await deps.notes.tree.list(root)));
  }
  // The journal's records the ref lacks (an id set only when there are any: usually the journal
  // was last found complete at this tip and there is nothing to add).
  const pending = deps.journaled(tip, () => true);
  if (pending.length) {
    const ids = new Set(out.map((r) => r.id));
    for (const e of pending) {
      if (ids.has(e.id)) continue;
      ids.add(e.id);
      deps.parse(out, e.tree, e.line);
    }
  }
  return out;
}

// The records of `notes` in their order, the blobs through one stream: what it lacks is read alone,
// where a missing or broken blob is a CorruptObjectError, never "no records".
async function walkedPass(deps: ReadAllDeps, notes: NoteEntry[]): Promise<RecordV1[]> {
  const out: RecordV1[] = [];
  if (!notes.length) return out;
  const stream = new BlobStream(deps.notes.cwd, notes.map((n) => n.blob));
  try {
    let i = 0;
    for await (const run of stream.runs()) {
      for (const data of run) {
        const n = notes[i++];
        deps.parse(out, n.target, (data ?? (await deps.notes.blob(n.blob, n.target))).toString('utf8'));
      }
    }
  } finally {
    stream.close();
  }
  return out;
}

// The notes of the notes commit `tip` as `git ls-tree -r -t` lists them (NotesListing), each
// note's blob asked for as soon as the listing names it, and its records parsed as git writes
// them: git's listing, git's reading and the parsing overlap (one after the other, the listing was
// a tenth of the time at 100,000 notes). The records come back in the walk's order (kept level by
// level, joined at the end), with their warnings held, in that order, for the caller to report.
// The pass gives up when the listing can't say what the walk finds or git didn't list the whole
// tree (null: walk the tree), or when a blob didn't come through the stream (the notes, in the
// walk's order: read them note by note, where a missing blob is the error it is).
async function listedPass(deps: ReadAllDeps, tip: string): Promise<{ records: RecordV1[]; held: StoreWarning[] } | { notes: NoteEntry[] } | null> {
  const { notes: store } = deps;
  const listing = new FollowedOutput(store.cwd, ['ls-tree', '-r', '-t', '-z', '--end-of-options', tip], 'ignore');
  const stream = new BlobStream(store.cwd);
  const parser = new NotesListing(store.objects.hashLen * 2);
  const notes: NoteEntry[] = [];
  const levels: number[] = [];
  try {
    // The listing, as git writes it, a run of complete lines at a time; each run's blobs are asked
    // for at once. The stream ends with the listing (or is aborted: the listing can't say).
    const listed = (async () => {
      const buf = Buffer.allocUnsafe(LISTING_READ);
      let have = 0;
      while (have < buf.length) {
        const n = listing.read(buf, have, buf.length);
        if (n < 0) return listing.code === 0 && have === 0;
        if (!n) {
          await listing.waitForOutput();
          continue;
        }
        have += n;
        const cut = buf.lastIndexOf(0, have - 1);
        if (cut < 0) continue;
        const asked: string[] = [];
        const ok = parser.feed(buf.toString('latin1', 0, cut + 1), (note, level) => {
          asked.push(note.blob);
          notes.push(note);
          levels.push(level);
        });
        if (!ok) return false;
        stream.push(asked);
        buf.copy(buf, 0, cut + 1, have);
        have -= cut + 1;
      }
      return false;
    })().then(
      (ok) => {
        if (ok) stream.end();
        else stream.abort();
        return ok;
      },
      () => {
        stream.abort();
        return false;
      },
    );
    const records: RecordV1[][] = [];
    const held: StoreWarning[][] = [];
    let i = 0;
    let whole = true;
    for await (const run of stream.runs()) {
      for (const data of run) {
        if (!data) {
          whole = false;
          break;
        }
        const level = levels[i];
        deps.parse((records[level] ??= []), notes[i++].target, data.toString('utf8'), (held[level] ??= []));
      }
      if (!whole) break;
    }
    if (!(await listed)) return null;
    if (i < notes.length) return { notes: inWalkOrder(notes, levels) };
    return { records: records.flat(), held: held.flat() };
  } finally {
    listing.close();
    stream.close();
  }
}

// Notes listed depth first, as the walk finds them: level by level, each level in listing order.
function inWalkOrder(notes: NoteEntry[], levels: number[]): NoteEntry[] {
  const byLevel: NoteEntry[][] = [];
  notes.forEach((n, i) => (byLevel[levels[i]] ??= []).push(n));
  return byLevel.flat();
}
