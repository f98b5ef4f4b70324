// The content half of globbed keys: one `git ls-tree -r -z` of the candidate tree, and for each set of
// globs the digest of the entries (mode, oid, path) they match, compiled exactly as `files:` globs are.
import { createHash } from 'node:crypto';
import type picomatchType from 'picomatch';
import { globOptions } from '../config/glob-check.js';
import { gitRaw } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';

// One blob, link or submodule of a tree, as ls-tree names it.
export interface TreeEntry {
  mode: string;
  oid: string;
  path: string;
}

// Every entry of a tree, recursively, in git's order.
export async function listTree(repo: RepoInfo, tree: string): Promise<TreeEntry[]> {
  const out = (await gitRaw(['ls-tree', '-r', '-z', '--full-tree', tree], { cwd: repo.root })).stdout.toString('utf8');
  const entries: TreeEntry[] = [];
  for (const item of out.split('\0')) {
    if (!item) continue;
    const tab = item.indexOf('\t');
    const [mode, , oid] = item.slice(0, tab).split(' ');
    entries.push({ mode, oid, path: item.slice(tab + 1) });
  }
  return entries;
}

type Picomatch = typeof picomatchType;

// One glob's matcher, as `files:` globs are compiled, behind a cheap test of the folder every match
// lies in (the glob's static base, e.g. `src` for `src/**/*.ts`): the matcher runs only on paths
// there, so a large tree costs a prefix test per path. Globs without such a base (`*.ts`, `{a,b}/**`,
// a negation) are matched on every path.
export function globMatcher(picomatch: Picomatch, glob: string): (path: string) => boolean {
  const options = globOptions(glob);
  const match = picomatch(glob, options);
  const scan = picomatch.scan(glob);
  if (options.basename || scan.negated || scan.prefix !== '' || !scan.base) return match;
  const base = scan.base;
  const inside = `${base}/`;
  return (path) => (path === base || path.startsWith(inside)) && match(path);
}

// Glob tests (tree entries × distinct globs) the listing may cost: past it, globbed guards key on the
// whole tree instead (still exact, reuse only on the same tree). A glob test over a path costs 0.1–2 µs
// (picomatch's `**` patterns are the slow ones), so this bounds the keying of a run at about 0.5 s.
export const GLOB_TEST_BUDGET = 500_000;

// The digest of each glob set's matching entries (`files:` semantics: a glob without a slash matches
// the file name in any folder; no match is a digest too: "none of them exists"). Each distinct glob is
// tested once per entry, whichever sets share it. Null when that exceeds GLOB_TEST_BUDGET.
export async function entriesDigests(entries: TreeEntry[], globSets: string[][]): Promise<string[] | null> {
  const distinct = [...new Set(globSets.flat())];
  if (entries.length * distinct.length > GLOB_TEST_BUDGET) return null;
  const picomatch = (await import('picomatch')).default;
  const hits = new Map<string, Uint8Array>();
  for (const glob of distinct) {
    const match = globMatcher(picomatch, glob);
    const flags = new Uint8Array(entries.length);
    entries.forEach((e, i) => (flags[i] = match(e.path) ? 1 : 0));
    hits.set(glob, flags);
  }
  return globSets.map((globs) => {
    const flags = globs.map((g) => hits.get(g)!);
    const hash = createHash('sha256').update(`globs\0${JSON.stringify(globs)}\0`);
    entries.forEach((e, i) => {
      if (flags.some((f) => f[i])) hash.update(`${e.mode} ${e.oid}\t${e.path}\0`);
    });
    return hash.digest('hex');
  });
}
