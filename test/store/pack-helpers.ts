import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openRepository, type GitNotesRepository, type OpenRepositoryOptions } from '../../src/store/repository.js';
import { fakeOid, makeRecord, sh } from './helpers.js';

// What the pack consolidation tests look at: the packs on disk, the registry of guardloop's packs,
// and the records as plain git reads them.

export function packDir(dir: string): string {
  return join(dir, '.git', 'objects', 'pack');
}

// Hashes of the complete packs (pack and index) in the repository.
export function packsOnDisk(dir: string): string[] {
  const names = new Set(readdirSync(packDir(dir)));
  return [...names].flatMap((n) => {
    const m = /^pack-([0-9a-f]+)\.pack$/.exec(n);
    return m && names.has(`pack-${m[1]}.idx`) ? [m[1]] : [];
  });
}

// Hashes guardloop registered as its own (`.git/guardloop/packs`).
export function registered(dir: string, commonDir = join(dir, '.git')): Set<string> {
  const file = join(commonDir, 'guardloop', 'packs');
  if (!existsSync(file)) return new Set();
  return new Set([...readFileSync(file, 'utf8').matchAll(/pack-([0-9a-f]+)\.pack:/g)].map((m) => m[1]));
}

// The size and time of a pack, to tell that nothing rewrote it.
export function packStamp(dir: string, hash: string): string {
  const st = statSync(join(packDir(dir), `pack-${hash}.pack`));
  return `${st.size} ${st.mtimeMs}`;
}

// Every record id in ℛ, read with git alone.
export function storedIds(dir: string): Set<string> {
  const out = execFileSync('sh', ['-c', 'git notes --ref=guardloop list | cut -d" " -f1 | git cat-file --batch=""'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  return new Set(out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l).id as string));
}

export function fsckClean(dir: string): string {
  return sh(dir, ['fsck', '--no-progress', '--no-dangling']);
}

// `count` appends of `batch` records each (120 records is a write fast-import keeps as a pack);
// returns the record ids.
export async function appendBatches(dir: string, label: string, count: number, batch: number, opts: Partial<OpenRepositoryOptions> = {}, hexLen = 40): Promise<string[]> {
  const repo = await openRepository({ cwd: dir, ...opts });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const records = Array.from({ length: batch }, (_, j) => makeRecord(fakeOid(`${label}-${i}-${j}`).padEnd(hexLen, '0')));
    const { warnings } = await repo.append(records);
    if (warnings.length) throw new Error(warnings.join('\n'));
    ids.push(...records.map((r) => r.id));
  }
  await repo.close();
  return ids;
}

// guardloop's packs left as they are: writes with consolidation off (guardloop.autopack 0).
export async function unconsolidatedPacks(dir: string, label: string, count: number, hexLen = 40): Promise<string[]> {
  sh(dir, ['config', 'guardloop.autopack', '0']);
  const ids = await appendBatches(dir, label, count, 120, {}, hexLen);
  sh(dir, ['config', '--unset', 'guardloop.autopack']);
  return ids;
}

// A repository opened with a grace period of 0 (superseded packs go at the next pass).
export function openNoGrace(dir: string, extra: Partial<OpenRepositoryOptions> = {}): Promise<GitNotesRepository> {
  return openRepository({ cwd: dir, ...extra, packs: { graceMs: 0, ...extra.packs } });
}
