import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { OLD_HUSKY_LINES } from '../config/constants.js';
import { git, gitRaw } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';
import {
  BINARY_MISSING,
  HOOKS_PATH_EMPTY,
  HOOKS_PATH_UNSET,
  defaultHookNotChained,
  hookMissing,
  hookNotCalling,
  hookNotExecutable,
  hookOutdated,
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

// Whose folder core.hooksPath names: guardloop's lean one, husky's, git's default (unset), another
// tool's, or none at all (set to the empty string: git then runs no hook).
export type HooksKind = 'lean' | 'husky' | 'default' | 'other' | 'empty';

// One git hook as this worktree's git would run it.
export interface GitHookState {
  name: string;
  // The file git runs (shown relative to the worktree when inside it).
  file: string;
  present: boolean;
  executable: boolean;
  // The file (husky: .husky/<hook>, which husky's stub runs) has a line that runs guardloop or chains .loop/hooks.
  callsGuardloop: boolean;
  // The file that holds guardloop's line, the one to edit (husky: .husky/<hook>, not husky's stub).
  source: string;
  // Its guardloop line is one an earlier guardloop wrote (`guardloop run --hook …` alone), which
  // fails with exit 127 in a worktree without node_modules: `guardloop init` replaces it.
  outdated: boolean;
}

// The hooks facts of this worktree: where git looks, what it finds, and whether guardloop can start.
export interface GitHooksStatus {
  // `git rev-parse --git-path hooks` (core.hooksPath respected), absolute.
  path: string;
  configured: string | null;
  kind: HooksKind;
  exists: boolean;
  hooks: GitHookState[];
  // The hooks another tool keeps in git's own hooks folder (kind `default`; a `.sample` is git's).
  otherHooks: string[];
  binary: { path: string | null; where: 'worktree' | 'main' | null };
}

// A problem found, and the command that closes it (in `message`).
export interface StatusProblem {
  route: string;
  message: string;
}

// A line that runs guardloop: `guardloop run`, the lean hook of the same name, the binary, npx guardloop.
function runsGuardloop(line: string, hook: string): boolean {
  const lean = new RegExp(`(^|[\\s"'/;&|(])\\.loop/hooks/${hook}(?![\\w-])`);
  return /\bguardloop\s+run\b|node_modules\/\.bin\/guardloop\b|\bnpx\s+(-\S+\s+)*guardloop\b/.test(line) || lean.test(line);
}

// A hook file's lines as the shell runs them: no blank lines, no comments.
function codeLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}


// Whether a hook file runs guardloop (a mere mention in a comment does not count), and whether its line is an old one.
export function hookCallFacts(text: string, hook: string): { callsGuardloop: boolean; outdated: boolean } {
  const lines = codeLines(text);
  const callsGuardloop = lines.some((l) => runsGuardloop(l, hook));
  const current = lines.some((l) => runsGuardloop(l, hook) && !OLD_HUSKY_LINES.includes(l.replace(/\s+/g, ' ')));
  return { callsGuardloop, outdated: callsGuardloop && !current };
}

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

// The hooks another tool keeps in git's own hooks folder (a `.sample` is git's, not a tool's).
function activeDefaultHooks(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => !f.endsWith('.sample'));
  } catch {
    return [];
  }
}

// Reads which hooks git will run in this worktree and whether each reaches guardloop.
export async function gitHooksStatus(repo: RepoInfo): Promise<GitHooksStatus> {
  const read = await gitRaw(['config', '--get', 'core.hooksPath'], { cwd: repo.root, okCodes: [1] });
  const configured = read.code === 0 ? read.stdout.toString('utf8').replace(/\n$/, '') : null;
  const binary = findBinary(repo.root, repo.commonDir);
  // `git rev-parse --git-path hooks` fails on an empty core.hooksPath, and git runs no hook at all.
  if (configured === '') return { path: '', configured, kind: 'empty', exists: false, hooks: [], otherHooks: [], binary };
  const path = await git(['rev-parse', '--path-format=absolute', '--git-path', 'hooks'], { cwd: repo.root });
  const at = (dir: string) => resolve(repo.root, dir);
  const kind: HooksKind = configured === null ? 'default' : resolve(path) === at(LEAN_DIR) ? 'lean' : resolve(path) === at(HUSKY_DIR) ? 'husky' : 'other';
  const show = (file: string) => (relative(repo.root, file).startsWith('..') || isAbsolute(relative(repo.root, file)) ? file : relative(repo.root, file));
  const hooks: GitHookState[] = [];
  for (const name of HOOK_NAMES) {
    const file = join(path, name);
    const body = kind === 'husky' ? join(repo.root, '.husky', name) : file;
    const facts = existsSync(file) ? hookCallFacts(await text(body), name) : { callsGuardloop: false, outdated: false };
    hooks.push({ name, file: show(file), present: existsSync(file), executable: executable(file), ...facts, source: show(body) });
  }
  return { path, configured, kind, exists: existsSync(path), hooks, otherHooks: kind === 'default' ? activeDefaultHooks(path) : [], binary };
}

// The bypass routes the hooks leave open, each with its fix.
export function gitHookProblems(s: GitHooksStatus, root: string): StatusProblem[] {
  const out: StatusProblem[] = [];
  if (s.kind === 'empty') return [{ route: 'hooks-path-empty', message: HOOKS_PATH_EMPTY }, ...(s.binary.path ? [] : [{ route: 'binary-missing', message: BINARY_MISSING }])];
  const shown = relative(root, s.path) || s.path;
  if (!s.exists) {
    const message = s.kind === 'husky' ? huskyDirMissing(shown) : s.kind === 'lean' ? leanDirMissing(shown) : hooksDirMissing(s.configured ?? shown);
    if (s.kind !== 'default') out.push({ route: 'hooks-missing', message });
  }
  const leanThere = CORE_HOOKS.every((h) => existsSync(join(root, LEAN_DIR, h)));
  // git's own folder holding no hook of any tool: `guardloop install` points git at .loop/hooks.
  if (s.kind === 'default' && leanThere && !s.otherHooks.length) out.push({ route: 'hooks-path-unset', message: HOOKS_PATH_UNSET });
  else if (s.exists || s.kind === 'default') {
    for (const h of s.hooks) {
      if (h.present && h.executable && h.callsGuardloop) {
        if (h.outdated) out.push({ route: 'hooks-outdated', message: hookOutdated(h.name, h.source) });
        continue;
      }
      // Another tool's hooks in .git/hooks (install leaves them running): each must chain guardloop's.
      if (s.kind === 'default' && leanThere && h.present && !h.executable) out.push({ route: 'hooks-not-executable', message: hookNotExecutable(h.name, h.file) });
      else if (s.kind === 'default' && leanThere) out.push({ route: 'hooks-not-chained', message: defaultHookNotChained(h.name, h.file, h.present) });
      else if (s.kind === 'default') out.push({ route: 'hooks-missing', message: notInitialized(h.name) });
      else if (s.kind === 'other' && !(h.present && h.callsGuardloop)) out.push({ route: 'hooks-path-elsewhere', message: otherToolHook(h.name, h.file, s.configured!) });
      else if (!h.present) out.push({ route: 'hooks-missing', message: hookMissing(h.name, h.file) });
      else if (!h.executable) out.push({ route: 'hooks-not-executable', message: hookNotExecutable(h.name, h.file) });
      else out.push({ route: 'hooks-not-calling', message: hookNotCalling(h.name, h.source) });
    }
  }
  if (!s.binary.path) out.push({ route: 'binary-missing', message: BINARY_MISSING });
  return out;
}
