// A guard's key: what its verdict depends on, so a recorded verdict of the same key can stand for a run
// (issue 13, "run only what changed"). Two halves, `<def>-<content>`: the definition (what
// guardSetHash hashes for the guard, its globs, the engine version and the config's `env` and layout)
// and the content of its inputs (the tree entries its `inputs:` globs match, else its `files:` globs,
// else the whole tree; plus the paths it is passed when its run uses `{files}`).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../config/config-hash.js';
import type { Config, ResolvedGuard } from '../config/schema.js';
import { guardDefinition, type SelectedGuard } from './select.js';

// The `inputs:` globs of a guard (the config schema validates them).
export function declaredInputs(guard: ResolvedGuard): string[] | undefined {
  return guard.inputs;
}

// The globs whose matching tree entries are a guard's inputs, or null: the whole tree is.
export function inputGlobs(guard: ResolvedGuard): string[] | null {
  return declaredInputs(guard) ?? guard.files ?? null;
}

// Whether the guard's command is given the matched paths (they are then part of its key).
export function usesFiles(guard: ResolvedGuard): boolean {
  return JSON.stringify(guard.run).includes('{files}');
}

const hex = (text: string, n: number) => createHash('sha256').update(text).digest('hex').slice(0, n);

// The definition half (16 hex): the guard as guardSetHash sees it, its globs, the engine version,
// the config's top-level `env`, and how the candidate is laid out (`isolation`, `link`).
export function definitionHash(guard: ResolvedGuard, config: Pick<Config, 'env' | 'isolation' | 'link'>, engineVersion: string): string {
  return hex(
    canonicalJson({
      engineVersion,
      configEnv: config.env,
      where: { isolation: config.isolation, link: config.link },
      ...guardDefinition(guard),
      files: guard.files ?? null,
      inputs: declaredInputs(guard) ?? null,
    }),
    16,
  );
}

// The content half (24 hex): the inputs' digest (a tree oid, or the matching entries' digest) and the
// paths passed as `{files}`.
export function contentHash(s: SelectedGuard, inputs: string): string {
  return hex(canonicalJson({ inputs, passed: usesFiles(s.guard) ? (s.files ?? []) : null }), 24);
}

// The key of one guard: `<def>-<content>`.
export function guardKey(def: string, content: string): string {
  return `${def}-${content}`;
}
