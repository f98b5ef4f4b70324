import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The bench is plain .mjs without type declarations: loaded by URL, so it is typed `any`.
const measure = await import(new URL('../../bench/measure.mjs', import.meta.url).href);

// The words a POSIX shell makes of `line` (hyperfine -N splits a command the same way).
function words(line: string): string[] {
  const res = spawnSync('sh', ['-c', `set -- ${line}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  expect(res.status).toBe(0);
  return res.stdout.split('\0').slice(0, -1);
}

describe('bench/measure.mjs: the command lines and rounds it gives hyperfine', () => {
  it('quotes each argv word so the shell splits the line back into the same argv', () => {
    const argv = ['sh', '-c', `cd '/tmp/a b' && CLAUDE_PROJECT_DIR=x "$CLAUDE_PROJECT_DIR"/.loop/hooks/agent run < "p q.json"`, '', "it's", 'plain/path-1.txt', 'a"b', '$HOME', '*'];
    const line = measure.commandLine(argv);
    expect(words(line)).toEqual(argv);
    // Plain words stay as they are, so the printed command reads as typed.
    expect(measure.commandLine(['git', '-C', '/tmp/x', 'commit', '-q', '-m', 'bench'])).toBe('git -C /tmp/x commit -q -m bench');
  });

  it('rotates the order by one per round, every command once per round', () => {
    expect(measure.roundOrder(3, 0)).toEqual([0, 1, 2]);
    expect(measure.roundOrder(3, 1)).toEqual([1, 2, 0]);
    expect(measure.roundOrder(3, 5)).toEqual([2, 0, 1]);
    for (let r = 0; r < 7; r++) expect([...measure.roundOrder(4, r)].sort()).toEqual([0, 1, 2, 3]);
  });

  it('splits the runs into rounds that add up to them, warm-ups in the first round only', () => {
    expect(measure.roundPlan(18, 18, 3)).toEqual(Array.from({ length: 18 }, (_, i) => ({ runs: 1, warmup: i === 0 ? 3 : 0 })));
    const uneven = measure.roundPlan(7, 3, 1);
    expect(uneven.map((p: { runs: number }) => p.runs)).toEqual([3, 2, 2]);
    expect(uneven.map((p: { warmup: number }) => p.warmup)).toEqual([1, 0, 0]);
    // More rounds than runs: one run per round, never an empty round.
    expect(measure.roundPlan(2, 5, 0)).toEqual([{ runs: 1, warmup: 0 }, { runs: 1, warmup: 0 }]);
  });

  it('takes the median of odd and even counts, and NaN of none', () => {
    expect(measure.median([3, 1, 2])).toBe(2);
    expect(measure.median([4, 1, 2, 3])).toBe(2.5);
    expect(Number.isNaN(measure.median([]))).toBe(true);
    expect(measure.stats([1, 2, 3])).toMatchObject({ median: 2, mean: 2, min: 1, max: 3, runs: 3, stddev: 1 });
  });
});
