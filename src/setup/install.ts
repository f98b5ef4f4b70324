import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NotARepositoryError } from '../errors/not-a-repository-error.js';
import { git, gitRaw } from '../git/git.js';
import { discoverRepo } from '../git/repo.js';
import { INSTALL_DISABLED, INSTALL_NO_REPO, installAlready, installNoHooks, installOtherHooks, installOtherTool, installSet } from '../messages/setup.js';
import { INSTALL_NOTES_MERGE, installHuskyMode } from '../messages/setup.js';
import { CORE_GIT_HOOKS, LEAN_HOOKS_DIR } from './hook-scripts.js';

export interface InstallOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

// What `guardloop install` did: `set` and `already` leave the lean hooks live; the rest leave git as it was
// (`husky`: the project runs its hooks through husky, which install leaves alone).
export interface InstallResult {
  action: 'set' | 'already' | 'other-tool' | 'other-hooks' | 'husky' | 'no-hooks' | 'no-repo' | 'disabled';
  // core.hooksPath after install (null: unset).
  hooksPath: string | null;
  // Whether install set notes.guardloop.mergeStrategy (it was unset).
  notesMerge?: boolean;
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

// A husky-mode project: core.hooksPath is husky's folder (9: .husky/_, 8: .husky), or, with
// .loop/hooks holding no git hooks, husky is a dependency or .husky/ exists (as init chooses).
function isHuskyProject(root: string, current: string | null): boolean {
  if (current && ['.husky/_', '.husky'].some((d) => resolve(root, current) === resolve(root, d))) return true;
  if (CORE_GIT_HOOKS.some((h) => existsSync(join(root, LEAN_HOOKS_DIR, h)))) return false;
  if (existsSync(join(root, '.husky'))) return true;
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string>; dependencies?: Record<string, string> };
    return Boolean(pkg.devDependencies?.husky || pkg.dependencies?.husky);
  } catch {
    return false;
  }
}

// Sets ℛ's lossless native merge where it is unset (a fresh clone has none: status would report it).
async function ensureNotesMerge(root: string): Promise<boolean> {
  const key = 'notes.guardloop.mergeStrategy';
  const { code } = await gitRaw(['config', '--get', key], { cwd: root, okCodes: [1] });
  if (code === 0) return false;
  await git(['config', key, 'cat_sort_uniq'], { cwd: root });
  return true;
}

// What install decided about core.hooksPath (before the merge setting is added to its message).
async function decide(root: string, commonDir: string): Promise<InstallResult> {
  const current = (await git(['config', '--get', 'core.hooksPath'], { cwd: root, okCodes: [1] })) || null;
  if (isLeanHooksPath(current, root)) return { action: 'already', hooksPath: current, message: installAlready(current!) };
  if (isHuskyProject(root, current)) return { action: 'husky', hooksPath: current, message: installHuskyMode(current) };
  if (current !== null) return { action: 'other-tool', hooksPath: current, message: installOtherTool(current, LEAN_HOOKS_DIR) };
  if (!CORE_GIT_HOOKS.every((h) => existsSync(join(root, LEAN_HOOKS_DIR, h)))) return { action: 'no-hooks', hooksPath: null, message: installNoHooks(LEAN_HOOKS_DIR) };
  const others = activeDefaultHooks(commonDir);
  if (others.length) return { action: 'other-hooks', hooksPath: null, message: installOtherHooks(others, LEAN_HOOKS_DIR) };
  await git(['config', 'core.hooksPath', LEAN_HOOKS_DIR], { cwd: root });
  return { action: 'set', hooksPath: LEAN_HOOKS_DIR, message: installSet(LEAN_HOOKS_DIR) };
}

// `guardloop install` (the lean mode's prepare script): points core.hooksPath at the committed
// .loop/hooks when it is unset (or empty) or already guardloop's, and sets ℛ's merge setting when unset.
// Never fails an `npm install`: outside a repository, under GUARDLOOP=0, where another tool owns the
// hooks, or in a husky-mode project, it says so and leaves core.hooksPath as it is.
export async function install(opts: InstallOptions = {}): Promise<InstallResult> {
  const env = opts.env ?? process.env;
  if (env.GUARDLOOP === '0') return { action: 'disabled', hooksPath: null, message: INSTALL_DISABLED };
  const repo = await discoverRepo(opts.cwd ?? process.cwd(), env).catch((e: unknown) => {
    if (e instanceof NotARepositoryError) return null;
    throw e;
  });
  if (!repo) return { action: 'no-repo', hooksPath: null, message: INSTALL_NO_REPO };
  const result = await decide(repo.root, repo.commonDir);
  const notesMerge = await ensureNotesMerge(repo.root);
  return { ...result, notesMerge, message: notesMerge ? `${result.message} ${INSTALL_NOTES_MERGE}` : result.message };
}
