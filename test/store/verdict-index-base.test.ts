import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { flakyDefinitions } from '../../src/engine/base-verdicts.js';
import { appendVerdictIndex, readVerdictIndex, verdictIndexFile } from '../../src/store/verdict-index.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const KEY = '0123456789abcdef-0123456789abcdef01234567';
const entry = (status: string, record: string, onBase?: true) => ({ key: KEY, record: record.repeat(32), tree: 'a'.repeat(40), status, ...(onBase ? { onBase } : {}) });

describe('a run on an agent\'s base in the verdict index', () => {
  it('is kept with its mark, and a pass elsewhere on the same inputs does not make the guard flaky', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardloop-index-base-'));
    dirs.push(dir);
    await appendVerdictIndex(dir, [entry('fail', '1', true)], 0);
    await appendVerdictIndex(dir, [entry('pass', '2')], 1);
    expect(readFileSync(verdictIndexFile(dir), 'utf8')).toContain('\tfail\tbase\n');
    const index = await readVerdictIndex(dir);
    expect(index.byKey.get(KEY)).toEqual([entry('pass', '2'), entry('fail', '1', true)]);
    expect(flakyDefinitions(index).size).toBe(0);
    // The same inputs judged both ways where the guards run for real: flaky.
    await appendVerdictIndex(dir, [entry('fail', '3')], 2);
    expect([...flakyDefinitions(await readVerdictIndex(dir))]).toEqual([KEY.slice(0, 16)]);
  });
});
