import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { git } from './git.js';
import { NotARepositoryError } from '../errors/not-a-repository-error.js';

// Where a repository keeps things: the per-worktree git dir, the shared (common) dir holding
// refs and config, and the object directory.
export interface GitDirs {
  gitDir: string;
  commonDir: string;
  objectsDir: string;
}

function isGitDir(dir: string): boolean {
  return existsSync(join(dir, 'HEAD')) && (existsSync(join(dir, 'objects')) || existsSync(join(dir, 'commondir')));
}

// Adds the common dir (shared by linked worktrees) and the object dir to a git dir.
export function withCommon(gitDir: string, env: NodeJS.ProcessEnv): GitDirs {
  let commonDir = gitDir;
  const commonFile = join(gitDir, 'commondir');
  if (existsSync(commonFile)) commonDir = resolve(gitDir, readFileSync(commonFile, 'utf8').trim());
  if (env.GIT_COMMON_DIR) commonDir = resolve(env.GIT_COMMON_DIR);
  const objectsDir = env.GIT_OBJECT_DIRECTORY ? resolve(env.GIT_OBJECT_DIRECTORY) : join(commonDir, 'objects');
  return { gitDir, commonDir, objectsDir };
}

// Walks up from `cwd` as git does: the git dir, and the work tree it belongs to (null for a bare one).
export function discover(cwd: string): string | null {
  return discoverWithRoot(cwd)?.gitDir ?? null;
}

// The same walk, also telling which folder holds the `.git` (the top of the work tree).
export function discoverWithRoot(cwd: string): { gitDir: string; root: string | null } | null {
  let dir = resolve(cwd);
  for (;;) {
    const dotGit = join(dir, '.git');
    try {
      const st = statSync(dotGit);
      if (st.isDirectory() && isGitDir(dotGit)) return { gitDir: dotGit, root: dir };
      if (st.isFile()) {
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
        if (m) return { gitDir: resolve(dir, m[1]), root: dir };
      }
    } catch {
      // no .git here: keep walking up
    }
    if (isGitDir(dir) && existsSync(join(dir, 'refs'))) return { gitDir: dir, root: null };
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

// Finds the repository of `cwd` without starting git when the layout is the usual one.
export async function findGitDirs(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<GitDirs> {
  if (env.GIT_DIR) return withCommon(resolve(cwd, env.GIT_DIR), env);
  if (!env.GIT_CEILING_DIRECTORIES && !env.GIT_DISCOVERY_ACROSS_FILESYSTEM) {
    const found = discover(cwd);
    if (found) return withCommon(found, env);
  }
  try {
    const [gitDir, commonDir] = (await git(['rev-parse', '--absolute-git-dir', '--git-common-dir'], { cwd })).split('\n');
    return withCommon(gitDir, { ...env, GIT_COMMON_DIR: resolve(cwd, commonDir) });
  } catch {
    throw new NotARepositoryError(cwd);
  }
}
