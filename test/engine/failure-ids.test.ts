import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { failureIds } from '../../src/engine/failures.js';

// The ready-made tsc pattern (guards/typescript.yaml).
const tsc = (parse(readFileSync(join(import.meta.dirname, '../../guards/typescript.yaml'), 'utf8')) as { guards: Array<{ failures: string }> }).guards[0].failures;

describe('failureIds: one name said twice is two failures', () => {
  // Real tsc 5.9 output: one TS2322 in src/a.ts on the base, a second identical one added at line 5.
  const base = "src/a.ts(4,14): error TS2322: Type 'string' is not assignable to type 'number'.\n";
  const added = `${base}src/a.ts(5,14): error TS2322: Type 'string' is not assignable to type 'number'.\n`;

  it('gives the second occurrence an id of its own, which the base does not have', () => {
    const before = failureIds(base, tsc, []);
    const now = failureIds(added, tsc, []);
    expect(before).toEqual(["src/a.ts TS2322 Type 'string' is not assignable to type 'number'."]);
    expect(now).toEqual([...before, "src/a.ts TS2322 Type 'string' is not assignable to type 'number'. (#2)"]);
    expect(now.filter((id) => !before.includes(id))).toHaveLength(1);
  });

  it('keeps the ids when the lines only move', () => {
    const moved = added.replace('(4,14)', '(9,14)').replace('(5,14)', '(12,14)');
    expect(failureIds(moved, tsc, [])).toEqual(failureIds(added, tsc, []));
  });
});
