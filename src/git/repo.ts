import { resolve } from 'node:path';
import { NotARepositoryError } from '../errors/not-a-repository-error.js';
import { gitRaw } from './git.js';

export interface RepoInfo {
  // Top of the work tree.
  root: string;
  // This work tree's git dir (differs from commonDir in a linked worktree).
  gitDir: string;
  // Where refs, objects and guardloop's local state live.
  commonDir: string;
  // HEAD's commit, or null on an unborn branch.
  head: string | null;
}

// Finds the repository around `cwd` in one git call (a hook pays for every process it starts).
export async function discoverRepo(cwd: string, env?: Record<string, string | undefined>): Promise<RepoInfo> {
  const res = await gitRaw(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--verify', '-q', 'HEAD'], {
    cwd,
    env,
    okCodes: [1, 128],
  }).catch(() => null);
  const lines = res ? res.stdout.toString('utf8').split('\n') : [];
  // A failed HEAD lookup still prints the first three lines; a missing repository prints none.
  if (!res || lines.length < 3 || !lines[0] || (res.code === 128 && !lines[1])) throw new NotARepositoryError(cwd);
  const [root, gitDir, common, head] = lines;
  return {
    root,
    gitDir,
    commonDir: resolve(cwd, common),
    head: head && /^[0-9a-f]{40,64}$/.test(head) ? head : null,
  };
}
