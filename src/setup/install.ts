import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NotARepositoryError } from '../errors/not-a-repository-error.js';
import { git } from '../git/git.js';
import { discoverRepo } from '../git/repo.js';
import { INSTALL_DISABLED, INSTALL_NO_REPO, installAlready, installNoHooks, installOtherHooks, installOtherTool, installSet } from '../messages/setup.js';
import { CORE_GIT_HOOKS, LEAN_HOOKS_DIR } from './hook-scripts.js';

export interface InstallOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

// What `guardloop install` did: `set` and `already` leave the lean hooks live; the rest leave git as it was.
export interface InstallResult {
  action: 'set' | 'already' | 'other-tool' | 'other-hooks' | 'no-hooks' | 'no-repo' | 'disabled';
  // core.hooksPath after install (null: unset).
  hooksPath: string | null;
  message: string;
}

// Whether a core.hooksPath value names the lean mode's hooks folder of `root`.
export function isLeanHooksPath(value: string | null, root: string): boolean {
  return value !== null && value !== '' && resolve(root, value) === resolve(root, LEAN_HOOKS_DIR);
}

// The hooks another tool keeps in git's own hooks folder (a `.sample` is git's, not a tool's).
function activeDefaultHooks(commonDir: string): string[] {
  try {
    return readdirSync(join(commonDir, 'hooks')).filter((f) => !f.endsWith('.sample'));
  } catch {
    return [];
  }
}

// `guardloop install` (the lean mode's prepare script): points core.hooksPath at the committed
// .loop/hooks when it is unset or already guardloop's. Never fails an `npm install`: outside a
// repository, under GUARDLOOP=0, or where another tool owns the hooks, it says so and changes nothing.
export async function install(opts: InstallOptions = {}): Promise<InstallResult> {
  const env = opts.env ?? process.env;
  if (env.GUARDLOOP === '0') return { action: 'disabled', hooksPath: null, message: INSTALL_DISABLED };
  const repo = await discoverRepo(opts.cwd ?? process.cwd(), env).catch((e: unknown) => {
    if (e instanceof NotARepositoryError) return null;
    throw e;
  });
  if (!repo) return { action: 'no-repo', hooksPath: null, message: INSTALL_NO_REPO };
  const current = (await git(['config', '--get', 'core.hooksPath'], { cwd: repo.root, okCodes: [1] })) || null;
  if (isLeanHooksPath(current, repo.root)) return { action: 'already', hooksPath: current, message: installAlready(current!) };
  if (current !== null) return { action: 'other-tool', hooksPath: current, message: installOtherTool(current, LEAN_HOOKS_DIR) };
  if (!CORE_GIT_HOOKS.every((h) => existsSync(join(repo.root, LEAN_HOOKS_DIR, h)))) return { action: 'no-hooks', hooksPath: null, message: installNoHooks(LEAN_HOOKS_DIR) };
  const others = activeDefaultHooks(repo.commonDir);
  if (others.length) return { action: 'other-hooks', hooksPath: null, message: installOtherHooks(others, LEAN_HOOKS_DIR) };
  await git(['config', 'core.hooksPath', LEAN_HOOKS_DIR], { cwd: repo.root });
  return { action: 'set', hooksPath: LEAN_HOOKS_DIR, message: installSet(LEAN_HOOKS_DIR) };
}
