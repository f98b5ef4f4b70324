import { gitRaw } from '../git/git.js';
import { AmbiguousRecordError } from '../errors/ambiguous-record-error.js';
import { RecordNotFoundError } from '../errors/record-not-found-error.js';
import { RefLockedError } from '../errors/ref-locked-error.js';
import { AutoPack } from './autopack.js';
import { capDiff, DEFAULT_MAX_DIFF_BYTES } from './diff-cap.js';
import { configInt } from './git-config.js';
import { readGitConfig } from './git-config.js';
import { findGitDirs, type GitDirs } from '../git/git-dir.js';
import { Journal, type JournalEntry } from './journal.js';
import { NotesStore } from './notes-store.js';
import type { RecordV1 } from './record.js';
import { lineIds, recordLine } from './record-line.js';
import { redactDraft } from './redact.js';
import type { LogFilter, Repository, StoreWarning } from './types.js';

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

// How long a journal file stays after its records reached the ref (a racing native writer may
// still drop them within that time).
const JOURNAL_GRACE_MS = 60_000;

// ℛ on git notes: records as JSON lines in the note of their tree, in git's own notes format.
export class GitNotesRepository implements Repository {
  private readonly warned = new Map<string, StoreWarning>();
  private replay: Promise<number> | null = null;
  readonly journal: Journal;
  private readonly autopack: AutoPack;

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

  async append(records: RecordV1[], opts: { prepared?: boolean } = {}): Promise<void> {
    if (!records.length) return;
    await this.restoreJournal(true);
    const entries = records.map((r) => {
      const safe = opts.prepared ? r : capDiff(redactDraft(r, this.opts.redact), this.opts.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES);
      return { tree: safe.tree, id: safe.id, line: recordLine(safe) };
    });
    // Journal first: if the ref write is lost (a crash, a racing native writer), the next command restores it.
    const journaled = this.journal.write(entries);
    const { tip } = await this.store(entries, `guardloop: record ${entries.length === 1 ? entries[0].id : `${entries.length} records`}`);
    if (tip) this.journal.stored(journaled, tip);
    // Checked before the write (restoreJournal) and written by compare-and-swap on top of that.
    this.journal.markVerified(tip, false);
  }

  // Adds record lines to the notes of their trees, skipping ids already there.
  private async store(entries: JournalEntry[], message: string): Promise<{ added: number; tip: string | null }> {
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
    await this.autopack.note(this.notes.objects.written.slice(before));
    return { added, tip };
  }

  // Replays the journal: restores records a racing writer dropped, forgets the ones safe for long enough.
  restoreJournal(forWrite = false): Promise<number> {
    this.replay ??= this.replayJournal().catch((e: unknown) => {
      if (e instanceof RefLockedError && !forWrite) {
        this.warn({ object: this.ref, reason: 'locked', detail: e.message });
        return 0;
      }
      this.replay = null;
      throw e;
    });
    return this.replay;
  }

  private async replayJournal(): Promise<number> {
    const tip = this.notes.tip();
    // Nothing moved the ref since the last check, so nothing can have been dropped; every file was
    // stored (a write that never finished — a lock, a kill — is replayed); and old files were cleared
    // less than a grace period ago. Then the check is skipped: a commit hook pays one small listing
    // for it, however many appends the journal holds.
    const mark = this.journal.verified();
    if (tip && mark?.tip === tip && Date.now() - mark.checkedAt < JOURNAL_GRACE_MS && !this.journal.hasPending()) return 0;
    const files = this.journal.read();
    if (!files.length) return 0;
    // Files whose notes commit is on the ref's history with only guardloop commits after it need no lookups.
    const oldestMs = Math.max(...files.map((f) => f.ageMs));
    const history = await this.notes.history(tip, Math.floor((Date.now() - oldestMs) / 1000) - 120);
    const root = await this.notes.rootOf(tip);
    const idsOf = new Map<string, Set<string>>();
    const missing: JournalEntry[] = [];
    for (const file of files) {
      if (file.commit && history.get(file.commit) === true) {
        if (file.ageMs > JOURNAL_GRACE_MS) this.journal.remove(file.path);
        continue;
      }
      let fileMissing = 0;
      for (const e of file.entries()) {
        if (!idsOf.has(e.tree)) idsOf.set(e.tree, lineIds((await this.notes.noteIn(root, e.tree))?.toString('utf8') ?? ''));
        if (!idsOf.get(e.tree)!.has(e.id)) {
          missing.push(e);
          fileMissing++;
        }
      }
      if (fileMissing) this.journal.renew(file);
      else if (file.ageMs > JOURNAL_GRACE_MS) this.journal.remove(file.path);
    }
    if (!missing.length) {
      this.journal.markVerified(tip, true);
      return 0;
    }
    const restored = await this.store(missing, `guardloop: restore ${missing.length} record(s) from the journal`);
    this.journal.markVerified(restored.tip, true);
    return restored.added;
  }

  async byTree(tree: string): Promise<RecordV1[]> {
    await this.restoreJournal();
    const text = await this.readNote(tree, () => this.notes.note(tree));
    return text === null ? [] : await this.parse(tree, text);
  }

  // Every readable record, in note order (no particular global order).
  async all(): Promise<RecordV1[]> {
    await this.restoreJournal();
    const out: RecordV1[] = [];
    const notes = await this.notes.list();
    if (!notes.length) return out;
    // One pass over the packs in offset order; what isn't packed is read one by one.
    const packed = this.notes.objects.readManyPacked(notes.map((n) => n.blob));
    const { parseRecordLine } = await import('./record-schema.js');
    for (let i = 0; i < notes.length; i++) {
      const n = notes[i];
      const text = packed[i] ? packed[i]!.data.toString('utf8') : await this.readNote(n.target, async () => (await this.notes.objects.read(n.blob))?.data ?? null);
      if (text !== null) this.parseInto(out, n.target, text, parseRecordLine);
    }
    return out;
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

  async show(ref: string): Promise<RecordV1[]> {
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

  private async readNote(object: string, read: () => Promise<Buffer | null>): Promise<string | null> {
    try {
      return (await read())?.toString('utf8') ?? null;
    } catch (e) {
      this.warn({ object, reason: 'unreadable', detail: (e as Error).message });
      return null;
    }
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
