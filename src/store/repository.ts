// ℛ as the engine and the CLI use it (the Repository interface): append with its journal, the reads,
// and their typed errors. About 400 lines: the write path and the read path share the journal
// overlay and the parse, and splitting them would put one invariant in two files (the batched scan
// extraction uses is in record-scan.ts, given both).
import { gitRaw } from '../git/git.js';
import { AmbiguousRecordError } from '../errors/ambiguous-record-error.js';
import { RecordNotFoundError } from '../errors/record-not-found-error.js';
import { CorruptObjectError } from '../errors/corrupt-object-error.js';
import { CorruptRefError } from '../errors/corrupt-ref-error.js';
import { GuardloopError } from '../errors/guardloop-error.js';
import { RefLockedError } from '../errors/ref-locked-error.js';
import { StoreReadError } from '../errors/store-read-error.js';
import { AutoPack } from './autopack.js';
import { PackConsolidation, type ConsolidationOptions } from './pack-consolidation.js';
import { packRegistryUnusable } from '../messages/packs.js';
import { PackLock } from './pack-lock.js';
import { PackRegistry, registryFile } from './pack-registry.js';
import { join } from 'node:path';
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
import { selectLog } from './log-filter.js';
import { readBackGroups, scanRecords, type NoteBlob, type ScanDeps, type ScannedRecord } from './record-scan.js';
import { autopackFailed, recordSubject } from '../messages/store.js';
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
  // How guardloop's packs are consolidated (defaults: factor 2, a 10 s grace, in the background once the packs pass 4 MiB).
  packs?: ConsolidationOptions;
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
  // Keeps guardloop's own packs few (rolled up geometrically after writes).
  readonly packs: PackConsolidation;

  constructor(
    readonly notes: NotesStore,
    private readonly opts: OpenRepositoryOptions,
  ) {
    this.journal = new Journal(notes.dirs.commonDir);
    const { commonDir, objectsDir } = notes.dirs;
    const threshold = configInt(notes.config.get('guardloop.autopack'), 2000);
    const lock = new PackLock(join(commonDir, 'guardloop'));
    const registry = new PackRegistry(commonDir, objectsDir, notes.objects.hashLen * 2);
    this.autopack = new AutoPack(commonDir, objectsDir, notes.cwd, threshold, notes.objects.hashLen * 2, lock, registry);
    // guardloop.autopack 0 leaves all packing to git (gc), consolidation too.
    this.packs = new PackConsolidation(registry, lock, notes.cwd, join(commonDir, 'guardloop'), threshold > 0, opts.packs);
  }

  get ref(): string {
    return this.notes.ref;
  }

  async append(records: RecordV1[], opts: { prepared?: boolean } = {}): Promise<AppendResult> {
    if (!records.length) return { warnings: this.takeWarnings() };
    const entries = records.map((r) => {
      const safe = opts.prepared ? r : capDiff(redactDraft(r, this.opts.redact), this.opts.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES);
      return { tree: safe.tree, id: safe.id, line: recordLine(safe) };
    });
    try {
      await this.restoreJournal(true);
    } catch (e) {
      // The replay could not write (a held lock, a full disk): these records wait in the journal
      // with the earlier ones, for the next command.
      this.journal.write(entries);
      throw e;
    }
    // Journal first: if the ref write is lost (a crash, a racing native writer), the next command restores it.
    const journaled = this.journal.write(entries);
    const { tip, written } = await this.store(entries, recordSubject(entries.map((e) => e.id)));
    if (tip) this.journal.stored(journaled, tip);
    // Checked before the write (restoreJournal) and written by compare-and-swap on top of that.
    this.journal.markVerified(tip, false);
    // The records are in the ref: from here on nothing fails the append.
    await this.housekeep(written);
    return { warnings: this.takeWarnings() };
  }

  // Packs what a write left loose and rolls up guardloop's packs when due; a failure is a warning
  // (the objects are packed by a later write).
  private async housekeep(written: string[]): Promise<void> {
    try {
      await this.autopack.note(written);
    } catch (e) {
      this.housekept.push(autopackFailed(e instanceof Error ? e.message : String(e)));
    }
    const problem = this.notes.packRegistryProblem;
    if (problem && this.packs.enabled) this.housekept.push(packRegistryUnusable(registryFile(this.notes.dirs.commonDir), problem));
    this.housekept.push(...(await this.packs.afterWrite()));
  }

  private takeWarnings(): string[] {
    return this.housekept.splice(0);
  }

  // Adds record lines to the notes of their trees, skipping ids already there.
  // Returns the objects the write left loose, for housekeeping once the caller is done with the ref.
  private async store(entries: JournalEntry[], message: string): Promise<{ added: number; tip: string | null; written: string[] }> {
    let added = 0;
    const before = this.notes.written.length;
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
    return { added, tip, written: this.notes.written.slice(before) };
  }

  // Replays the journal: restores records a racing writer dropped, forgets the ones safe for long enough.
  // Only the write path (append, sync) and doctor replay; reads never do (they show what the journal
  // holds without writing: see `journaled`). Once per repository opened. A write (`forWrite`) gets any
  // failure, and replays again after a tolerant attempt failed; doctor's attempt goes on without it
  // unless the repository is damaged (CorruptObjectError, CorruptRefError): a held lock, a git or file
  // system failure while restoring becomes a warning, and the journal keeps the records.
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
      const tip = this.notes.tip();
      const text = (await this.notes.note(tree, tip))?.toString('utf8') ?? null;
      const out = text === null ? [] : await this.parse(tree, text);
      const pending = this.journaled(tip, (e) => e.tree === tree && !out.some((r) => r.id === e.id));
      return pending.length ? [...out, ...(await this.parse(tree, pending.map((e) => e.line).join('\n')))] : out;
    });
  }

  // The records of many trees at once (audit: one per commit of a range), as byTree gives each: the
  // notes tree walked level by level (each level's trees read at once, each tree once), the note
  // blobs in one stream, the journal overlay on top. Every tree asked for is a key ([] when none).
  async byTrees(trees: string[]): Promise<Map<string, RecordV1[]>> {
    return this.reading('byTrees', async () => {
      const out = new Map<string, RecordV1[]>(trees.map((t) => [t, []]));
      const tip = this.notes.tip();
      const blobs = new Map<string, string[]>();
      const root = await this.notes.rootOf(tip);
      let level = new Map<string, string[]>(root ? [[root, [...out.keys()]]] : []);
      for (let depth = 0; level.size; depth += 2) {
        const next = new Map<string, string[]>();
        const listed = await Promise.all([...level.keys()].map((oid) => this.notes.tree.readTree(oid)));
        [...level.values()].forEach((targets, i) => {
          const byName = new Map<string, typeof listed[number]>();
          for (const e of listed[i]) byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
          for (const target of targets) {
            const rest = target.slice(depth);
            for (const e of byName.get(rest) ?? []) if (e.mode !== '40000') blobs.set(target, [...(blobs.get(target) ?? []), e.oid]);
            const dir = rest.length > 2 ? byName.get(rest.slice(0, 2))?.find((e) => e.mode === '40000') : undefined;
            if (dir) next.set(dir.oid, [...(next.get(dir.oid) ?? []), target]);
          }
        });
        level = next;
      }
      const wanted = [...new Set([...blobs.values()].flat())];
      const streamed = await this.notes.objects.readMany(wanted).catch(() => wanted.map(() => null));
      const data = new Map(wanted.map((oid, i) => [oid, streamed[i]?.type === 'blob' ? streamed[i].data : null]));
      const { parseRecordLine } = await import('./record-schema.js');
      for (const [target, list] of blobs) {
        const parts: string[] = [];
        // What the stream lacked is read alone: a missing or broken blob is a CorruptObjectError.
        for (const oid of list) parts.push((data.get(oid) ?? (await this.notes.blob(oid, target))).toString('utf8'));
        this.parseInto(out.get(target)!, target, parts.join('\n'), parseRecordLine);
      }
      for (const e of this.journaled(tip, (j) => out.has(j.tree))) {
        const list = out.get(e.tree)!;
        if (!list.some((r) => r.id === e.id)) this.parseInto(list, e.tree, e.line, parseRecordLine);
      }
      return out;
    });
  }

  // Every readable record, in note order (no particular global order): see read-all.ts.
  all(): Promise<RecordV1[]> {
    return this.reading('all', async () => {
      const [{ parseRecordLine }, { readAll }] = await Promise.all([import('./record-schema.js'), import('./read-all.js')]);
      const deps = {
        notes: this.notes,
        parse: (out: RecordV1[], object: string, text: string, held?: StoreWarning[]) => this.parseInto(out, object, text, parseRecordLine, held),
        report: (w: StoreWarning) => this.warn(w),
        journaled: (tip: string | null, keep: (e: JournalEntry) => boolean) => this.journaled(tip, keep),
      };
      return readAll(deps, this.notes.tip());
    });
  }

  // Every readable record under the notes commit `tip` (default: the ref's now), in batches of
  // notes, each record with the blob it came from; then the journaled records the ref lacks (blob
  // null), as all() overlays them. Memory holds a batch or two, however large ℛ is (extraction).
  // Throws as the other reads do.
  async *scan(opts: { tip?: string | null; batch?: number } = {}): AsyncGenerator<ScannedRecord[]> {
    const tip = opts.tip === undefined ? this.notes.tip() : opts.tip;
    try {
      yield* scanRecords(await this.scanDeps(), tip, opts.batch);
    } catch (e) {
      throw e instanceof GuardloopError ? e : new StoreReadError(this.ref, 'scan', e);
    }
  }

  // The records of note blobs a scan named, a group at a time and by blob within it, all through one
  // streaming `cat-file` (extraction reads back the chains it exports). Throws as scan() does.
  async *readBack(groups: NoteBlob[][]): AsyncGenerator<Map<string, RecordV1[]>> {
    try {
      yield* readBackGroups(await this.scanDeps(), groups);
    } catch (e) {
      throw e instanceof GuardloopError ? e : new StoreReadError(this.ref, 'readBack', e);
    }
  }

  private async scanDeps(): Promise<ScanDeps> {
    const { parseRecordLine } = await import('./record-schema.js');
    return { notes: this.notes, parse: (out, object, text) => this.parseInto(out, object, text, parseRecordLine), journaled: (tip, keep) => this.journaled(tip, keep) };
  }

  // Journaled records that `keep` selects, when the ref may lack some: a racing native writer can
  // drop guardloop's newest notes commit, and until the next write restores them from the journal a
  // read shows them from there. Only records that reached the ref once count (an append that failed
  // or was killed before storing stays "not recorded" until a write stores it). Nothing is written
  // (no replay, no clean-up). While the ref names the tip the journal was last found complete at,
  // there is nothing to read.
  private journaled(tip: string | null, keep: (e: JournalEntry) => boolean): JournalEntry[] {
    // No ref: ℛ was deleted on purpose (the next write forgets these files too).
    if (!tip || this.journal.verified()?.tip === tip) return [];
    const out: JournalEntry[] = [];
    for (const file of this.journal.read({ readOnly: true })) if (file.commit) for (const e of file.entries()) if (keep(e)) out.push(e);
    return out;
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
    return selectLog(await this.all(), filter);
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

  // Parses a note's lines into `out`; a bad line is a store warning (kept in `held`, when given, for
  // the caller to report in its own order).
  private parseInto(out: RecordV1[], object: string, text: string, parseRecordLine: ParseRecordLine, held?: StoreWarning[]): void {
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (!line.trim()) continue;
      const p = parseRecordLine(line);
      if (p.ok) out.push(p.record);
      else if (held) held.push({ object, reason: p.reason, detail: p.detail });
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
  const notes = new NotesStore(dirs, opts.cwd, opts.ref ?? DEFAULT_REF, config);
  // Nearly every caller reads ℛ next: git's reader starts while the caller does its own work.
  notes.objects.warm();
  return new GitNotesRepository(notes, opts);
}
