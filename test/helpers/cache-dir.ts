import { existsSync, renameSync, rmSync } from 'node:fs';

// Moves a finished install (`scratch`) into its cache folder `dir`, where `marker` (a file inside
// `dir`) says it is complete; a parallel run that finished first wins and `scratch` goes. Returns
// whether this call installed it. Shared by the opt-in suites' caches (agent CLIs, trainers).
export function publishCacheDir(scratch: string, dir: string, marker: string): boolean {
  if (existsSync(marker)) {
    rmSync(scratch, { recursive: true, force: true });
    return false;
  }
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(scratch, dir);
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(marker)) throw e;
  }
  return true;
}
