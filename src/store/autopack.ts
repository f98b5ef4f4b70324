import { appendFileSync, openSync, closeSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gitRaw } from '../git/git.js';
import { processAlive, startToken } from '../git/process-alive.js';

// What a packer's claim on the list is called: `loose.packing-<pid>-<start token>` (older
// guardloops wrote `loose.packing-<pid>`).
const CLAIM = /^loose\.packing-(\d+)(?:-([^.]+))?$/;

// A file a killed packer left behind: its lock, or a claim on the list of loose objects.
export interface PackLeftover {
  kind: 'lock' | 'claim';
  path: string;
  // The packer it names (null when the lock doesn't say).
  pid: number | null;
}

// Keeps loose objects bounded: every notes write leaves a few loose objects (blob, trees, commit),
// as `git notes add` does; once guardloop's own count passes the threshold they are packed with
// `git pack-objects` (only those objects, never a walk of the whole repository) and the loose
// copies removed with `git prune-packed`, which is what `git gc --auto` would do for them.
// Housekeeping only: callers run it once the record is in the ref and turn its failure into a warning.
export class AutoPack {
  private readonly dir: string;
  private readonly listPath: string;
  private readonly lockPath: string;
  private readonly token = startToken(process.pid) ?? 'unknown';

  constructor(
    private readonly commonDir: string,
    private readonly objectsDir: string,
    private readonly cwd: string,
    // Loose objects written by guardloop before it packs them; 0 turns packing off.
    readonly threshold: number,
    private readonly hexLen: number,
  ) {
    this.dir = join(commonDir, 'guardloop');
    this.listPath = join(this.dir, 'loose');
    this.lockPath = join(this.dir, 'pack.lock');
  }

  // Notes the objects a write left loose; packs when there are enough.
  async note(oids: string[]): Promise<void> {
    if (!oids.length || this.threshold <= 0) return;
    mkdirSync(this.dir, { recursive: true });
    appendFileSync(this.listPath, oids.map((o) => `${o}\n`).join(''));
    this.reclaimAbandoned();
    let size = 0;
    try {
      size = statSync(this.listPath).size;
    } catch {
      return;
    }
    if (size / (this.hexLen + 1) >= this.threshold) await this.pack();
  }

  // Packs the listed objects now (one packer at a time; a busy packer means someone else is on it).
  // On failure the objects go back on the list (the next write packs them) and the error is thrown.
  async pack(): Promise<{ packed: number } | null> {
    const fd = this.lock();
    if (fd === null) return null;
    const claimed = join(this.dir, `loose.packing-${process.pid}-${this.token}`);
    try {
      try {
        renameSync(this.listPath, claimed);
      } catch {
        return null;
      }
      const oids = [...new Set(readFileSync(claimed, 'utf8').split('\n').filter((o) => o.length === this.hexLen))].filter((o) => {
        try {
          statSync(join(this.objectsDir, o.slice(0, 2), o.slice(2)));
          return true;
        } catch {
          return false;
        }
      });
      if (oids.length) {
        try {
          await gitRaw(['pack-objects', '-q', '--delta-base-offset', join(this.objectsDir, 'pack', 'pack')], { cwd: this.cwd, input: `${oids.join('\n')}\n` });
        } catch (e) {
          try {
            this.requeue(claimed);
          } catch {
            // left as a claim of this process: the next run after it puts it back
          }
          throw e;
        }
        // Packed by now: should pruning fail, the loose copies are only redundant (git gc removes them).
        try {
          await gitRaw(['prune-packed', '-q'], { cwd: this.cwd });
        } finally {
          unlinkQuiet(claimed);
        }
      } else unlinkQuiet(claimed);
      return { packed: oids.length };
    } finally {
      closeSync(fd);
      unlinkQuiet(this.lockPath);
    }
  }

  // Takes pack.lock, or returns null while a live packer holds it. A lock whose holder is dead
  // (killed mid-pack) or that is older than any pack takes is broken.
  private lock(): number | null {
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = openSync(this.lockPath, 'wx');
      } catch {
        if (attempt || !this.lockAbandoned()) return null;
        unlinkQuiet(this.lockPath);
        continue;
      }
      try {
        writeSync(fd, `${process.pid} ${this.token}\n`);
        return fd;
      } catch (e) {
        closeSync(fd);
        unlinkQuiet(this.lockPath);
        throw e;
      }
    }
    return null;
  }

  private lockAbandoned(): boolean {
    try {
      if (Date.now() - statSync(this.lockPath).mtimeMs > 600_000) return true;
      const [pid, token] = readFileSync(this.lockPath, 'utf8').trim().split(' ');
      return Number(pid) > 0 && !processAlive(Number(pid), token === 'unknown' ? undefined : token);
    } catch {
      return false;
    }
  }

  // Claims of packers that died (killed, or an older guardloop that failed) go back on the list.
  private reclaimAbandoned(): void {
    for (const claim of this.abandonedClaims()) this.requeue(claim.path);
  }

  private abandonedClaims(): PackLeftover[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: PackLeftover[] = [];
    for (const name of names) {
      const m = CLAIM.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid === process.pid ? m[2] === this.token : processAlive(pid, m[2] === 'unknown' ? undefined : m[2])) continue;
      out.push({ kind: 'claim', path: join(this.dir, name), pid });
    }
    return out;
  }

  // What a killed packer left: its pack.lock (which holds off every packer until it is broken) and
  // its claims on the list (object ids taken off it and never packed). Live packers' files aren't.
  leftovers(): PackLeftover[] {
    const out = this.abandonedClaims();
    if (this.lockAbandoned()) {
      const pid = Number(readQuiet(this.lockPath).trim().split(' ')[0]);
      out.unshift({ kind: 'lock', path: this.lockPath, pid: pid > 0 ? pid : null });
    }
    return out;
  }

  // `guardloop doctor --unlock`: removes an abandoned pack.lock and puts abandoned claims' object
  // ids back on the list (the next write packs them). Returns what it cleared.
  clearLeftovers(): PackLeftover[] {
    const found = this.leftovers();
    for (const l of found) {
      if (l.kind === 'lock') unlinkQuiet(l.path);
      else this.requeue(l.path);
    }
    return found;
  }

  // Moves a claim's object ids back onto the list (two sweepers racing on one only list its ids
  // twice, which packing ignores).
  private requeue(claim: string): void {
    let ids: Buffer;
    try {
      ids = readFileSync(claim);
    } catch {
      return;
    }
    appendFileSync(this.listPath, ids);
    unlinkQuiet(claim);
  }
}

function readQuiet(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
