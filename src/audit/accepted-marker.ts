// The marker a pre-commit run leaves when it ACCEPTs: the tree it accepted, in this worktree's git
// dir. The post-commit hook compares it with the new commit's tree in shell (one git process), so a
// commit that was checked never starts Node a second time.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { discover } from '../git/git-dir.js';

// Where the marker lives: `git rev-parse --git-path guardloop/accepted-tree` names the same file.
export function acceptedMarkerFile(gitDir: string): string {
  return join(gitDir, 'guardloop', 'accepted-tree');
}

// This worktree's git dir as git hands it to a hook (GIT_DIR when git set it), without a git process.
export function hookGitDir(cwd: string, env: NodeJS.ProcessEnv): string | null {
  return env.GIT_DIR ? resolve(cwd, env.GIT_DIR) : discover(cwd);
}

// Leaves the marker for an ACCEPTED pre-commit (best effort: without it post-commit only looks in ℛ).
export function markAccepted(cwd: string, env: NodeJS.ProcessEnv, tree: string): void {
  const gitDir = hookGitDir(cwd, env);
  if (!gitDir) return;
  try {
    mkdirSync(join(gitDir, 'guardloop'), { recursive: true });
    writeFileSync(acceptedMarkerFile(gitDir), `${tree}\n`);
  } catch {
    // a read-only git dir: post-commit falls back to reading ℛ
  }
}

// Forgets the marker once post-commit has used it.
export function clearAccepted(gitDir: string): void {
  rmSync(acceptedMarkerFile(gitDir), { force: true });
}
