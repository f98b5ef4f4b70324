import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from './diagnostic.js';
import type { LoadConfigOptions, LoadConfigResult } from './load.js';
import type { Config } from './schema.js';

const CACHE_VERSION = 1;

interface CacheEntry {
  v: number;
  key: string;
  inputs: Array<{ file: string; sha256: string }>;
  config: Config;
  warnings: Diagnostic[];
}

// loadConfig for hooks: when the config files (by content) and guardloop itself are unchanged since the
// last successful load, returns that result without loading yaml or zod at all (~90 ms less per commit).
// `cacheFile` is the caller's choice, e.g. <git dir>/guardloop/config-cache.json. Only valid configs are cached.
export async function loadConfigCached(opts: LoadConfigOptions & { cacheFile: string }): Promise<LoadConfigResult & { cached: boolean }> {
  const { cacheFile, ...loadOpts } = opts;
  const key = await cacheKey(loadOpts);
  const hit = await readCache(cacheFile, key);
  if (hit) return { config: hit.config, warnings: hit.warnings, errors: [], cached: true };
  const { loadConfig } = await import('./load.js');
  const result = await loadConfig(loadOpts);
  if (result.config) await writeCache(cacheFile, key, result.config, result.warnings);
  return { ...result, cached: false };
}

// What the result depends on besides file contents: the options, and this build of guardloop. The
// build is named by the full bundle (dist/guardloop.cjs) beside this file when there is one, so the
// hook bundle and the full one (src/cli/launcher.cjs) share one cache entry instead of each
// invalidating the other's.
export async function cacheKey(opts: LoadConfigOptions): Promise<string> {
  const own = fileURLToPath(import.meta.url);
  const self = (await stat(path.join(path.dirname(own), 'guardloop.cjs')).catch(() => null)) ?? (await stat(own).catch(() => null));
  const parts = [CACHE_VERSION, path.resolve(opts.root), opts.file ?? '', opts.packageDir ?? '', self?.size ?? 0, self?.mtimeMs ?? 0];
  return JSON.stringify(parts);
}

async function readCache(cacheFile: string, key: string): Promise<CacheEntry | null> {
  let entry: CacheEntry;
  try {
    entry = JSON.parse(await readFile(cacheFile, 'utf8')) as CacheEntry;
  } catch {
    return null;
  }
  if (!entry || typeof entry !== 'object' || !entry.config || entry.v !== CACHE_VERSION || entry.key !== key || !Array.isArray(entry.inputs)) return null;
  const hashes = await Promise.all(entry.inputs.map((input) => fileHash(path.resolve(entry.config.root, input.file))));
  return hashes.every((hash, i) => hash === entry.inputs[i].sha256) ? entry : null;
}

async function writeCache(cacheFile: string, key: string, config: Config, warnings: Diagnostic[]): Promise<void> {
  try {
    const inputs = await Promise.all(config.files.map(async (file) => ({ file, sha256: (await fileHash(path.resolve(config.root, file))) ?? '' })));
    const entry: CacheEntry = { v: CACHE_VERSION, key, inputs, config, warnings };
    await mkdir(path.dirname(cacheFile), { recursive: true });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(entry));
    await rename(temp, cacheFile);
  } catch {
    // A cache that can't be written only costs time on the next run.
  }
}

async function fileHash(file: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(file)).digest('hex');
  } catch {
    return null;
  }
}
