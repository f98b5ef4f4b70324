import { appendFileSync, openSync, closeSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gitRaw } from '../git/git.js';

// Keeps loose objects bounded: every notes write leaves a few loose objects (blob, trees, commit),
// as `git notes add` does; once guardloop's own count passes the threshold they are packed with
// `git pack-objects` (only those objects, never a walk of the whole repository) and the loose
// copies removed with `git prune-packed`, which is what `git gc --auto` would do for them.
export class AutoPack {
  private readonly listPath: string;
  private readonly lockPath: string;

  constructor(
    private readonly commonDir: string,
    private readonly objectsDir: string,
    private readonly cwd: string,
    // Loose objects written by guardloop before it packs them; 0 turns packing off.
    readonly threshold: number,
    private readonly hexLen: number,
  ) {
    this.listPath = join(commonDir, 'guardloop', 'loose');
    this.lockPath = join(commonDir, 'guardloop', 'pack.lock');
  }

  // Notes the objects a write left loose; packs when there are enough.
  async note(oids: string[]): Promise<void> {
    if (!oids.length || this.threshold <= 0) return;
    mkdirSync(join(this.commonDir, 'guardloop'), { recursive: true });
    appendFileSync(this.listPath, oids.map((o) => `${o}\n`).join(''));
    let size = 0;
    try {
      size = statSync(this.listPath).size;
    } catch {
      return;
    }
    if (size / (this.hexLen + 1) >= this.threshold) await this.pack();
  }

  // Packs the listed objects now (one packer at a time; a busy packer means someone else is on it).
  async pack(): Promise<{ packed: number } | null> {
    let fd: number;
    try {
      fd = openSync(this.lockPath, 'wx');
    } catch {
      try {
        if (Date.now() - statSync(this.lockPath).mtimeMs > 600_000) unlinkSync(this.lockPath);
      } catch {
        // gone meanwhile
      }
      return null;
    }
    const claimed = `${this.listPath}.packing-${process.pid}`;
    try {
      writeSync(fd, `${process.pid}\n`);
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
        await gitRaw(['pack-objects', '-q', '--delta-base-offset', join(this.objectsDir, 'pack', 'pack')], { cwd: this.cwd, input: `${oids.join('\n')}\n` });
        await gitRaw(['prune-packed', '-q'], { cwd: this.cwd });
      }
      unlinkSync(claimed);
      return { packed: oids.length };
    } finally {
      closeSync(fd);
      unlinkSync(this.lockPath);
    }
  }
}
