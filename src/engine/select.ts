import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ResolvedGuard } from '../config/schema.js';
import { canonicalJson } from '../config/config-hash.js';
import { compileGlob } from '../config/glob-check.js';

export type RunHook = 'pre-commit' | 'pre-push' | 'stop' | 'manual' | 'run';

export interface SelectedGuard {
  guard: ResolvedGuard;
  // Changed paths matching the guard's `files` (null when it has none: it always runs).
  files: string[] | null;
  skip: boolean;
}

// Picks the guards of a hook (all of them for a run by hand) and matches their `files` globs
// against the changed paths; a guard with globs and no match is skipped.
export async function selectGuards(guards: ResolvedGuard[], hook: RunHook, changed: string[], deleted: ReadonlySet<string> = new Set()): Promise<SelectedGuard[]> {
  // The glob matcher loads only when a guard has `files` (a hook pays for what it uses).
  const picomatch = guards.some((g) => g.files) ? (await import('picomatch')).default : null;
  return guards
    .filter((g) => hook === 'run' || g.on.includes(hook))
    .map((guard) => {
      if (!guard.files) return { guard, files: null, skip: false };
      // A glob without a slash matches the file name in any folder, as in lint-staged.
      const matchers = guard.files.map((glob) => compileGlob(picomatch!, glob));
      const matched = changed.filter((p) => matchers.some((m) => m(p)));
      // A deleted path still makes the guard run (it may break an import), but is never passed as {files}.
      const files = matched.filter((p) => !deleted.has(p));
      const usesFiles = JSON.stringify(guard.run).includes('{files}');
      return { guard, files, skip: matched.length === 0 || (usesFiles && files.length === 0) };
    });
}

// What of a guard's own definition can change its verdict (the run's guard set and each guard's
// reuse key both hash it, so the two never disagree on what a change to a guard is).
export function guardDefinition(guard: ResolvedGuard): Record<string, unknown> {
  const def: Record<string, unknown> = { id: guard.id, run: guard.run, env: guard.env, cwd: posix.normalize(guard.cwd), fix: guard.fix, timeout: guard.timeout };
  // Retries change what a verdict means (a pass may come on a later try); absent, the hash is as before.
  if (guard.retries) def.retries = guard.retries;
  return def;
}

// Identifies what would run: the guards' definitions, the files they'd see and the config's top-level
// `env` (every guard gets it). Two runs with the same tree and the same guard set reach the same
// verdict, so a cached ACCEPTED is reusable. Not in it: the caller's own environment (PATH, HOME, …),
// which guards inherit — keying on it would make every shell miss the cache — and anything outside the
// candidate tree a guard reads (ignored or untracked files, node_modules).
// `where` is how the candidate is laid out for guards (`isolation`, `link`): it changes what they see.
export function guardSetHash(selected: SelectedGuard[], envVersion: string, configEnv: Readonly<Record<string, string>> = {}, where: Readonly<Record<string, unknown>> = {}): string {
  const material = selected.map(({ guard, files, skip }) => ({ ...guardDefinition(guard), files, skip }));
  const layout = Object.keys(where).length ? { where } : {};
  return createHash('sha256').update(canonicalJson({ envVersion, configEnv, ...layout, material })).digest('hex').slice(0, 32);
}
