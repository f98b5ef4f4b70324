import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { storeMessages } from '../messages/store.js';
import { inspectLock, isStale, type LockHolder } from './ref-lock.js';
import type { GitNotesRepository } from './repository.js';
import type { StoreWarning } from './types.js';

// What `guardloop doctor` finds in ℛ, each problem with the command that fixes it.
export interface DoctorReport {
  ref: string;
  tip: string | null;
  notes: number;
  records: number;
  // Notes (or lines in them) that aren't readable guardloop records.
  badNotes: StoreWarning[];
  lock: (LockHolder & { stale: boolean }) | null;
  // Journal entries whose records are not yet known safe in the ref.
  journalFiles: number;
  mergeStrategy: string | null;
  problems: string[];
}

// Checks ℛ end to end: reads every note (so bad ones are listed), the lock, the journal, config.
export async function diagnose(repo: GitNotesRepository): Promise<DoctorReport> {
  const problems: string[] = [];
  const holder = inspectLock(repo.notes.refFile.lockPath);
  const lock = holder ? { ...holder, stale: isStale(holder) } : null;
  if (lock) problems.push(storeMessages.refLocked(repo.ref, lock.path, lock, 0));
  const notes = lock?.stale ? [] : await repo.notes.list().catch((e: Error) => (problems.push(storeMessages.unreadableNote(repo.ref, e.message)), []));
  const records = await repo.log();
  const badNotes = repo.warnings();
  for (const w of badNotes) problems.push(w.reason === 'locked' ? w.detail : storeMessages.badLine(w.object, w.reason, w.detail));
  const mergeStrategy = repo.notes.config.get(`notes.${repo.ref.replace(/^refs\/notes\//, '')}.mergestrategy`) ?? null;
  if (mergeStrategy !== 'cat_sort_uniq') problems.push(`notes.guardloop.mergeStrategy is ${mergeStrategy ?? 'unset'}: a plain \`git notes merge\` of ℛ may stop on conflicts. Fix: git config notes.guardloop.mergeStrategy cat_sort_uniq`);
  removeLeftovers(join(repo.notes.dirs.commonDir, 'guardloop'));
  return { ref: repo.ref, tip: repo.notes.tip(), notes: notes.length, records: records.length, badNotes, lock, journalFiles: repo.journal.read().length, mergeStrategy, problems };
}

// Temp files of killed writers (older than an hour).
function removeLeftovers(dir: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.endsWith('.tmp')) continue;
    try {
      if (Date.now() - statSync(join(dir, n)).mtimeMs > 3_600_000) unlinkSync(join(dir, n));
    } catch {
      // gone
    }
  }
}

// `guardloop doctor --unlock`: removes `<ref>.lock` only when it is stale (its guardloop holder is
// dead, or an unidentified holder has had it far longer than a ref update takes).
export function unlockStale(repo: GitNotesRepository): { removed: boolean; holder: LockHolder | null; message: string } {
  const holder = inspectLock(repo.notes.refFile.lockPath);
  if (!holder) return { removed: false, holder, message: storeMessages.noLock() };
  if (!isStale(holder)) return { removed: false, holder, message: storeMessages.lockNotStale(holder.path, holder.pid) };
  try {
    unlinkSync(holder.path);
  } catch {
    // removed meanwhile
  }
  return { removed: true, holder, message: storeMessages.lockCleared(holder.path) };
}
