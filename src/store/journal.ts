import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';

// One record line waiting to be known safe in the ref.
export interface JournalEntry {
  tree: string;
  id: string;
  line: string;
}

export interface JournalFile {
  path: string;
  ageMs: number;
  // The notes commit that stored these records, once known (kept in the file name).
  commit: string | null;
  entries(): JournalEntry[];
}

// The local journal under `.git/guardloop/journal/`: every append is written here first, one file
// per append. Once its records are in the ref the file moves to `stored/`, under a name that carries
// the notes commit, and it is removed only once all its records are reachable from the ref and have
// stayed so for a grace period. A native `git notes` writer (which swaps the ref without checking
// its old value) can drop guardloop's newest notes commit; the next guardloop command replays the
// journal and restores what is missing. Keeping stored files apart lets a command tell from one
// small listing that no write is unfinished, however many appends the grace period holds.
export class Journal {
  readonly dir: string;
  readonly storedDir: string;

  constructor(commonDir: string) {
    this.dir = join(commonDir, 'guardloop', 'journal');
    this.storedDir = join(this.dir, 'stored');
  }

  // Records an append before the ref is touched (temp file + rename: never a torn entry).
  write(entries: JournalEntry[]): string {
    mkdirSync(this.dir, { recursive: true });
    const name = `${Date.now()}-${process.pid}-${randomBytes(4).toString('hex')}`;
    const tmp = join(this.dir, `.tmp-${name}`);
    writeFileSync(tmp, entries.map((e) => `${e.tree} ${e.id} ${e.line}\n`).join(''));
    const path = join(this.dir, `${name}.jsonl`);
    renameSync(tmp, path);
    return path;
  }

  // Names the notes commit that stored a file's records, so a later check needs no lookups while
  // that commit is still in the ref's history.
  stored(path: string, commit: string): void {
    const to = join(this.storedDir, basename(path).replace(/\.jsonl$/, `.${commit}.jsonl`));
    try {
      renameSync(path, to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return;
      try {
        mkdirSync(this.storedDir, { recursive: true });
        renameSync(path, to);
      } catch {
        // already replayed or removed by another process
      }
    }
  }

  // Whether a write may be unfinished: a file not (yet) marked stored. One listing of a folder that
  // holds only the appends in flight (a file there from before `stored/` existed counts too).
  hasPending(): boolean {
    try {
      return readdirSync(this.dir).some((n) => n.endsWith('.jsonl') && !n.startsWith('.tmp-'));
    } catch {
      return false;
    }
  }

  // The journal files, oldest first (stored ones too); leftovers of killed writers are removed
  // unless `readOnly` (a read of ℛ changes nothing).
  read(opts: { readOnly?: boolean } = {}): JournalFile[] {
    const files = [...this.list(this.dir, !!opts.readOnly), ...this.list(this.storedDir, !!opts.readOnly)];
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(({ name: _name, ...f }) => f);
  }

  private list(dir: string, readOnly: boolean): Array<JournalFile & { name: string }> {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    const now = Date.now();
    const files: Array<JournalFile & { name: string }> = [];
    for (const name of names) {
      const path = join(dir, name);
      try {
        if (name.startsWith('.tmp-')) {
          if (!readOnly && now - statSync(path).mtimeMs > 3_600_000) unlinkSync(path);
          continue;
        }
        if (!name.endsWith('.jsonl')) continue;
        const commit = /\.([0-9a-f]{40,64})\.jsonl$/.exec(name)?.[1] ?? null;
        files.push({ name, path, ageMs: now - Number(name.split('-')[0]), commit, entries: () => parseEntries(path) });
      } catch {
        // removed by another process meanwhile
      }
    }
    return files;
  }

  // The ref tip at which the journal was last known to be fully in the ref, and when the last full
  // check ran. A record can only be dropped by a commit that moves the tip, so while the tip is
  // unchanged there is nothing to check but old files to clear (once per grace period is enough).
  verified(): { tip: string; checkedAt: number } | null {
    try {
      const [tip, at] = readFileSync(join(this.dir, 'verified'), 'utf8').trim().split(' ');
      return tip ? { tip, checkedAt: Number(at) || 0 } : null;
    } catch {
      return null;
    }
  }

  // Notes the tip after a full check (`full`), or after our own compare-and-swap write on a checked tip.
  markVerified(tip: string | null, full: boolean): void {
    if (!tip) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      // Without an earlier mark the journal was empty when the writer checked it: as good as a full check.
      const checkedAt = full ? Date.now() : (this.verified()?.checkedAt ?? Date.now());
      const tmp = join(this.dir, `.tmp-verified-${process.pid}`);
      writeFileSync(tmp, `${tip} ${checkedAt}\n`);
      renameSync(tmp, join(this.dir, 'verified'));
    } catch {
      // Only costs a full check next time.
    }
  }

  // A file whose records are safe in the ref for long enough.
  remove(path: string): void {
    try {
      unlinkSync(path);
    } catch {
      // already removed
    }
  }

  // Restarts a file's grace period after its records were restored by notes commit `commit`: stored
  // again, under a name with the time now and that commit (so reads know its records reached the ref).
  renew(file: JournalFile, commit: string): void {
    const name = basename(file.path);
    const rest = name.split('-').slice(1).join('-').replace(/\.[0-9a-f]{40,64}\.jsonl$/, '.jsonl').replace(/\.jsonl$/, `.${commit}.jsonl`);
    try {
      mkdirSync(this.storedDir, { recursive: true });
      renameSync(file.path, join(this.storedDir, `${Date.now()}-${rest}`));
    } catch {
      // already renewed by another process
    }
  }
}

function parseEntries(path: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return entries;
  }
  for (const row of text.split('\n')) {
    const a = row.indexOf(' ');
    const b = row.indexOf(' ', a + 1);
    if (a > 0 && b > a) entries.push({ tree: row.slice(0, a), id: row.slice(a + 1, b), line: row.slice(b + 1) });
  }
  return entries;
}
