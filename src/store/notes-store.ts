import { parseCommit } from '../git/objects-format.js';
import { ObjectStore, withExpected } from '../git/objects.js';
import { startFastImport, type FastImport, type TreeOp } from '../git/fast-import.js';
import type { SpareTransaction } from '../git/ref-transaction.js';
import { CorruptObjectError } from '../errors/corrupt-object-error.js';
import { noteOf } from '../messages/repair.js';
import { NOTES_UPDATE_REFLOG } from '../messages/store.js';
import { configInt, type GitConfig } from '../git/config.js';
import type { GitDirs } from '../git/git-dir.js';
import { signature } from './identity.js';
import { NotesTree, type NoteEntry, type PlannedTree } from './notes-tree.js';
import { formatOf, type RefStorage } from '../git/repo.js';
import { RefFile } from '../git/ref-lock.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { registryFile, registryProblem } from './pack-registry.js';

// What a change to the notes ref sets (target → full new note text) and which other notes
// commits become parents (a merge).
export interface NotesChange {
  notes: Map<string, Buffer>;
  parents?: string[];
  message: string;
}

// How every notes commit guardloop writes begins (how its history tells them from native ones).
export const GUARDLOOP_SUBJECT = 'guardloop: ';

// A notes ref in git's own format, through git: objects read with `git cat-file`, a change written
// with `git fast-import`, the ref moved by `git update-ref`'s compare-and-swap under guardloop's
// writer lock. The repository's hash (sha1, sha256) and ref backend come from its config.
export class NotesStore {
  readonly objects: ObjectStore;
  readonly tree: NotesTree;
  readonly refFile: RefFile;
  // The ref backend: 'files' refs are read in-process, any other through git.
  readonly refStorage: RefStorage;
  // Objects the writes of this process added (for AutoPack: they are loose, as `git notes` leaves them).
  readonly written: string[] = [];
  // The ref transaction of the next write, started ahead by prestart() (null: none waiting).
  private spare: SpareTransaction | null = null;
  // The fast-import of the next write, started ahead by prestartImport() (null: none waiting).
  private spareImport: FastImport | null = null;
  // Where fast-import registers the packs it keeps (undefined: not looked at yet; null: it can't).
  private edges: string | null | undefined;
  // Why fast-import can't register its packs (null: it can, or no write yet).
  packRegistryProblem: string | null = null;

  constructor(
    readonly dirs: GitDirs,
    readonly cwd: string,
    readonly ref: string,
    readonly config: GitConfig,
  ) {
    const { objectFormat, refStorage } = formatOf(config.get('extensions.objectformat'), config.get('extensions.refstorage'));
    this.refStorage = refStorage;
    this.objects = new ObjectStore(dirs.objectsDir, cwd, objectFormat, ref);
    this.tree = new NotesTree(this.objects);
    this.refFile = this.openRef(ref);
  }

  // Any ref of this repository, read and written the way its backend needs (sync's tracking ref too).
  openRef(name: string): RefFile {
    return new RefFile(this.dirs.commonDir, name, this.refStorage, this.cwd, this.objects.hashLen * 2);
  }

  // The notes commit the ref names now, or null.
  tip(): string | null {
    return this.refFile.read();
  }

  // The root tree of a notes commit (a missing or damaged commit is a CorruptObjectError naming it).
  // When the ref names that commit itself, the error says so (the repair is to point the ref back).
  async rootOf(commit: string | null): Promise<string | null> {
    if (!commit) return null;
    try {
      return (await this.objects.expect(commit, 'commit', parseCommit)).tree;
    } catch (e) {
      throw e instanceof CorruptObjectError && e.data.oid === commit && !e.data.tipOf && this.names(commit) ? new CorruptObjectError({ ...e.data, tipOf: this.ref }) : e;
    }
  }

  private names(commit: string): boolean {
    try {
      return this.tip() === commit;
    } catch {
      return false;
    }
  }

  // Commits on the ref's first-parent history back to `sinceSec`, each with whether every commit
  // after it was written by guardloop (`kept`). Only then is its content known to be kept: native
  // `git notes` takes the current tip as parent but builds its tree from what it read earlier. When
  // not, `nativeGapSec` is how long after it the first native commit came (a native writer that
  // read before this commit is done within seconds, so a later one changed ℛ on purpose).
  async history(tip: string | null, sinceSec: number, max = 100_000): Promise<Map<string, { kept: boolean; nativeGapSec: number | null }>> {
    const seen = new Map<string, { kept: boolean; nativeGapSec: number | null }>();
    let keptSoFar = true;
    // The commit time of the native commit nearest above the one being visited.
    let nativeAbove: number | null = null;
    let at = tip;
    while (at && seen.size < max && !seen.has(at)) {
      const commit = at;
      const obj = await this.objects.read(commit).catch((e: unknown) => Promise.reject(withExpected(e, commit, 'commit')));
      if (!obj || obj.type !== 'commit') break;
      const c = this.objects.parse(at, obj, 'commit', parseCommit);
      seen.set(at, { kept: keptSoFar, nativeGapSec: nativeAbove === null ? null : nativeAbove - c.time });
      if (!c.subject.startsWith(GUARDLOOP_SUBJECT)) {
        keptSoFar = false;
        nativeAbove = c.time;
      }
      if (c.time < sinceSec) break;
      at = c.parents[0] ?? null;
    }
    return seen;
  }

  // The note text of one object (duplicates joined as git shows them), or null.
  async note(target: string, commit = this.tip()): Promise<Buffer | null> {
    return this.noteIn(await this.rootOf(commit), target);
  }

  // The note text of one object under a notes root tree, or null when it has no note. A note whose
  // blob is missing or unreadable is a CorruptObjectError, never "no note": a write would replace it.
  async noteIn(root: string | null, target: string): Promise<Buffer | null> {
    const blobs = await this.tree.lookup(root, target);
    if (!blobs.length) return null;
    const parts: Buffer[] = [];
    for (const b of blobs) parts.push(await this.blob(b, target));
    return Buffer.concat(parts.flatMap((p) => (p.length && p[p.length - 1] !== 0x0a ? [p, Buffer.from('\n')] : [p])));
  }

  // A note blob's bytes (missing, mistyped or unreadable: a CorruptObjectError naming it and the
  // object the note is on).
  async blob(oid: string, target: string): Promise<Buffer> {
    try {
      return await this.objects.expect(oid, 'blob', (data) => data);
    } catch (e) {
      throw e instanceof CorruptObjectError && e.data.oid === oid ? new CorruptObjectError({ ...e.data, detail: noteOf(target, e.data.detail) }) : e;
    }
  }

  // Every note of a notes commit.
  async list(commit = this.tip()): Promise<NoteEntry[]> {
    return this.tree.list(await this.rootOf(commit));
  }

  // Starts the ref transaction process the next update() needs while the caller waits on something
  // else — a run's guards — so its start-up is off the write's path. It holds no lock until used and
  // ends unused, changing nothing, on close() or when this process dies (its stdin closes). fast-import
  // is not started this early: one whose input ends without `done` (this process killed) leaves a
  // crash report in the git dir.
  prestart(): void {
    this.spare ??= this.refFile.spare(NOTES_UPDATE_REFLOG);
  }

  // Starts the fast-import the next update() needs while the caller waits on something else (a
  // run's guards, once they are started: its spawn then costs them nothing), so that its start-up —
  // the longest on the way to the new commit — is off the write's path. Unused, it ends on close()
  // or when this process dies, writing nothing (see startFastImport's `ahead`).
  prestartImport(): void {
    this.spareImport ??= startFastImport(this.cwd, true, this.packEdges(), true);
  }

  // Reads the ref, lets `build` decide the change on that exact tip, writes it (fast-import), and
  // swaps the ref (git's compare-and-swap) under the writer lock; returns the new tip (or the old one when `build` had
  // nothing to change). A writer that ignores the lock and moves the ref meanwhile makes the swap
  // fail: the change is built again on its tip.
  async update(build: (tip: string | null, root: string | null) => Promise<NotesChange | null>): Promise<string | null> {
    const timeoutMs = configInt(this.config.get('guardloop.locktimeout'), 10_000);
    const lock = await this.refFile.lock({ timeoutMs });
    try {
      for (;;) {
        const tip = this.tip();
        // git's lock is taken while the change is built (both start at once; the hold verifies that
        // the ref still names `tip`, so a change built on a tip that moved meanwhile is thrown away).
        // fast-import starts first (its start-up is the longest on the way to the new commit) and
        // gets its input once the change is decided.
        const spare = this.spare;
        this.spare = null;
        const importer = this.spareImport ?? startFastImport(this.cwd, true, this.packEdges());
        this.spareImport = null;
        const holding = this.refFile.hold(tip, { timeoutMs, message: NOTES_UPDATE_REFLOG, spare });
        // Awaited below, after the change is built: a hold that fails meanwhile (its git killed by
        // a signal to the process group) must not end the process as an unhandled rejection, which
        // would skip the `finally` that lets the writer lock go.
        holding.catch(() => undefined);
        let commit: string;
        let message: string;
        try {
          const root = await this.rootOf(tip);
          const change = await build(tip, root);
          if (!change || (!change.notes.size && !change.parents?.length)) {
            importer.cancel();
            (await holding)?.release();
            return tip;
          }
          message = change.message;
          const { ops, probe } = await treeOps(this.tree, await this.tree.update(root, change.notes), root);
          const written = await importer.write({
            ops,
            probe,
            parents: [...(tip ? [tip] : []), ...(change.parents ?? [])],
            author: signature('author', this.config),
            committer: signature('committer', this.config),
            message,
          });
          commit = written.commit;
          this.written.push(...written.probed, commit);
        } catch (e) {
          importer.cancel();
          (await holding.catch(() => null))?.release();
          throw e;
        }
        const held = await holding;
        // Moved between the read and the hold: build again on the new tip.
        if (!held) continue;
        // Refused only when a writer that ignores the lock moved the ref: build again on its tip.
        if (await held.commit(commit, message.split('\n')[0])) return commit;
      }
    } finally {
      lock.release();
    }
  }

  // Where fast-import registers a pack it keeps as guardloop's (PackRegistry), looked at once: its
  // folder made, and none when fast-import couldn't open it (that would fail the write itself).
  private packEdges(): string | undefined {
    if (this.edges === undefined) {
      const file = registryFile(this.dirs.commonDir);
      try {
        mkdirSync(dirname(file), { recursive: true });
      } catch {
        // registryProblem says why
      }
      this.packRegistryProblem = registryProblem(file);
      this.edges = this.packRegistryProblem ? null : file;
    }
    return this.edges ?? undefined;
  }

  close(): void {
    this.spare?.child.stdin?.end();
    this.spare = null;
    this.spareImport?.cancel();
    this.spareImport = null;
    this.objects.close();
  }
}

// A planned notes tree as fast-import's file commands on top of the old root (the first parent's
// tree): what changed is set, what went away is deleted, unchanged subtrees aren't named at all; and
// the paths whose new objects are asked back (changed trees, new note blobs).
async function treeOps(tree: NotesTree, planned: PlannedTree, oldRoot: string | null): Promise<{ ops: TreeOp[]; probe: string[] }> {
  const ops: TreeOp[] = [];
  const probe: string[] = [''];
  const walk = async (level: PlannedTree, old: string | null, prefix: string) => {
    const before = new Map((old ? await tree.readTree(old) : []).map((e) => [e.name, e]));
    for (const e of level.entries) {
      const path = prefix + e.name;
      const was = before.get(e.name);
      before.delete(e.name);
      if ('tree' in e) {
        if (was && was.mode !== '40000') ops.push({ path, delete: true });
        probe.push(path);
        await walk(e.tree, was?.mode === '40000' ? was.oid : null, `${path}/`);
      } else if ('data' in e) {
        if (was?.mode === '40000') ops.push({ path, delete: true });
        probe.push(path);
        ops.push({ path, data: e.data });
      } else if (!was || was.oid !== e.oid || was.mode !== e.mode) {
        if (was && (was.mode === '40000') !== (e.mode === '40000')) ops.push({ path, delete: true });
        ops.push({ path, mode: e.mode, oid: e.oid });
      }
    }
    for (const name of before.keys()) ops.push({ path: prefix + name, delete: true });
  };
  await walk(planned, oldRoot, '');
  return { ops, probe };
}
