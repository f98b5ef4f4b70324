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

export interface GuardEnvInput {
  root: string;
  hook: string;
  guard: ResolvedGuard;
  configEnv: Record<string, string>;
  // GIT_DIR/GIT_WORK_TREE/GIT_INDEX_FILE when guards run in a temporary checkout.
  gitEnv: Record<string, string>;
  base: NodeJS.ProcessEnv;
}

// Builds one guard's environment: the caller's, then the fixed set, then config, then the guard's own.
export function guardEnv(input: GuardEnvInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...input.base };
  // A hook started by `git commit` inherits variables that point git at the commit's index;
  // a guard that runs git must see the candidate instead (set below when isolated).
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX'] as const) {
    if (!input.gitEnv[key] && key !== 'GIT_INDEX_FILE') delete env[key];
  }
  Object.assign(env, FIXED_ENV, input.configEnv, input.guard.env, input.gitEnv);
  env.PATH = [join(input.root, 'node_modules', '.bin'), env.PATH ?? ''].filter(Boolean).join(delimiter);
  env.GUARDLOOP_GUARD = input.guard.id;
  env.GUARDLOOP_HOOK = input.hook;
  return env;
}
