import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CorruptRefError } from '../errors/corrupt-ref-error.js';
import { NotARepositoryError } from '../errors/not-a-repository-error.js';
import { discoverWithRoot, withCommon } from './git-dir.js';
import { gitRaw, type ObjectFormat } from './git.js';

// The hash type, where callers of repo.ts look for a repository's properties.
export type { ObjectFormat } from './git.js';
// Where a repository keeps its refs (`extensions.refstorage`): loose files and packed-refs, or reftable.
export type RefStorage = 'files' | 'reftable';

export interface RepoInfo {
  // Top of the work tree.
  root: string;
  // This work tree's git dir (differs from commonDir in a linked worktree).
  gitDir: string;
  // Where refs, objects and guardloop's local state live.
  commonDir: string;
  objectsDir: string;
  // HEAD's commit, or null on an unborn branch.
  head: string | null;
  // The hash objects are named with, and the ref backend (git 3.0 defaults to sha256 and reftable).
  objectFormat: ObjectFormat;
  refStorage: RefStorage;
}

// The hash and ref backend that `extensions.objectformat` and `extensions.refstorage` name (sha1 and
// files when unset). An unknown ref backend counts as reftable: then guardloop leaves every ref to git.
export function formatOf(objectformat: string | undefined, refstorage: string | undefined): { objectFormat: ObjectFormat; refStorage: RefStorage } {
  return {
    objectFormat: objectformat?.toLowerCase() === 'sha256' ? 'sha256' : 'sha1',
    refStorage: refstorage === undefined || refstorage.toLowerCase() === 'files' ? 'files' : 'reftable',
  };
}

// A repository's hash and ref backend, from its own config file (`[extensions]`, which only the
// repository's config may set).
export function repoFormat(configText: string | null): { objectFormat: ObjectFormat; refStorage: RefStorage } {
  const found: Record<string, string> = {};
  let section = '';
  for (const line of (configText ?? '').split(/\r?\n/)) {
    const head = /^\s*\[\s*([A-Za-z0-9.-]+)/.exec(line);
    if (head) section = head[1].toLowerCase();
    const m = section === 'extensions' ? /^\s*(?:\[[^\]]*\]\s*)?(objectformat|refstorage)\s*=\s*"?([A-Za-z0-9_-]+)/i.exec(line) : null;
    if (m) found[m[1].toLowerCase()] = m[2];
  }
  return formatOf(found.objectformat, found.refstorage);
}

function readConfigText(commonDir: string): string | null {
  try {
    return readFileSync(join(commonDir, 'config'), 'utf8');
  } catch {
    return null;
  }
}

// An object id in either hash (40 or 64 lower-case hex digits).
const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

// Reads a ref the files backend stores: loose under `dir`, or in packed-refs; null when it doesn't
// exist or is symbolic. (ℛ's ref and HEAD's branch are both read this way.) A loose file, or the
// ref's packed-refs line, holding anything else is a damaged ref (CorruptRefError naming that file),
// never read as "no ref" nor as an object id.
export function readRef(dir: string, name: string): string | null {
  let v: string | null = null;
  try {
    v = readFileSync(join(dir, name), 'utf8').trim();
  } catch {
    // not a loose ref: look in packed-refs
  }
  if (v !== null) {
    if (OID.test(v)) return v;
    if (v.startsWith('ref: ')) return null;
    throw new CorruptRefError(name, join(dir, name), v);
  }
  let packed: string;
  try {
    packed = readFileSync(join(dir, 'packed-refs'), 'utf8');
  } catch {
    return null;
  }
  // A line git can't parse may be this ref's (git stops on it too): then the ref can't be told absent.
  let unparsable: string | null = null;
  for (const raw of packed.split('\n')) {
    const line = raw.trimEnd();
    if (!line || line.startsWith('#')) continue;
    const sp = line.indexOf(' ');
    const oid = line.startsWith('^') ? line.slice(1) : line.slice(0, Math.max(0, sp));
    if (line.startsWith('^') ? !OID.test(oid) : sp <= 0 || !OID.test(oid)) unparsable ??= line;
    if (sp > 0 && !line.startsWith('^') && line.slice(sp + 1) === name) {
      if (!OID.test(oid)) throw new CorruptRefError(name, join(dir, 'packed-refs'), oid);
      return oid;
    }
  }
  if (unparsable !== null) throw new CorruptRefError(name, join(dir, 'packed-refs'), unparsable);
  return null;
}

// HEAD's commit from the git dir (per worktree) and the common dir's refs; undefined when only git can tell.
function readHead(gitDir: string, commonDir: string): string | null | undefined {
  const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
  if (/^[0-9a-f]{40,64}$/.test(head)) return head;
  const m = /^ref: (refs\/\S+)$/.exec(head);
  if (!m) return undefined;
  const ref = m[1];
  // Per-worktree refs (bisect, worktree-specific) live in the git dir.
  const perWorktree = /^refs\/(bisect|worktree|rewritten)\//.test(ref);
  return readRef(perWorktree ? gitDir : commonDir, ref);
}

// Settings that move the work tree or change the layout: then we ask git itself.
function needsGit(env: NodeJS.ProcessEnv, configText: string | null): boolean {
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_CEILING_DIRECTORIES || env.GIT_COMMON_DIR) return true;
  if (configText === null) return true;
  // core.worktree moves the work tree, a bare repository has none, refstorage (reftable) changes where refs live.
  return /^\s*(worktree\s*=|bare\s*=\s*true|refstorage\s*=)/im.test(configText);
}

async function askGit(cwd: string, env?: Record<string, string | undefined>): Promise<RepoInfo> {
  const res = await gitRaw(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--verify', '-q', 'HEAD'], {
    cwd,
    env,
    okCodes: [1, 128],
  }).catch(() => null);
  const lines = res ? res.stdout.toString('utf8').split('\n') : [];
  // A failed HEAD lookup still prints the first three lines; a missing repository prints none.
  if (!res || lines.length < 3 || !lines[0] || (res.code === 128 && !lines[1])) throw new NotARepositoryError(cwd);
  const [root, gitDir, common, head] = lines;
  const dirs = withCommon(gitDir, { GIT_COMMON_DIR: resolve(cwd, common) });
  return { root, ...dirs, head: head && /^[0-9a-f]{40,64}$/.test(head) ? head : null, ...repoFormat(readConfigText(dirs.commonDir)) };
}

// Finds the repository around `cwd` — in-process for the usual layouts (a hook pays for every
// process it starts), through `git rev-parse` whenever the environment or config could move things.
export async function discoverRepo(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<RepoInfo> {
  const found = discoverWithRoot(realpathSync(cwd));
  if (found?.root) {
    const dirs = withCommon(found.gitDir, {});
    const configText = readConfigText(dirs.commonDir);
    if (!needsGit(env, configText)) {
      const head = readHead(dirs.gitDir, dirs.commonDir);
      if (head !== undefined) return { root: found.root, ...dirs, head, ...repoFormat(configText) };
    }
  }
  return askGit(cwd);
}
