import { delimiter, join } from 'node:path';
import type { ResolvedGuard } from '../config/schema.js';

// The variables every guard gets, whoever starts the run, so a verdict doesn't depend on the
// caller's clock zone, locale or terminal. Documented in the README ("Guard environment").
export const FIXED_ENV: Readonly<Record<string, string>> = {
  TZ: 'UTC',
  LC_ALL: 'C',
  LANG: 'C',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  CLICOLOR: '0',
  TERM: 'dumb',
  CI: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
};

// Variables that tie git to one repository (git's own list: `git rev-parse --local-env-vars`).
// A hook started by `git commit` inherits some of them; passed on to a guard, they would make every
// git command it starts — a test suite's `git init` in a temp dir included — act on the user's
// repository and index. Guards never get them: git finds the candidate by its usual discovery
// (the work tree in place, or the temporary checkout's own `.git`).
export const REPOSITORY_ENV = [
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_OBJECT_DIRECTORY',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_INDEX_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_COMMON_DIR',
] as const;

export interface GuardEnvInput {
  root: string;
  // The main worktree's root when the run is in a linked worktree (its node_modules/.bin comes
  // second on PATH, so tools installed there, guardloop itself included, are found from a worktree
  // that has no node_modules of its own).
  mainRoot?: string;
  hook: string;
  guard: ResolvedGuard;
  configEnv: Record<string, string>;
  base: NodeJS.ProcessEnv;
  // What the guard judges: the commit it is judged against (null: none, e.g. an unborn branch) and the tree.
  candidate?: { base: string | null; tree: string; parents?: string[] };
}

// Builds one guard's environment: the caller's, then the fixed set, then config, then the guard's own.
export function guardEnv(input: GuardEnvInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...input.base };
  for (const key of REPOSITORY_ENV) delete env[key];
  for (const key of Object.keys(env)) if (/^GIT_CONFIG_(KEY|VALUE)_\d+$/.test(key)) delete env[key];
  Object.assign(env, FIXED_ENV, input.configEnv, input.guard.env);
  const bins = [join(input.root, 'node_modules', '.bin'), ...(input.mainRoot && input.mainRoot !== input.root ? [join(input.mainRoot, 'node_modules', '.bin')] : [])];
  env.PATH = [...bins, env.PATH ?? ''].filter(Boolean).join(delimiter);
  env.GUARDLOOP_GUARD = input.guard.id;
  env.GUARDLOOP_HOOK = input.hook;
  // A guard that checks the change itself (not the files) diffs these: `git diff $GUARDLOOP_BASE $GUARDLOOP_TREE`.
  if (input.candidate) {
    env.GUARDLOOP_BASE = input.candidate.base ?? '';
    env.GUARDLOOP_TREE = input.candidate.tree;
    // A merge judged again: all its parents, so a check on the change can judge it against each.
    if (input.candidate.parents) env.GUARDLOOP_PARENTS = input.candidate.parents.join(' ');
    else delete env.GUARDLOOP_PARENTS;
  }
  return env;
}
