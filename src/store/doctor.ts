import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CorruptObjectError } from '../errors/corrupt-object-error.js';
import { CorruptRefError } from '../errors/corrupt-ref-error.js';
import { NO_LOCK, lockCleared, mergeStrategyUnset, lockNotStale, packLeftover, packLeftoverCleared, refLocked, unreadableNote, warningText } from '../messages/store.js';
import type { PackLeftover } from './autopack.js';
import { inspectLock, isStale, type LockHolder } from '../git/ref-lock.js';
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
  // Files a killed packer left (pack.lock, claims on the loose-object list); `--unlock` clears them.
  packLeftovers: PackLeftover[];
  // Journal entries whose records are not yet known safe in the ref.
  journalFiles: number;
  mergeStrategy: string | null;
  // The repository's hash and ref backend (reftable refs are read and written through git).
  objectFormat: 'sha1' | 'sha256';
  refStorage: 'files' | 'reftable';
  // The repository is damaged (a corrupt, missing or mistyped object, a garbled ref): exit 2.
  damaged: boolean;
  problems: string[];
}

// Checks ℛ end to end: reads every note (so bad ones are listed), the lock, the journal, config.
export async function diagnose(repo: GitNotesRepository): Promise<DoctorReport> {
  const problems: string[] = [];
  const holder = heldLock(repo);
  const lock = holder ? { ...holder, stale: isStale(holder) } : null;
  if (lock) problems.push(refLocked(repo.ref, lock.path, lock, 0));
  // A damaged repository is a finding here (its message names the object and `git fsck`), not a
  // crash; the same damage met by several readers is listed once.
  const seen = new Set<string>();
  let damaged = false;
  const unreadable = (e: unknown): [] => {
    if (!isDamage(e)) throw e;
    damaged = true;
    const key = e instanceof CorruptRefError ? `ref ${e.data.file}` : `object ${e.data.oid}`;
    if (!seen.has(key)) problems.push(e.message);
    seen.add(key);
    return [];
  };
  // doctor is on the write side: it restores what the journal holds and the ref lacks (a held lock
  // or a failure is a warning; damage is a finding, below).
  if (!lock) await repo.restoreJournal().catch(unreadable);
  const tip = readTip(repo, unreadable);
  const notes = lock?.stale ? [] : await repo.notes.list().catch((e: Error) => (isDamage(e) ? unreadable(e) : (problems.push(unreadableNote(repo.ref, e.message)), [])));
  const records = await repo.log().catch(unreadable);
  const badNotes = repo.warnings();
  for (const w of badNotes) problems.push(warningText(w));
  const packLeftovers = repo.autopack.leftovers();
  for (const l of packLeftovers) problems.push(packLeftover(l.kind, l.path, l.pid));
  const mergeStrategy = repo.notes.config.get(`notes.${repo.ref.replace(/^refs\/notes\//, '')}.mergestrategy`) ?? null;
  if (mergeStrategy !== 'cat_sort_uniq') problems.push(mergeStrategyUnset(mergeStrategy));
  removeLeftovers(join(repo.notes.dirs.commonDir, 'guardloop'));
  const format = { objectFormat: repo.notes.objects.algo, refStorage: repo.notes.refStorage };
  return { ref: repo.ref, tip, notes: notes.length, records: records.length, badNotes, lock, packLeftovers, journalFiles: repo.journal.read().length, mergeStrategy, ...format, damaged, problems };
}

// guardloop's writer lock, or git's own `<ref>.lock` (a native writer's, or one an older guardloop held).
function heldLock(repo: GitNotesRepository): LockHolder | null {
  return inspectLock(repo.notes.refFile.lockPath) ?? inspectLock(repo.notes.refFile.gitLockPath);
}

function isDamage(e: unknown): e is CorruptObjectError | CorruptRefError {
  return e instanceof CorruptObjectError || e instanceof CorruptRefError;
}

function readTip(repo: GitNotesRepository, unreadable: (e: unknown) => []): string | null {
  try {
    return repo.notes.tip();
  } catch (e) {
    unreadable(e);
    return null;
  }
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
// dead, or an unidentified holder has had it far longer than a ref update takes), and what a killed
// packer left (its pack.lock, its claims on the loose-object list, which go back on the list).
export function unlockStale(repo: GitNotesRepository): { removed: boolean; holder: LockHolder | null; message: string } {
  const cleared = repo.autopack.clearLeftovers().map((l) => packLeftoverCleared(l.kind, l.path));
  const holder = heldLock(repo);
  const say = (text: string) => [...cleared, text].join('\n');
  if (!holder) return { removed: false, holder, message: say(NO_LOCK) };
  if (!isStale(holder)) return { removed: false, holder, message: say(lockNotStale(holder.path, holder.pid)) };
  try {
    unlinkSync(holder.path);
  } catch {
    // removed meanwhile
  }
  return { removed: true, holder, message: say(lockCleared(holder.path)) };
}
