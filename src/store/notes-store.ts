import { formatCommit, parseCommit } from '../git/objects-format.js';
import { ObjectStore } from '../git/objects.js';
import { configBool, configInt, type GitConfig } from './git-config.js';
import type { GitDirs } from '../git/git-dir.js';
import { signature } from './identity.js';
import { NotesTree, type NoteEntry } from './notes-tree.js';
import { RefFile } from './ref-lock.js';

// What a change to the notes ref sets (target → full new note text) and which other notes
// commits become parents (a merge).
export interface NotesChange {
  notes: Map<string, Buffer>;
  parents?: string[];
  message: string;
}

// How every notes commit guardloop writes begins (how its history tells them from native ones).
export const GUARDLOOP_SUBJECT = 'guardloop: ';

// A notes ref in git's own format, written in-process under git's ref lock protocol.
export class NotesStore {
  readonly objects: ObjectStore;
  readonly tree: NotesTree;
  readonly refFile: RefFile;

  constructor(
    readonly dirs: GitDirs,
    readonly cwd: string,
    readonly ref: string,
    readonly config: GitConfig,
  ) {
    const algo = config.get('extensions.objectformat') === 'sha256' ? 'sha256' : 'sha1';
    this.objects = new ObjectStore(dirs.objectsDir, cwd, algo);
    this.tree = new NotesTree(this.objects);
    this.refFile = new RefFile(dirs.commonDir, ref);
  }

  // The notes commit the ref names now, or null.
  tip(): string | null {
    return this.refFile.read();
  }

  // The root tree of a notes commit.
  async rootOf(commit: string | null): Promise<string | null> {
    if (!commit) return null;
    const obj = await this.objects.read(commit);
    if (!obj || obj.type !== 'commit') throw new Error(`${this.ref} names ${commit}, which is not a commit in this repository`);
    return parseCommit(obj.data).tree;
  }

  // Commits on the ref's first-parent history back to `sinceSec`, each with whether every commit
  // after it was written by guardloop. Only then is its content known to be kept: native
  // `git notes` takes the current tip as parent but builds its tree from what it read earlier.
  async history(tip: string | null, sinceSec: number, max = 100_000): Promise<Map<string, boolean>> {
    const seen = new Map<string, boolean>();
    let keptSoFar = true;
    let at = tip;
    while (at && seen.size < max && !seen.has(at)) {
      const obj = await this.objects.read(at);
      if (!obj || obj.type !== 'commit') break;
      const c = parseCommit(obj.data);
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

  // The note text of one object under a notes root tree, or null.
  async noteIn(root: string | null, target: string): Promise<Buffer | null> {
    const blobs = await this.tree.lookup(root, target);
    if (!blobs.length) return null;
    const parts: Buffer[] = [];
    for (const b of blobs) {
      const obj = await this.objects.read(b);
      if (obj) parts.push(obj.data);
    }
    return Buffer.concat(parts.flatMap((p) => (p.length && p[p.length - 1] !== 0x0a ? [p, Buffer.from('\n')] : [p])));
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
        const reflog = this.logsRefUpdates() ? `${tip ?? zero} ${commit} ${committer.name} <${committer.email}> ${committer.when} ${committer.tz}\t${change.message.split('\n')[0]}\n` : null;
        if (lock.commit(commit, tip, reflog)) return commit;
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
