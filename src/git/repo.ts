import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NotARepositoryError } from '../errors/not-a-repository-error.js';
import { discoverWithRoot, withCommon } from './git-dir.js';
import { gitRaw } from './git.js';

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
}

// Reads a ref the files backend stores: loose under `dir`, or in packed-refs; null when it doesn't
// exist or is symbolic. (ℛ's ref and HEAD's branch are both read this way.)
export function readRef(dir: string, name: string): string | null {
  try {
    const v = readFileSync(join(dir, name), 'utf8').trim();
    if (/^[0-9a-f]{40,64}$/.test(v)) return v;
    if (v.startsWith('ref: ')) return null;
  } catch {
    // not a loose ref: look in packed-refs
  }
  try {
    for (const line of readFileSync(join(dir, 'packed-refs'), 'utf8').split('\n')) {
      const sp = line.indexOf(' ');
      if (sp > 0 && line.slice(sp + 1) === name && !line.startsWith('#') && !line.startsWith('^')) return line.slice(0, sp);
    }
  } catch {
    // no packed-refs
  }
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
function needsGit(env: NodeJS.ProcessEnv, commonDir: string): boolean {
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_CEILING_DIRECTORIES || env.GIT_COMMON_DIR) return true;
  try {
    // core.worktree moves the work tree, a bare repository has none, refstorage (reftable) changes where refs live.
    return /^\s*(worktree\s*=|bare\s*=\s*true|refstorage\s*=)/im.test(readFileSync(join(commonDir, 'config'), 'utf8'));
  } catch {
    return true;
  }
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
  return { root, ...dirs, head: head && /^[0-9a-f]{40,64}$/.test(head) ? head : null };
}

// Finds the repository around `cwd` — in-process for the usual layouts (a hook pays for every
// process it starts), through `git rev-parse` whenever the environment or config could move things.
export async function discoverRepo(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<RepoInfo> {
  const found = discoverWithRoot(realpathSync(cwd));
  if (found?.root) {
    const dirs = withCommon(found.gitDir, {});
    if (!needsGit(env, dirs.commonDir)) {
      const head = readHead(dirs.gitDir, dirs.commonDir);
      if (head !== undefined) return { root: found.root, ...dirs, head };
    }
  }
  return askGit(cwd);
}
