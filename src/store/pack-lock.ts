import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive, startToken } from '../git/process-alive.js';

// How old a pack lock may get before it is broken whoever holds it (no packing step takes this long).
const LOCK_MAX_AGE_MS = 600_000;

// One packer at a time in a repository: `.git/guardloop/pack.lock`, holding `<pid> <start token>`.
// Shared by AutoPack (loose objects into a pack) and PackConsolidation (guardloop's packs rolled up),
// so that neither ever works on what the other is changing.
export class PackLock {
  readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, 'pack.lock');
  }

  // Takes the lock and returns its release, or null while a live packer holds it. A lock whose
  // holder is dead (killed mid-pack) or that is older than any packing step takes is broken.
  take(): (() => void) | null {
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = openSync(this.path, 'wx');
      } catch {
        if (attempt || !this.abandoned()) return null;
        unlinkQuiet(this.path);
        continue;
      }
      try {
        writeSync(fd, `${process.pid} ${startToken(process.pid) ?? 'unknown'}\n`);
      } catch (e) {
        closeSync(fd);
        unlinkQuiet(this.path);
        throw e;
      }
      return () => {
        closeSync(fd);
        unlinkQuiet(this.path);
      };
    }
    return null;
  }

  // Whether the lock file is there and its holder gone (or it is far too old).
  abandoned(): boolean {
    try {
      if (Date.now() - statSync(this.path).mtimeMs > LOCK_MAX_AGE_MS) return true;
      const [pid, token] = readFileSync(this.path, 'utf8').trim().split(' ');
      return Number(pid) > 0 && !processAlive(Number(pid), token === 'unknown' ? undefined : token);
    } catch {
      return false;
    }
  }

  // The pid the lock file names (null when it names none or is gone).
  holder(): number | null {
    try {
      const pid = Number(readFileSync(this.path, 'utf8').trim().split(' ')[0]);
      return pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }
}

// Removes a file that may already be gone.
export function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
