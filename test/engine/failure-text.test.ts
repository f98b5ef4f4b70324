import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { failureIds } from '../../src/engine/failures.js';
import { OutputBuffer } from '../../src/engine/output.js';
import { FAILURES_NOT_ALL_READ } from '../../src/messages/failures.js';

const tsc = (parse(readFileSync(join(import.meta.dirname, '../../guards/typescript.yaml'), 'utf8')) as { guards: Array<{ failures: string }> }).guards[0].failures;
// tsc's output for 400 files with one TS2322 each (33,200 characters, as tsc 5.9 prints it), plus `extra` at file 200.
const output = (extra = '', skip: number[] = []) =>
  Array.from({ length: 400 }, (_, i) => String(i).padStart(3, '0'))
    .filter((n) => !skip.includes(Number(n)))
    .map((n) => `src/m${n}.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n${n === '200' ? extra : ''}`)
    .join('');
function read(text: string, limit = 20_000) {
  const out = new OutputBuffer(limit);
  for (let i = 0; i < text.length; i += 4096) out.push(text.slice(i, i + 4096));
  const forFailures = out.failureText();
  const ids = failureIds(forFailures?.text || out.text(), tsc, []);
  return forFailures?.cut ? [...ids, FAILURES_NOT_ALL_READ] : ids;
}

describe('failures of an output longer than limits.output', () => {
  it('are read from all of it, not from the head and tail the record keeps', () => {
    const base = read(output());
    expect(base).toHaveLength(400);
    const added = read(output("src/m200.ts(2,18): error TS2304: Cannot find name 'zzz'.\n"));
    expect(added.filter((id) => !base.includes(id))).toEqual(["src/m200.ts TS2304 Cannot find name 'zzz'."]);
  });

  it('name no pre-existing failure as new when fixed ones shift the kept part', () => {
    const base = read(output());
    const fixed = read(output('', [0, 1, 2, 203]));
    expect(fixed.filter((id) => !base.includes(id))).toEqual([]);
  });

  it('say so past 10 × the limit, and the list then matches no base', () => {
    const ids = read(output(), 3_000);
    expect(ids.at(-1)).toBe(FAILURES_NOT_ALL_READ);
  });
});
