import type { z } from 'zod';
import { badFormat, invalidValue, missingKey, notOneOf, otherSchemaProblem, tooSmall, unknownKey, wrongType, describeType, describeValue, type ConfigMessage } from '../messages/config.js';
import type { Diagnostic, KeyPath } from './diagnostic.js';
import { closestWord } from './did-you-mean.js';
import { isRecord } from './is-record.js';
import { diagnosticAt, type YamlFile } from './yaml-file.js';

type Issue = z.core.$ZodIssue;
// Maps a key path of the validated value to the file and path where it was written.
export type Locate = (keyPath: KeyPath) => { file: YamlFile; path: KeyPath };

// Turns zod's issues into positioned diagnostics in our wording: an unknown key gets a did-you-mean,
// a missing key says what to add, a wrong value says what was expected and what was found.
export function issuesToDiagnostics(issues: readonly Issue[], input: unknown, schema: z.ZodType, locate: Locate): Diagnostic[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const allowed = objectKeysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const at = locate([...issue.path, key]);
        return diagnosticAt(at.file, at.path, unknownKey(key, closestWord(key, allowed), allowed), 'error', true);
      });
    }
    const at = locate(issue.path);
    return [diagnosticAt(at.file, at.path, describeIssue(issue, input, schema))];
  });
}

function describeIssue(issue: Issue, input: unknown, schema: z.ZodType): ConfigMessage {
  const value = valueAt(input, issue.path);
  const key = issue.path[issue.path.length - 1];
  const parent = valueAt(input, issue.path.slice(0, -1));
  if (typeof key === 'string' && isRecord(parent) && !(key in parent)) return missingKey(key, descriptionAt(schema, issue.path));
  switch (issue.code) {
    case 'invalid_type':
      return wrongType(describeType(issue.expected), describeValue(value));
    case 'invalid_union': {
      const expected = issue.errors.map((option) => (option.length === 1 && option[0].code === 'invalid_type' && option[0].path.length === 0 ? option[0].expected : undefined));
      if (expected.every((e) => e !== undefined)) return wrongType(expected.map((e) => describeType(e!)).join(' or '), describeValue(value));
      return invalidValue(describeValue(value), descriptionAt(schema, issue.path));
    }
    case 'invalid_value': {
      const words = issue.values.filter((v): v is string => typeof v === 'string');
      return notOneOf(value, issue.values, typeof value === 'string' ? closestWord(value, words) : undefined);
    }
    case 'too_small': {
      const origin: 'string' | 'array' | 'number' = issue.origin === 'string' ? 'string' : issue.origin === 'array' ? 'array' : 'number';
      return tooSmall(origin, Number(issue.minimum), issue.inclusive ?? true);
    }
    case 'invalid_format':
      return badFormat(value, issue.message);
    default:
      return otherSchemaProblem(issue.message);
  }
}

// The value at a key path of the (unvalidated) input.
function valueAt(input: unknown, keyPath: KeyPath): unknown {
  let value = input;
  for (const segment of keyPath) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isRecord(value) && typeof segment === 'string') value = value[segment];
    else return undefined;
  }
  return value;
}

// The sub-schema at a key path, looking through defaults, optionals and arrays.
function schemaAt(schema: z.ZodType, keyPath: KeyPath): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of keyPath) {
    current = unwrap(current);
    const def = current?._zod.def as { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType } | undefined;
    if (def?.type === 'object' && typeof segment === 'string') current = def.shape?.[segment];
    else if (def?.type === 'array' && typeof segment === 'number') current = def.element;
    else return undefined;
  }
  return current;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (;;) {
    const def = current?._zod.def as { type: string; innerType?: z.ZodType } | undefined;
    if (!def || !['default', 'optional', 'prefault', 'nullable', 'readonly'].includes(def.type) || !def.innerType) return current;
    current = def.innerType;
  }
}

// The keys allowed in the object at a key path (for did-you-mean on unknown keys).
export function objectKeysAt(schema: z.ZodType, keyPath: KeyPath): string[] {
  const def = unwrap(schemaAt(schema, keyPath))?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

// The `.describe()` text of the field at a key path, outermost wrapper first.
function descriptionAt(schema: z.ZodType, keyPath: KeyPath): string | undefined {
  let current = schemaAt(schema, keyPath);
  while (current) {
    if (current.description) return current.description;
    const inner = (current._zod.def as { innerType?: z.ZodType }).innerType;
    current = inner;
  }
  return undefined;
}
