// The guard sets the config has had: every first-parent commit that changed .loop/config.yaml or a
// file it extends (native `git log` over those paths, each revision's files read through one
// `git cat-file` stream), parsed and resolved as the loader does (the same YAML reading, extends
// and overrides), and the working config as it is now. Tolerant where the loader is strict: a
// revision that doesn't parse keeps the guard set before it, a guard entry without an id or a
// command is left out (the constraint log reads history, it doesn't judge it).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../messages/config.js';
import { isRecord } from '../config/is-record.js';
import { mergeGuards } from '../config/merge-guards.js';
import { findPackageDir } from '../config/package-dir.js';
import { resolveExtends } from '../config/resolve-extends.js';
import { readYamlFile, relativeToRoot } from '../config/yaml-file.js';
import { CatFileBatch } from '../git/cat-file.js';
import { git } from '../git/git.js';
import { SHALLOW_CLONE } from '../messages/constraints.js';

// One guard as a revision of the config declares it (after extends and overrides).
export interface ConfigGuard {
  id: string;
  // The command, joined with spaces when a list (as records' specs hold it).
  run: string;
  layer: string;
  invariant: string;
}

// One commit of the config's files and the guard set it left (null: the config didn't parse then).
export interface ConfigRevision {
  commit: string;
  // Committer time, ms since the epoch.
  at: number;
  guards: ConfigGuard[] | null;
  // The in-repository files read for it (the config and what it extends), relative to the root.
  files: string[];
}

// Reads a file as it was at a revision; throws ENOENT-coded errors as the loader expects.
type ReadText = (abs: string) => Promise<string>;

const missing = (abs: string) => Object.assign(new Error(`${abs}: not at this revision`), { code: 'ENOENT' });

// The guards one config resolves to, read through `readText`; null when the config file has syntax
// errors or isn't a mapping; [] when there is no config file.
export async function guardsOf(root: string, readText: ReadText): Promise<{ guards: ConfigGuard[] | null; files: string[] }> {
  const read = await readYamlFile(path.join(root, DEFAULT_CONFIG_FILE), root, readText);
  if (read.missing) return { guards: [], files: [] };
  const file = read.file;
  if (!file || file.value === undefined) return { guards: null, files: [DEFAULT_CONFIG_FILE] };
  file.value ??= {};
  if (!isRecord(file.value)) return { guards: null, files: [DEFAULT_CONFIG_FILE] };
  let packageDir: string | undefined;
  const graph = await resolveExtends(file, { root, packageDir: () => (packageDir ??= findPackageDir()), readText });
  const files = graph.ordered.map((f) => f.rel).filter((rel) => !rel.startsWith('../') && rel !== '..' && !rel.split('/').includes('node_modules'));
  const guards: ConfigGuard[] = [];
  for (const merged of mergeGuards(graph).guards) {
    const g = merged.value;
    if (!isRecord(g) || typeof g.id !== 'string' || g.enabled === false) continue;
    const run = typeof g.run === 'string' ? g.run : Array.isArray(g.run) ? g.run.map(String).join(' ') : null;
    if (!run) continue;
    guards.push({ id: g.id, run, layer: typeof g.layer === 'string' ? g.layer : 'other', invariant: typeof g.invariant === 'string' ? g.invariant : '' });
  }
  return { guards, files };
}

// Every revision of the config's files on HEAD's first-parent line, oldest first. The files a
// config extends change with it, so the paths grow until no revision names a new one.
export async function configHistory(root: string, head: string | null): Promise<ConfigRevision[]> {
  if (!head) return [];
  const cat = new CatFileBatch(root);
  const resolved = new Map<string, ConfigRevision>();
  try {
    const paths = new Set([DEFAULT_CONFIG_FILE]);
    for (;;) {
      const out = await git(['log', '--first-parent', '--format=%H %ct', head, '--', ...paths], { cwd: root });
      const commits = out
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' '))
        .reverse();
      const before = paths.size;
      for (const [commit, ct] of commits) {
        let rev = resolved.get(commit);
        if (!rev) {
          const { guards, files } = await guardsOf(root, atRevision(root, commit, cat));
          rev = { commit, at: Number(ct) * 1000, guards, files };
          resolved.set(commit, rev);
        }
        for (const f of rev.files) paths.add(f);
      }
      if (paths.size === before) return commits.map(([commit]) => resolved.get(commit)!);
    }
  } finally {
    cat.close();
  }
}

// A shallow clone (CI's default checkout) has no config history before its boundary: every guard
// looks added there, and records of older ids look like removed guards. Said on stderr, not hidden.
export async function shallowWarning(cwd: string): Promise<string | null> {
  const shallow = await git(['rev-parse', '--is-shallow-repository'], { cwd }).catch(() => 'false');
  return shallow.trim() === 'true' ? SHALLOW_CLONE : null;
}

// Reads a path inside the repository as it was at `commit`, and a path outside it (a ready-made
// guardloop/<name> file of the installed package) as it is now.
function atRevision(root: string, commit: string, cat: CatFileBatch): ReadText {
  return async (abs) => {
    const rel = relativeToRoot(root, abs);
    if (rel.startsWith('../') || rel === '..') return readFile(abs, 'utf8');
    // An installed package (`extends: [guardloop/…]` from node_modules) is never committed: read it
    // from disk, as the hooks' committed-config reader does (src/config/committed.ts).
    if (rel.split('/').includes('node_modules')) return readFile(abs, 'utf8');
    const obj = await cat.read(`${commit}:${rel}`);
    if (!obj || obj.type !== 'blob') throw missing(abs);
    return obj.data.toString('utf8');
  };
}
