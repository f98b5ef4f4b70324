import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { git } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';
import {
  BINARY_MISSING,
  HOOKS_PATH_UNSET,
  hookMissing,
  hookNotCalling,
  hookNotExecutable,
  hooksDirMissing,
  huskyDirMissing,
  leanDirMissing,
  notInitialized,
  otherToolHook,
} from '../messages/status.js';

// The git hooks guardloop installs, as `status` checks them (pre-merge-commit: what `git merge` and
// `git pull` run instead of pre-commit).
const HOOK_NAMES = ['pre-commit', 'pre-merge-commit', 'post-commit', 'pre-push'] as const;
// The lean hooks every init has written (an older init's .loop/hooks lacks pre-merge-commit).
const CORE_HOOKS = ['pre-commit', 'post-commit', 'pre-push'] as const;
// The lean mode's committed hooks folder and husky's generated one (relative to a worktree's root).
const LEAN_DIR = '.loop/hooks';
const HUSKY_DIR = '.husky/_';

// Whose folder core.hooksPath names: guardloop's lean one, husky's, git's default (unset), or another tool's.
export type HooksKind = 'lean' | 'husky' | 'default' | 'other';

// One git hook as this worktree's git would run it.
export interface GitHookState {
  name: string;
  // The file git runs (shown relative to the worktree when inside it).
  file: string;
  present: boolean;
  executable: boolean;
  // The file (husky: .husky/<hook>, which husky's stub runs) calls guardloop or chains .loop/hooks.
  callsGuardloop: boolean;
}

// The hooks facts of this worktree: where git looks, what it finds, and whether guardloop can start.
export interface GitHooksStatus {
  // `git rev-parse --git-path hooks` (core.hooksPath respected), absolute.
  path: string;
  configured: string | null;
  kind: HooksKind;
  exists: boolean;
  hooks: GitHookState[];
  binary: { path: string | null; where: 'worktree' | 'main' | null };
}

// A problem found, and the command that closes it (in `message`).
export interface StatusProblem {
  route: string;
  message: string;
}

const CALLS = /guardloop|\.loop\/hooks\//;

function executable(file: string): boolean {
  try {
    return (statSync(file).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

async function text(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}

// guardloop's binary as the hook scripts find it: this worktree's node_modules, else the main worktree's.
export function findBinary(root: string, commonDir: string): GitHooksStatus['binary'] {
  const here = join(root, 'node_modules', '.bin', 'guardloop');
  if (executable(here)) return { path: here, where: 'worktree' };
  const main = join(dirname(commonDir), 'node_modules', '.bin', 'guardloop');
  if (executable(main)) return { path: main, where: 'main' };
  return { path: null, where: null };
}

// Reads which hooks git will run in this worktree and whether each reaches guardloop.
export async function gitHooksStatus(repo: RepoInfo): Promise<GitHooksStatus> {
  const configured = (await git(['config', '--get', 'core.hooksPath'], { cwd: repo.root, okCodes: [1] })) || null;
  const path = await git(['rev-parse', '--path-format=absolute', '--git-path', 'hooks'], { cwd: repo.root });
  const at = (dir: string) => resolve(repo.root, dir);
  const kind: HooksKind = configured === null ? 'default' : resolve(path) === at(LEAN_DIR) ? 'lean' : resolve(path) === at(HUSKY_DIR) ? 'husky' : 'other';
  const show = (file: string) => (relative(repo.root, file).startsWith('..') || isAbsolute(relative(repo.root, file)) ? file : relative(repo.root, file));
  const hooks: GitHookState[] = [];
  for (const name of HOOK_NAMES) {
    const file = join(path, name);
    const body = kind === 'husky' ? join(repo.root, '.husky', name) : file;
    hooks.push({ name, file: show(file), present: existsSync(file), executable: executable(file), callsGuardloop: existsSync(file) && CALLS.test(await text(body)) });
  }
  return { path, configured, kind, exists: existsSync(path), hooks, binary: findBinary(repo.root, repo.commonDir) };
}

// The bypass routes the hooks leave open, each with its fix.
export function gitHookProblems(s: GitHooksStatus, root: string): StatusProblem[] {
  const out: StatusProblem[] = [];
  const shown = relative(root, s.path) || s.path;
  if (!s.exists) {
    const message = s.kind === 'husky' ? huskyDirMissing(shown) : s.kind === 'lean' ? leanDirMissing(shown) : hooksDirMissing(s.configured ?? shown);
    if (s.kind !== 'default') out.push({ route: 'hooks-missing', message });
  }
  const leanThere = CORE_HOOKS.every((h) => existsSync(join(root, LEAN_DIR, h)));
  if (s.kind === 'default' && leanThere) out.push({ route: 'hooks-path-unset', message: HOOKS_PATH_UNSET });
  else if (s.exists || s.kind === 'default') {
    for (const h of s.hooks) {
      if (h.present && h.executable && h.callsGuardloop) continue;
      if (s.kind === 'default') out.push({ route: 'hooks-missing', message: notInitialized(h.name) });
      else if (s.kind === 'other' && !(h.present && h.callsGuardloop)) out.push({ route: 'hooks-path-elsewhere', message: otherToolHook(h.name, h.file, s.configured!) });
      else if (!h.present) out.push({ route: 'hooks-missing', message: hookMissing(h.name, h.file) });
      else if (!h.executable) out.push({ route: 'hooks-not-executable', message: hookNotExecutable(h.name, h.file) });
      else out.push({ route: 'hooks-not-calling', message: hookNotCalling(h.name, h.file) });
    }
  }
  if (!s.binary.path) out.push({ route: 'binary-missing', message: BINARY_MISSING });
  return out;
}
