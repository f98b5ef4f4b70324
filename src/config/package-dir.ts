import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Finds the folder of the installed guardloop package (the one holding its package.json and guards/),
// starting from this module: src/config/ in development, dist/ (or dist/chunks/) once bundled.
export function findPackageDir(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let first: string | undefined;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      first ??= dir;
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'guardloop') return dir;
      } catch {
        // An unreadable manifest is not ours; keep looking upwards.
      }
    }
    if (path.dirname(dir) === dir) return first ?? from;
  }
}
