import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonSchemaText } from '../../src/config/json-schema.js';
import { HOOKS, LAYERS } from '../../src/config/schema.js';
import { PACKAGE_DIR } from './temp-tree.js';

type Schema = {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  minItems?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
};

// A checker for the subset of JSON Schema that schema.json uses (no dependency needed); returns the
// paths that fail. Throws on a keyword it doesn't know, so the subset can't silently grow.
function check(schema: Schema, value: unknown, at = '$'): string[] {
  const known = ['type', 'enum', 'const', 'pattern', 'minLength', 'minItems', 'exclusiveMinimum', 'maximum', 'properties', 'required', 'additionalProperties', 'items', 'anyOf', 'default', 'description', 'propertyNames', '$schema', '$id', 'title'];
  for (const key of Object.keys(schema)) if (!known.includes(key)) throw new Error(`unsupported keyword ${key} at ${at}`);
  if (schema.anyOf) return schema.anyOf.some((s) => check(s, value, at).length === 0) ? [] : [`${at}: no anyOf branch`];
  const problems: string[] = [];
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'object' ? 'object' : typeof value;
  if (schema.type === 'integer' && !Number.isInteger(value)) return [`${at}: expected integer`];
  if (schema.type && schema.type !== 'integer' && schema.type !== kind) return [`${at}: expected ${schema.type}, got ${kind}`];
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: not in enum`);
  if ('const' in schema && schema.const !== value) problems.push(`${at}: not the const`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: pattern`);
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${at}: minLength`);
  }
  if (typeof value === 'number' && schema.exclusiveMinimum !== undefined && !(value > schema.exclusiveMinimum)) problems.push(`${at}: exclusiveMinimum`);
  if (typeof value === 'number' && schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: maximum`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at}: minItems`);
    if (schema.items) value.forEach((item, i) => problems.push(...check(schema.items!, item, `${at}.${i}`)));
  }
  if (kind === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) problems.push(`${at}.${key}: required`);
    for (const [key, item] of Object.entries(object)) {
      const sub = schema.properties?.[key];
      if (sub) problems.push(...check(sub, item, `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not allowed`);
      else if (typeof schema.additionalProperties === 'object') problems.push(...check(schema.additionalProperties, item, `${at}.${key}`));
    }
  }
  return problems;
}

const committed = await readFile(path.join(PACKAGE_DIR, 'schema.json'), 'utf8');
const schema = JSON.parse(committed) as Schema & Record<string, unknown>;

describe('schema.json', () => {
  it('is in sync with the zod schema (run `npm run schema` after changing src/config/schema.ts)', () => {
    expect(committed).toBe(jsonSchemaText());
  });

  it('carries an $id and a title, draft-07 for editor support', () => {
    expect(schema.$id).toBe('https://unpkg.com/guardloop/schema.json');
    expect(schema.title).toBe('guardloop config (.loop/config.yaml)');
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('describes the input side: keys with defaults are optional, a guard needs only its id (overrides)', () => {
    expect(schema.required ?? []).toEqual([]);
    const guard = schema.properties!.guards.items!;
    expect(guard.required).toEqual(['id']);
    expect(guard.additionalProperties).toBe(false);
    expect(guard.properties!.layer.enum).toEqual([...LAYERS]);
    expect(guard.properties!.on.items!.enum).toEqual([...HOOKS]);
    expect(Object.keys(guard.properties!)).toEqual(['id', 'run', 'invariant', 'layer', 'on', 'files', 'inputs', 'failures', 'retries', 'timeout', 'env', 'cwd', 'fix', 'enabled']);
  });

  it('accepts a sample valid config', () => {
    const sample = parse(
      [
        '# yaml-language-server: $schema=../node_modules/guardloop/schema.json',
        'extends: [guardloop/typescript]',
        'env: { CI: "1" }',
        'guards:',
        '  - id: typescript',
        '    timeout: 2m',
        '  - id: unit',
        '    run: [npm, test]',
        '    invariant: In this codebase, failing tests must never be committed, because it causes regressions.',
        '    layer: test',
        '    on: [pre-commit, pre-push]',
        '    files: ["src/**"]',
        '    timeout: 90',
        '    fix: false',
        'agent: { maxAttempts: 3 }',
        'limits: { output: 5000 }',
      ].join('\n'),
    );
    expect(check(schema, sample)).toEqual([]);
  });

  it('rejects what loadConfig rejects at the schema level', () => {
    const bad = { version: 2, paralel: true, guards: [{ id: 'bad id', layer: 'lnt', timeout: 'soon', timout: 1, on: [] }, { run: 'x' }], agent: { maxAttempts: 0.5 }, limits: { output: 0 } };
    expect(check(schema, bad).sort()).toEqual(
      [
        '$.version: not the const',
        '$.paralel: not allowed',
        '$.guards.0.id: pattern',
        '$.guards.0.layer: not in enum',
        '$.guards.0.timeout: no anyOf branch',
        '$.guards.0.timout: not allowed',
        '$.guards.0.on: minItems',
        '$.guards.1.id: required',
        '$.agent.maxAttempts: expected integer',
        '$.limits.output: exclusiveMinimum',
      ].sort(),
    );
  });
});
