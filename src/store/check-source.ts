// The source of a plain check compiled from a zod/mini schema's own definition (objects, arrays,
// strings, numbers with int/bound checks, booleans, literals, enums, nullable, optional, unions), so
// reading all of ℛ doesn't pay zod's interpreted parse per record. The check only answers "zod
// would accept this value and return it unchanged": true means exactly that; false (or anything
// outside the kinds above, or an unknown key zod would strip) leaves the verdict and the output to
// zod. One function per object and array, straight-line property reads (as zod compiles its own
// object parsers): 20,000 records checked in 7–14 ms, where a tree of closures took 60–95 ms.
// Run at build time only (scripts/gen-record-check.mjs writes src/store/record-check.ts): nothing
// compiles code at run time.
// wording-ok-file: its literals are generated source code and that file's comments, never shown to anyone
import type * as z from 'zod/mini';

interface Def {
  type: string;
  checks?: Array<{ _zod: { def: { check: string; format?: string; value?: unknown; inclusive?: boolean } } }>;
  shape?: Record<string, z.core.$ZodType>;
  catchall?: unknown;
  innerType?: z.core.$ZodType;
  element?: z.core.$ZodType;
  options?: z.core.$ZodType[];
  values?: unknown[];
  entries?: Record<string, unknown>;
}

// A part of a definition the compiler doesn't know: no check is generated for that schema.
export class UnsupportedSchema extends Error {}

// A value as a source literal `===` compares with (Set.has's SameValueZero gives the same answers
// for these: no NaN).
function literal(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'boolean' || v === null || (typeof v === 'number' && Number.isFinite(v))) return JSON.stringify(v);
  throw new UnsupportedSchema(`literal ${typeof v}`);
}

function numberCheck(c: NonNullable<Def['checks']>[number], x: string): string {
  const d = c._zod.def;
  if (d.check === 'number_format' && d.format === 'safeint') return `Number.isSafeInteger(${x})`;
  if ((d.check === 'greater_than' || d.check === 'less_than') && typeof d.value === 'number' && Number.isFinite(d.value)) {
    return `${x} ${d.check === 'greater_than' ? '>' : '<'}${d.inclusive ? '=' : ''} ${literal(d.value)}`;
  }
  throw new UnsupportedSchema(d.check);
}

// The source of an expression that is true when the value in variable `x` passes `schema`; objects
// and arrays become functions in `fns` (called by name).
function compile(schema: z.core.$ZodType, x: string, fns: string[]): string {
  const def = schema._zod.def as unknown as Def;
  const checks = def.checks ?? [];
  if (checks.length && def.type !== 'number') throw new UnsupportedSchema(`${def.type} with checks`);
  switch (def.type) {
    case 'string':
      return `typeof ${x} === "string"`;
    case 'boolean':
      return `typeof ${x} === "boolean"`;
    case 'number':
      return `(typeof ${x} === "number" && Number.isFinite(${x})${checks.map((c) => ` && ${numberCheck(c, x)}`).join('')})`;
    case 'literal':
    case 'enum': {
      const values = def.type === 'literal' ? (def.values ?? []) : Object.values(def.entries ?? {});
      return values.length ? `(${values.map((v) => `${x} === ${literal(v)}`).join(' || ')})` : 'false';
    }
    case 'nullable':
      return `(${x} === null || ${compile(def.innerType!, x, fns)})`;
    case 'optional':
      return `(${x} === undefined || ${compile(def.innerType!, x, fns)})`;
    case 'union':
      return `(${def.options!.map((o) => compile(o, x, fns)).join(' || ')})`;
    case 'array': {
      const element = compile(def.element!, 'e', fns);
      const name = `f${fns.length}`;
      fns.push(
        [
          `function ${name}(v: any): boolean {`,
          '  if (!Array.isArray(v)) return false;',
          '  for (let i = 0; i < v.length; i++) {',
          '    const e = v[i];',
          `    if (!(${element})) return false;`,
          '  }',
          '  return true;',
          '}',
        ].join('\n'),
      );
      return `${name}(${x})`;
    }
    case 'object': {
      if (def.catchall !== undefined) throw new UnsupportedSchema('catchall');
      const lines: string[] = [];
      for (const [k, field] of Object.entries(def.shape!)) {
        // A key Object.prototype has would be read from there when the value lacks it.
        if (k in Object.prototype) throw new UnsupportedSchema(`key ${k}`);
        const key = JSON.stringify(k);
        const absent = field._zod.optin === 'optional' ? '' : ' return false;';
        lines.push(`  x = v[${key}];`, `  if (x === undefined && !Object.hasOwn(v, ${key})) {${absent} } else if (!(${compile(field, 'x', fns)})) return false;`, '  else n++;');
      }
      const name = `f${fns.length}`;
      // Every own key is one of the shape's (zod strips any other): as many keys as were checked.
      fns.push(
        [
          `function ${name}(v: any): boolean {`,
          '  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;',
          '  let n = 0;',
          '  let x: any;',
          ...lines,
          '  let m = 0;',
          '  for (const k in v) m++;',
          '  return m === n;',
          '}',
        ].join('\n'),
      );
      return `${name}(${x})`;
    }
    default:
      throw new UnsupportedSchema(def.type);
  }
}

// The check of `schema` as TypeScript: the functions it calls, then the exported `name`, which
// returns true only for a value zod accepts and returns unchanged. Throws UnsupportedSchema when the
// definition uses something the compiler doesn't know.
export function checkSource(schema: z.core.$ZodType, name: string): string {
  const fns: string[] = [];
  const root = compile(schema, 'v', fns);
  return [
    ...fns,
    '',
    "// True only when zod would accept `v` and return it unchanged; false leaves the verdict to zod.",
    `export function ${name}(v: unknown): boolean {`,
    `  return ${root};`,
    '}',
  ].join('\n');
}

// src/store/record-check.ts as scripts/gen-record-check.mjs writes it (test/store/record-check.test.ts
// compares the file with this).
export function recordCheckModule(recordSchema: z.core.$ZodType): string {
  return [
    '// Generated from recordSchema (src/store/record-schema.ts) by src/store/check-source.ts: do not edit.',
    '// After changing the schema, run `node scripts/gen-record-check.mjs` (test/store/record-check.test.ts',
    '// fails until you do). Built ahead, so no code is compiled at run time.',
    checkSource(recordSchema, 'recordCheck'),
    '',
  ].join('\n');
}
