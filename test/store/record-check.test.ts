import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { checkSource, recordCheckModule, UnsupportedSchema } from '../../src/store/check-source.js';
import { recordCheck } from '../../src/store/record-check.js';
import { parseRecordLine, recordSchema, verdictSchema } from '../../src/store/record-schema.js';
import { recordLine } from '../../src/store/record.js';
import { fakeOid, makeRecord } from './helpers.js';

// The generated record check (src/store/record-check.ts, see check-source.ts) may only ever say "zod accepts this
// and returns it unchanged" when zod does; anything else goes to zod. Checked on a record that has
// every field the schema knows, each value replaced by values of every kind, and on random runs of
// several changes at once; the line reader's verdict is zod's in every case.

// A record with every field of the schema, nested ones included.
const every = makeRecord(fakeOid('every'), {
  agent: 'claude',
  session: 's1',
  base: fakeOid('base'),
  hook: 'stop',
  source: 'GENERATOR',
  status: 'REJECTED',
  reward: -1,
  spec: { configHash: 'c', guardSetHash: 'g', guards: [{ id: 'a', invariant: 'i', layer: 'lint', run: ['eslint', '.'] }, { id: 'b', invariant: 'j', layer: 'test', run: 'npm test' }], task: 'do it' },
  artifact: { diff: 'diff --git a/f b/f\n+x\n', files: ['f', 'g'], truncated: true },
  verdicts: [
    {
      guard: 'a',
      status: 'fail',
      exit: 1,
      ms: 12,
      feedback: 'f.ts:1:1 error',
      modified: ['f'],
      key: 'k1',
      reused: 'r1',
      failures: ['f.ts:1'],
      baseline: { tree: fakeOid('bt'), key: 'k0', status: 'fail', failures: ['f.ts:1'], ms: 3, from: 'r0', same: false },
      tolerated: true,
      repeat: { attempt: 2, record: 'r2' },
      attempts: 2,
      flaky: false,
    },
    { guard: 'b', status: 'timeout', exit: null, ms: 0, feedback: '' },
  ],
  history: [{ id: 'h1', status: 'REJECTED', verdicts: [{ guard: 'a', status: 'fail', feedback: 'y', failures: ['f.ts:1'] }] }],
  provenance: ['h1'],
  retry: 1,
  escalated: true,
  lastMessage: 'done',
  isolated: true,
  drifted: ['f'],
  baseline: { how: 'turn-start', commits: [fakeOid('c1')] },
  approval: { by: 'me', paths: [{ path: '.loop/config.yaml', blob: null, from: fakeOid('from') }, { path: 'x', blob: fakeOid('x') }] },
  tool: { name: 'guardloop', version: '0.1.0' },
  host: 'h',
  user: 'u',
  skip: { how: 'GUARDLOOP=0', commit: fakeOid('skip') },
  verify: { commit: fakeOid('v'), outcome: 'verified', against: ['r9'] },
  reused: 'r3',
});

const VALUES: unknown[] = [
  null, undefined, 0, -0, -1, 1, 2, 1.5, -1.5, 2 ** 53, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', '1', 'pass', 'fail', 'ACCEPTED', 'REJECTED',
  'SKIPPED', 'HUMAN', 'lint', 'test', 'stop', 'guardloop', 'turn-start', 'GUARDLOOP=0', 'verified', true, false, [], ['x'], [1], [null], {}, { extra: 1 },
  // eslint-disable-next-line no-sparse-arrays
  [, 'x'], Object.create({ inherited: 1 }), Object.create(null), new Date(0),
];

// Every path to a value in `v`.
function* paths(v: unknown, at: Array<string | number> = []): Generator<Array<string | number>> {
  if (at.length) yield at;
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* paths(v[i], [...at, i]);
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) yield* paths((v as Record<string, unknown>)[k], [...at, k]);
}

function change(target: unknown, path: Array<string | number>, value: unknown): void {
  let parent = target as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === DELETE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (value === EXTRA) {
    if (parent && typeof parent === 'object' && !Array.isArray(parent)) parent.unknownKey = 1;
  } else parent[last] = value;
}
const DELETE = Symbol('delete');
const EXTRA = Symbol('extra key');

const check = recordCheck;

// The check of another schema, generated the same way (its TypeScript made runnable here).
function compiled(schema: z.core.$ZodType): (v: unknown) => boolean {
  const js = transformSync(checkSource(schema, 'check'), { loader: 'ts', format: 'cjs' }).code;
  const mod = { exports: {} as { check?: (v: unknown) => boolean } };
  new Function('module', 'exports', js)(mod, mod.exports);
  return mod.exports.check!;
}
// The contract, for one value: accepted means zod accepts and gives back an equal value; the line
// reader gives zod's verdict (and zod's output) on the value's JSON.
function agrees(v: unknown, label: string): boolean {
  const zod = recordSchema.safeParse(v);
  const fast = check(v);
  if (fast) {
    expect(zod.success, label).toBe(true);
    expect(zod.data, label).toEqual(v);
  }
  const json = JSON.stringify(v);
  if (json !== undefined) {
    const p = parseRecordLine(json);
    const z = recordSchema.safeParse(JSON.parse(json));
    const future = (JSON.parse(json) as { v?: unknown })?.v;
    if (!(typeof future === 'number' && future > 1)) {
      expect(p.ok, label).toBe(z.success);
      if (p.ok && z.success) expect(p.record, label).toEqual(z.data);
    }
  }
  return fast;
}

describe('the generated record check', () => {
  it('is what the record schema gives (run `node scripts/gen-record-check.mjs` after changing the schema)', () => {
    const file = readFileSync(new URL('../../src/store/record-check.ts', import.meta.url), 'utf8');
    expect(file).toBe(recordCheckModule(recordSchema));
  });

  it('is generated for what the compiler knows only: anything else is no check at all', () => {
    expect(() => checkSource(z.string().check(z.minLength(1)), 'check')).toThrow(UnsupportedSchema);
    expect(() => checkSource(z.looseObject({ a: z.string() }), 'check')).toThrow(UnsupportedSchema);
    expect(() => checkSource(z.object({ toString: z.string() }), 'check')).toThrow(UnsupportedSchema);
    const small = compiled(z.object({ n: z.number().check(z.int(), z.nonnegative()), s: z.optional(z.enum(['a', 'b'])) }));
    expect([small({ n: 1 }), small({ n: 1, s: 'b' }), small({ n: -1 }), small({ n: 1.5 }), small({ n: 1, s: 'c' }), small({ n: 1, t: 1 })]).toEqual([true, true, false, false, false, false]);
  });

  it('accepts a record with every field, and records as they are written', () => {
    expect(check(JSON.parse(recordLine(every)))).toBe(true);
    expect(check(JSON.parse(recordLine(makeRecord(fakeOid('min')))))).toBe(true);
    expect(compiled(verdictSchema)(every.verdicts[0])).toBe(true);
  });

  it('agrees with zod on every field of a full record set to every kind of value, deleted, or given an unknown key', () => {
    let accepted = 0;
    let cases = 0;
    const base = JSON.parse(recordLine(every));
    for (const path of paths(base)) {
      for (const value of [...VALUES, DELETE, EXTRA]) {
        const copy = JSON.parse(JSON.stringify(base));
        change(copy, path, value);
        cases++;
        if (agrees(copy, `${path.join('.')} = ${String(typeof value === 'symbol' ? value.description : JSON.stringify(value))}`)) accepted++;
      }
    }
    expect(cases).toBeGreaterThan(4_000);
    // Many of the changes keep a valid record (another enum value, another string, a number within bounds).
    expect(accepted).toBeGreaterThan(300);
  });

  it('agrees with zod on random runs of one to four changes', () => {
    // A seeded generator: the same runs every time.
    let seed = 0x2545f491;
    const rand = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 4294967296;
    };
    const base = JSON.parse(recordLine(every));
    let accepted = 0;
    for (let run = 0; run < 3_000; run++) {
      const copy = JSON.parse(JSON.stringify(base));
      const steps = 1 + Math.floor(rand() * 4);
      const label: string[] = [];
      for (let s = 0; s < steps; s++) {
        const all = [...paths(copy)];
        if (!all.length) break;
        const path = all[Math.floor(rand() * all.length)];
        const pool = [...VALUES, DELETE, EXTRA];
        const value = pool[Math.floor(rand() * pool.length)];
        change(copy, path, value);
        label.push(`${path.join('.')} = ${typeof value === 'symbol' ? value.description : String(JSON.stringify(value))}`);
      }
      if (agrees(copy, label.join('; '))) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('leaves what is not a plain record to zod: other types at the top, inherited or unknown keys', () => {
    for (const v of [null, undefined, 1, 'x', [], [JSON.parse(recordLine(every))]]) expect(check(v)).toBe(false);
    const inherited = Object.assign(Object.create({ inherited: 1 }), JSON.parse(recordLine(every)));
    expect(check(inherited)).toBe(false);
    expect(check({ ...JSON.parse(recordLine(every)), future: 'field' })).toBe(false);
    const p = parseRecordLine(JSON.stringify({ ...JSON.parse(recordLine(every)), future: 'field' }));
    expect(p.ok && 'future' in p.record).toBe(false);
  });
});
