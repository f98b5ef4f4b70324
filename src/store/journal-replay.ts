import type { Journal, JournalEntry, JournalFile } from './journal.js';
import { lineIds } from './record-line.js';
import { restoreSubject } from '../messages/store.js';
import type { NotesStore } from './notes-store.js';

// How long a journal file stays after its records reached the ref (a racing native writer may
// still drop them within that time).
const JOURNAL_GRACE_MS = 60_000;

// What a replay needs of the repository: its notes and journal, and its own write and housekeeping.
export interface ReplayDeps {
  notes: NotesStore;
  journal: Journal;
  store(entries: JournalEntry[], message: string): Promise<{ added: number; tip: string | null; written: string[] }>;
  housekeep(written: string[]): Promise<void>;
}

// Replays the journal: restores records a racing writer dropped, forgets the ones safe for long
// enough. Reads the ref's history, its notes of the journaled trees, and writes what is missing;
// a damaged ref is a CorruptObjectError/CorruptRefError (the caller decides what a read does with it).
export async function replayJournal(d: ReplayDeps): Promise<number> {
  const tip = d.notes.tip();
  // Nothing moved the ref since the last check, so nothing can have been dropped; every file was
  // stored (a write that never finished — a lock, a kill — is replayed); and old files were cleared
  // less than a grace period ago. Then the check is skipped: a commit hook pays one small listing
  // for it, however many appends the journal holds.
  const mark = d.journal.verified();
  if (tip && mark?.tip === tip && Date.now() - mark.checkedAt < JOURNAL_GRACE_MS && !d.journal.hasPending()) return 0;
  const files = d.journal.read();
  if (!files.length) return 0;
  // Files whose notes commit is on the ref's history with only guardloop commits after it need no lookups.
  const oldestMs = Math.max(...files.map((f) => f.ageMs));
  // The tip first: a damaged one is reported as the ref's (with the ref's repair), not as history's.
  const root = await d.notes.rootOf(tip);
  const history = await d.notes.history(tip, Math.floor((Date.now() - oldestMs) / 1000) - 120);
  const idsOf = new Map<string, Set<string>>();
  const missing: JournalEntry[] = [];
  const restoring: JournalFile[] = [];
  const { parseRecordLine } = await import('./record-schema.js');
  for (const file of files) {
    // The ref was deleted (`git update-ref -d`): no native writer drops a ref, so ℛ was emptied on
    // purpose, and what had reached it stays gone (a write that never reached it is still stored).
    if (!tip && file.commit) {
      d.journal.remove(file.path);
      continue;
    }
    const stored = file.commit ? history.get(file.commit) : undefined;
    if (stored?.kept) {
      if (file.ageMs > JOURNAL_GRACE_MS) d.journal.remove(file.path);
      continue;
    }
    // The first native commit after this file's came more than a grace period later: it could not
    // have been built on a tree read before the records were stored, so what it took away was
    // removed on purpose (`git notes remove`, `update-ref`): the journal lets it go.
    if (stored && stored.nativeGapSec !== null && stored.nativeGapSec * 1000 > JOURNAL_GRACE_MS) {
      d.journal.remove(file.path);
      continue;
    }
    let fileMissing = 0;
    for (const e of file.entries()) {
      // Only record lines go back into ℛ (a journal file edited by hand can't put anything else there).
      if (!parseRecordLine(e.line).ok) continue;
      if (!idsOf.has(e.tree)) idsOf.set(e.tree, lineIds((await d.notes.noteIn(root, e.tree))?.toString('utf8') ?? ''));
      if (!idsOf.get(e.tree)!.has(e.id)) {
        missing.push(e);
        fileMissing++;
      }
    }
    if (fileMissing) restoring.push(file);
    else if (file.ageMs > JOURNAL_GRACE_MS) d.journal.remove(file.path);
  }
  if (!missing.length) {
    d.journal.markVerified(tip, true);
    return 0;
  }
  const restored = await d.store(missing, restoreSubject(missing.length));
  // Their grace period starts again: a racing native writer may drop the restoring commit too.
  if (restored.tip) for (const file of restoring) d.journal.renew(file, restored.tip);
  d.journal.markVerified(restored.tip, true);
  await d.housekeep(restored.written);
  return restored.added;
}
