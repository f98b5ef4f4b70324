import { appendFileSync, readdirSync, readFileSync, renameSync, statSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gitRaw } from '../git/git.js';
import { processAlive, startToken } from '../git/process-alive.js';
import { PackLock, unlinkQuiet } from './pack-lock.js';
import type { PackRegistry } from './pack-registry.js';

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
// copies removed with `git prune-packed`, which is what `git gc --auto` would do for them. The pack
// is registered as guardloop's (PackConsolidation rolls such packs up).
// Housekeeping only: callers run it once the record is in the ref and turn its failure into a warning.
export class AutoPack {
  private readonly dir: string;
  private readonly listPath: string;
  private readonly token = startToken(process.pid) ?? 'unknown';

  constructor(
    commonDir: string,
    private readonly objectsDir: string,
    private readonly cwd: string,
    // Loose objects written by guardloop before it packs them; 0 turns packing off.
    readonly threshold: number,
    private readonly hexLen: number,
    private readonly lock = new PackLock(join(commonDir, 'guardloop')),
    private readonly registry: PackRegistry | null = null,
  ) {
    this.dir = join(commonDir, 'guardloop');
    this.listPath = join(this.dir, 'loose');
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
    const release = this.lock.take();
    if (!release) return null;
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
        let packed: string[];
        try {
          const { stdout } = await gitRaw(['pack-objects', '-q', '--delta-base-offset', join(this.objectsDir, 'pack', 'pack')], { cwd: this.cwd, input: `${oids.join('\n')}\n` });
          packed = stdout.toString('utf8').split('\n').filter((h) => h.length === this.hexLen);
        } catch (e) {
          try {
            this.requeue(claimed);
          } catch {
            // left as a claim of this process: the next run after it puts it back
          }
          throw e;
        }
        // Packed by now. A registry that can't be written leaves the pack to git gc (the write warns
        // about the registry); the objects are not put back, or each write would pack them again.
        try {
          this.registry?.add(packed);
        } catch {
          // see packRegistryUnusable
        }
        // Should pruning fail, the loose copies are only redundant (git gc removes them).
        try {
          await gitRaw(['prune-packed', '-q'], { cwd: this.cwd });
        } finally {
          unlinkQuiet(claimed);
        }
      } else unlinkQuiet(claimed);
      return { packed: oids.length };
    } finally {
      release();
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
    if (this.lock.abandoned()) out.unshift({ kind: 'lock', path: this.lock.path, pid: this.lock.holder() });
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
