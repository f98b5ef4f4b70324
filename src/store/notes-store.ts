import { formatCommit, parseCommit } from '../git/objects-format.js';
import { withExpected } from '../git/objects-checked.js';
import { ObjectStore } from '../git/objects.js';
import { CorruptObjectError } from '../errors/corrupt-object-error.js';
import { repairMessages } from '../messages/repair.js';
import { configBool, configInt, type GitConfig } from '../git/config.js';
import type { GitDirs } from '../git/git-dir.js';
import { signature } from './identity.js';
import { NotesTree, type NoteEntry } from './notes-tree.js';
import { formatOf, type RefStorage } from '../git/repo.js';
import type { RefFile } from '../git/ref-lock.js';
import { openRef } from '../git/ref-native.js';

// What a change to the notes ref sets (target → full new note text) and which other notes
// commits become parents (a merge).
export interface NotesChange {
  notes: Map<string, Buffer>;
  parents?: string[];
  message: string;
}

// How every notes commit guardloop writes begins (how its history tells them from native ones).
export const GUARDLOOP_SUBJECT = 'guardloop: ';

// A notes ref in git's own format, written in-process under git's ref lock protocol. The repository's
// hash (sha1, sha256) and ref backend come from its config, read once: objects are read and written
// in-process in either hash; refs in-process with the files backend, through git otherwise (reftable).
export class NotesStore {
  readonly objects: ObjectStore;
  readonly tree: NotesTree;
  readonly refFile: RefFile;
  // The ref backend: 'files' is read and written in-process, anything else through git.
  readonly refStorage: RefStorage;

  constructor(
    readonly dirs: GitDirs,
    readonly cwd: string,
    readonly ref: string,
    readonly config: GitConfig,
  ) {
    const { objectFormat, refStorage } = formatOf(config.get('extensions.objectformat'), config.get('extensions.refstorage'));
    this.refStorage = refStorage;
    // A SHA-256 repository that keeps a SHA-1 mapping needs git to write every object.
    const native = config.has('extensions.compatobjectformat');
    this.objects = new ObjectStore(dirs.objectsDir, cwd, objectFormat, { ref, native });
    this.tree = new NotesTree(this.objects);
    this.refFile = this.openRef(ref);
  }

  // Any ref of this repository, read and written the way its backend needs (sync's tracking ref too).
  openRef(name: string): RefFile {
    return openRef(this.dirs.commonDir, name, this.refStorage, this.cwd, this.objects.hashLen * 2);
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
  // after it was written by guardloop. Only then is its content known to be kept: native
  // `git notes` takes the current tip as parent but builds its tree from what it read earlier.
  async history(tip: string | null, sinceSec: number, max = 100_000): Promise<Map<string, boolean>> {
    const seen = new Map<string, boolean>();
    let keptSoFar = true;
    let at = tip;
    while (at && seen.size < max && !seen.has(at)) {
      const commit = at;
      const obj = await this.objects.read(commit).catch((e: unknown) => Promise.reject(withExpected(e, commit, 'commit')));
      if (!obj || obj.type !== 'commit') break;
      const c = this.objects.parse(at, obj, 'commit', parseCommit);
      seen.set(at, keptSoFar);
      if (!c.subject.startsWith(GUARDLOOP_SUBJECT)) keptSoFar = false;
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
      throw e instanceof CorruptObjectError && e.data.oid === oid ? new CorruptObjectError({ ...e.data, detail: repairMessages.noteOf(target, e.data.detail) }) : e;
    }
  }

  // Every note of a notes commit.
  async list(commit = this.tip()): Promise<NoteEntry[]> {
    return this.tree.list(await this.rootOf(commit));
  }

  // Reads the ref, lets `build` decide the change on that exact tip, writes it, and swaps the ref
  // under the lock; returns the new tip (or the old one when `build` had nothing to change).
  async update(build: (tip: string | null, root: string | null) => Promise<NotesChange | null>): Promise<string | null> {
    const timeoutMs = configInt(this.config.get('guardloop.locktimeout'), 10_000);
    const lock = await this.refFile.lock({ timeoutMs });
    try {
      for (;;) {
        const tip = this.tip();
        const root = await this.rootOf(tip);
        const change = await build(tip, root);
        if (!change || (!change.notes.size && !change.parents?.length)) return tip;
        const blobs = new Map<string, string>();
        for (const [target, text] of change.notes) blobs.set(target, this.objects.write('blob', text));
        const newRoot = await this.tree.update(root, blobs);
        const author = signature('author', this.config);
        const committer = signature('committer', this.config);
        const commit = this.objects.write('commit', formatCommit({ tree: newRoot, parents: [...(tip ? [tip] : []), ...(change.parents ?? [])], author, committer, message: change.message }));
        const zero = '0'.repeat(this.objects.hashLen * 2);
        const subject = change.message.split('\n')[0];
        const reflog = this.refStorage === 'files' && this.logsRefUpdates() ? `${tip ?? zero} ${commit} ${committer.name} <${committer.email}> ${committer.when} ${committer.tz}\t${subject}\n` : null;
        if (await lock.commit(commit, tip, { reflog, message: subject })) return commit;
        // A writer that ignores the lock moved the ref: rebuild on its tip.
      }
    } finally {
      lock.release();
    }
  }

  private logsRefUpdates(): boolean {
    const v = this.config.get('core.logallrefupdates');
    if (v === 'always') return true;
    return configBool(v, !configBool(this.config.get('core.bare'), false));
  }

  close(): void {
    this.objects.close();
  }
}
