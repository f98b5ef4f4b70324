import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import { cacheKey, loadConfigCached } from './load-cached.js';
import type { Config } from './schema.js';
import { ConfigError } from '../errors/config-error.js';
import { gitRaw } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';

const CONFIG_FILE = '.loop/config.yaml';

interface HeadCache {
  key: string | null;
  config: Config;
  warnings: Diagnostic[];
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

// An fs-style ENOENT: readYamlFile takes it for a missing file and reports that in its own words.
function missing(abs: string): NodeJS.ErrnoException {
  // wording-ok: never shown (readYamlFile turns ENOENT into a missing-file diagnostic)
  return Object.assign(new Error(`ENOENT: no such file at HEAD: ${abs}`), { code: 'ENOENT' });
}

// Reads files inside the repository from the commit `rev` (outside it, e.g. the package's
// ready-made guards, from disk): an agent's edited copy of the config never chooses its guards.
export function readAtRevision(repo: RepoInfo, rev: string | null): (abs: string) => Promise<string> {
  return async (abs) => {
    const rel = path.relative(repo.root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return readFile(abs, 'utf8');
    // Installed packages (`extends: [guardloop/…]` from node_modules) are never committed: read from disk.
    if (rel.split(path.sep).includes('node_modules')) return readFile(abs, 'utf8');
    if (!rev) throw missing(abs);
    const res = await gitRaw(['cat-file', 'blob', `${rev}:${rel.split(path.sep).join('/')}`], { cwd: repo.root, okCodes: [128] });
    if (res.code !== 0) throw missing(abs);
    return res.stdout.toString('utf8');
  };
}

// The config a GENERATOR run uses: the one committed at `rev` (the run's trusted base; HEAD by
// default). Before the config is first committed the working copy is used (`.loop/**` is always
// protected, so an agent can't pass with a config of its own).
export async function loadCommittedConfig(repo: RepoInfo, rev: string | null = repo.head): Promise<{ config: Config; warnings: Diagnostic[]; atHead: boolean }> {
  // An agent stops many times on one commit: the config resolved at a commit is kept, keyed by the
  // commit and this build of guardloop, so repeated stops load no YAML or schema.
  const headCache = path.join(repo.commonDir, 'guardloop', 'config-at-head.json');
  const key = rev ? `${await cacheKey({ root: repo.root })}|${rev}` : null;
  if (key) {
    // A torn or foreign cache file is a miss, never an error (it would turn every stop into one).
    const hit = await readFile(headCache, 'utf8').then(
      (t) => {
        try {
          return JSON.parse(t) as HeadCache | null;
        } catch {
          return null;
        }
      },
      () => null,
    );
    if (hit && typeof hit === 'object' && hit.key === key && hit.config && typeof hit.config === 'object') return { config: hit.config, warnings: hit.warnings, atHead: true };
  }
  const atHead = rev !== null && (await gitRaw(['cat-file', '-e', `${rev}:${CONFIG_FILE}`], { cwd: repo.root, okCodes: [1, 128] })).code === 0;
  if (atHead) {
    const { loadConfig } = await import('./load.js');
    const { config, errors, warnings } = await loadConfig({ root: repo.root, readText: readAtRevision(repo, rev) });
    if (!config || errors.length) throw new ConfigError(errors);
    await writeAtomically(headCache, JSON.stringify({ key, config, warnings } satisfies HeadCache)).catch(() => undefined);
    return { config, warnings, atHead };
  }
  const cacheFile = path.join(repo.commonDir, 'guardloop', 'config-cache.json');
  const { config, errors, warnings } = await loadConfigCached({ root: repo.root, cacheFile });
  if (!config || errors.length) throw new ConfigError(errors);
  return { config, warnings, atHead };
}
