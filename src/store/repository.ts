import { gitRaw } from '../git/git.js';
import { AmbiguousRecordError } from '../errors/ambiguous-record-error.js';
import { RecordNotFoundError } from '../errors/record-not-found-error.js';
import { CorruptObjectError } from '../errors/corrupt-object-error.js';
import { CorruptRefError } from '../errors/corrupt-ref-error.js';
import { GuardloopError } from '../errors/guardloop-error.js';
import { RefLockedError } from '../errors/ref-locked-error.js';
import { StoreReadError } from '../errors/store-read-error.js';
import { AutoPack } from './autopack.js';
import { capDiff, DEFAULT_MAX_DIFF_BYTES } from './diff-cap.js';
import { configInt } from '../git/config.js';
import { readGitConfig } from '../git/config.js';
import { findGitDirs, type GitDirs } from '../git/git-dir.js';
import { Journal, type JournalEntry } from './journal.js';
import { replayJournal } from './journal-replay.js';
import { NotesStore } from './notes-store.js';
import type { RecordV1 } from './record.js';
import { lineIds, recordLine } from './record-line.js';
import { redactDraft } from './redact.js';
import { storeMessages } from '../messages/store.js';
import type { AppendResult, LogFilter, Repository, StoreWarning } from './types.js';

type ParseRecordLine = typeof import('./record-schema.js').parseRecordLine;

// The ref ℛ lives on unless a caller names another.
export const DEFAULT_REF = 'refs/notes/guardloop';

export interface OpenRepositoryOptions {
  cwd: string;
  ref?: string;
  // Patterns from config (`redact:`) masked on top of the built-in secret kinds.
  redact?: RegExp[];
  // Diffs above this are cut with a marker (default 1 MiB).
  maxDiffBytes?: number;
  // The repository's directories when the caller already found them (saves a second discovery).
  dirs?: GitDirs;
}

// ℛ on git notes: records as JSON lines in the note of their tree, in git's own notes format.
export class GitNotesRepository implements Repository {
  private readonly warned = new Map<string, StoreWarning>();
  private replay: Promise<number> | null = null;
  // The last replay failed: the next write replays again.
  private replayFailed = false;
  // Housekeeping failures not yet handed to a caller (the next append returns them).
  private housekept: string[] = [];
  readonly journal: Journal;
  // Packs what writes left loose (doctor reports and clears what a killed packer left).
  readonly autopack: AutoPack;

  constructor(
    readonly notes: NotesStore,
    private readonly opts: OpenRepositoryOptions,
  ) {
    this.journal = new Journal(notes.dirs.commonDir);
    this.autopack = new AutoPack(notes.dirs.commonDir, notes.dirs.objectsDir, notes.cwd, configInt(notes.config.get('guardloop.autopack'), 2000), notes.objects.hashLen * 2);
  }

  get ref(): string {
    return this.notes.ref;
  }

  async append(records: RecordV1[], opts: { prepared?: boolean } = {}): Promise<AppendResult> {
    if (!records.length) return { warnings: this.takeWarnings() };
    await this.restoreJournal(true);
    const entries = records.map((r) => {
      const safe = opts.prepared ? r : capDiff(redactDraft(r, this.opts.redact), this.opts.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES);
      return { tree: safe.tree, id: safe.id, line: recordLine(safe) };
    });
    // Journal first: if the ref write is lost (a crash, a racing native writer), the next command restores it.
    const journaled = this.journal.write(entries);
    const { tip, written } = await this.store(entries, `guardloop: record ${entries.length === 1 ? entries[0].id : `${entries.length} records`}`);
    if (tip) this.journal.stored(journaled, tip);
    // Checked before the write (restoreJournal) and written by compare-and-swap on top of that.
    this.journal.markVerified(tip, false);
    // The records are in the ref: from here on nothing fails the append.
    await this.housekeep(written);
    return { warnings: this.takeWarnings() };
  }

  // Packs what a write left loose; a failure is a warning (the objects are packed by a later write).
  private async housekeep(written: string[]): Promise<void> {
    try {
      await this.autopack.note(written);
    } catch (e) {
      this.housekept.push(storeMessages.autopackFailed(e instanceof Error ? e.message : String(e)));
    }
  }

  private takeWarnings(): string[] {
    return this.housekept.splice(0);
  }

  // Adds record lines to the notes of their trees, skipping ids already there.
  // Returns the objects the write left loose, for housekeeping once the caller is done with the ref.
  private async store(entries: JournalEntry[], message: string): Promise<{ added: number; tip: string | null; written: string[] }> {
    let added = 0;
    const before = this.notes.objects.written.length;
    const tip = await this.notes.update(async (_tip, root) => {
      added = 0;
      const byTree = new Map<string, JournalEntry[]>();
      for (const e of entries) byTree.set(e.tree, [...(byTree.get(e.tree) ?? []), e]);
      const changes = new Map<string, Buffer>();
      for (const [tree, list] of byTree) {
        const existing = (await this.notes.noteIn(root, tree))?.toString('utf8') ?? '';
        const ids = lineIds(existing);
        const lines: string[] = [];
        for (const e of list) {
          if (ids.has(e.id)) continue;
          ids.add(e.id);
          lines.push(e.line);
        }
        if (!lines.length) continue;
        added += lines.length;
        const head = existing && !existing.endsWith('\n') ? `${existing}\n` : existing;
        changes.set(tree, Buffer.from(`${head}${lines.join('\n')}\n`, 'utf8'));
      }
      return changes.size ? { notes: changes, message } : null;
    });
    return { added, tip, written: this.notes.objects.written.slice(before) };
  }

  // Replays the journal: restores records a racing writer dropped, forgets the ones safe for long enough.
  // Once per repository opened. A write (`forWrite`) gets any failure, and replays again after a read's
  // failed; a read goes on without it unless the repository is damaged (CorruptObjectError,
  // CorruptRefError, which the read would meet too): a held lock, a git or file system failure while
  // restoring becomes a warning, and the journal keeps the records for the next command.
  restoreJournal(forWrite = false): Promise<number> {
    if (!this.replay || (forWrite && this.replayFailed)) {
      this.replayFailed = false;
      const attempt = replayJournal({ notes: this.notes, journal: this.journal, store: (e, m) => this.store(e, m), housekeep: (w) => this.housekeep(w) });
      attempt.catch(() => {
        if (this.replay === attempt) this.replayFailed = true;
      });
      this.replay = attempt;
    }
    return forWrite ? this.replay : this.replay.catch((e: unknown) => this.replayFailedForRead(e));
  }

  private replayFailedForRead(e: unknown): number {
    if (e instanceof CorruptObjectError || e instanceof CorruptRefError) throw e;
    if (e instanceof RefLockedError) this.warn({ object: this.ref, reason: 'locked', detail: e.message });
    else this.warn({ object: this.ref, reason: 'journal', detail: (e instanceof Error ? e.message : String(e)).split('\n')[0] });
    return 0;
  }

  async byTree(tree: string): Promise<RecordV1[]> {
    return this.reading('byTree', async () => {
      await this.restoreJournal();
      const text = (await this.notes.note(tree))?.toString('utf8') ?? null;
      return text === null ? [] : await this.parse(tree, text);
    });
  }

  // Every readable record, in note order (no particular global order).
  all(): Promise<RecordV1[]> {
    return this.reading('all', async () => {
      await this.restoreJournal();
      const out: RecordV1[] = [];
      const notes = await this.notes.list();
      if (!notes.length) return out;
      // One pass over the packs in offset order; what isn't packed (or can't be read there) is read
      // one by one, where a missing or broken blob is a CorruptObjectError, never "no records".
      const packed = this.notes.objects.readManyPacked(notes.map((n) => n.blob));
      const { parseRecordLine } = await import('./record-schema.js');
      for (let i = 0; i < notes.length; i++) {
        const n = notes[i];
        const obj = packed[i];
        const data = obj?.type === 'blob' ? obj.data : await this.notes.blob(n.blob, n.target);
        this.parseInto(out, n.target, data.toString('utf8'), parseRecordLine);
      }
      return out;
    });
  }

  // Runs a read of ℛ; what it throws is typed: a GuardloopError as it is (damage, git, a lock, a
  // record not found), anything else as a StoreReadError.
  private async reading<T>(operation: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (e) {
      throw e instanceof GuardloopError ? e : new StoreReadError(this.ref, operation, e);
    }
  }

  async log(filter: LogFilter = {}): Promise<RecordV1[]> {
    const since = filter.since?.getTime();
    const seen = new Set<string>();
    const matches = (await this.all()).filter((r) => {
      if (seen.has(r.id)) return false;
      seen.add(r.id);
      if (filter.status && r.status !== filter.status) return false;
      if (filter.source && r.source !== filter.source) return false;
      if (filter.hook && r.hook !== filter.hook) return false;
      if (since !== undefined && !(Date.parse(r.ts) >= since)) return false;
      return true;
    });
    matches.sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : a.id < b.id ? -1 : 1));
    return filter.limit !== undefined ? matches.slice(0, filter.limit) : matches;
  }

  show(ref: string): Promise<RecordV1[]> {
    return this.reading('show', () => this.showRecords(ref));
  }

  private async showRecords(ref: string): Promise<RecordV1[]> {
    const q = ref.trim();
    if (/^[0-9a-f]{4,64}$/i.test(q)) {
      const byId = new Map((await this.all()).filter((r) => r.id.startsWith(q.toLowerCase())).map((r) => [r.id, r]));
      if (byId.size === 1) return [...byId.values()];
      if (byId.size > 1) throw new AmbiguousRecordError(q, [...byId.keys()]);
    }
    const tree = q.startsWith('-') ? null : await this.resolveTree(q);
    if (!tree) throw new RecordNotFoundError(q);
    return this.byTree(tree);
  }

  private async resolveTree(rev: string): Promise<string | null> {
    const { stdout, code } = await gitRaw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{tree}`], { cwd: this.notes.cwd, okCodes: [1, 128] });
    return code === 0 ? stdout.toString('utf8').trim() : null;
  }

  // Validates each line with the record schema, loaded on first use (a commit on new content never needs it).
  private async parse(object: string, text: string): Promise<RecordV1[]> {
    const { parseRecordLine } = await import('./record-schema.js');
    const out: RecordV1[] = [];
    this.parseInto(out, object, text, parseRecordLine);
    return out;
  }

  private parseInto(out: RecordV1[], object: string, text: string, parseRecordLine: ParseRecordLine): void {
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (!line.trim()) continue;
      const p = parseRecordLine(line);
      if (p.ok) out.push(p.record);
      else this.warn({ object, reason: p.reason, detail: p.detail });
    }
  }

  private warn(w: StoreWarning): void {
    this.warned.set(`${w.object}\0${w.reason}\0${w.detail}`, w);
  }

  warnings(): StoreWarning[] {
    return [...this.warned.values()];
  }

  async close(): Promise<void> {
    this.notes.close();
  }
}

// Opens ℛ in the repository of `cwd` (no git process is started for the common layouts).
export async function openRepository(opts: OpenRepositoryOptions): Promise<GitNotesRepository> {
  const dirs = opts.dirs ?? (await findGitDirs(opts.cwd));
  const config = await readGitConfig({ cwd: opts.cwd, ...dirs });
  return new GitNotesRepository(new NotesStore(dirs, opts.cwd, opts.ref ?? DEFAULT_REF, config), opts);
}
