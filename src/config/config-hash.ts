import { createHash } from 'node:crypto';
import type { Config } from './schema.js';

// Identifies the resolved guard set in records and the cache: two configs that make guardloop behave the
// same hash the same. Left out: `root` and `files` (where the config was read from), and each guard's
// `source` (moving a guard between files changes nothing it does).
export function configHash(config: Config): string {
  const { root: _root, files: _files, guards, ...rest } = config;
  const canonical = canonicalJson({ ...rest, guards: guards.map(({ source: _source, ...guard }) => guard) });
  return createHash('sha256').update(canonical).digest('hex');
}

// JSON with object keys sorted at every level, so equal values always serialise to equal text.
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}
