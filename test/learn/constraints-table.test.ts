import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { constraintsMarkdown, constraintsTable } from '../../src/learn/constraint-table.js';
import type { Constraint, Constraints } from '../../src/learn/insight-schemas.js';
import { CLI, cleanEnv, withGitRepo } from '../helpers/git-repo.js';
import { generateHistory } from '../helpers/history-generator.js';

const row = (over: Partial<Constraint>): Constraint => ({
  id: 'no-any',
  date: '2026-11-02T10:00:00.000Z',
  dateSource: 'config-history',
  commit: 'c0ffee',
  renamedFrom: [],
  layer: 'lint',
  invariant: 'In this codebase, `any` must never appear in src, because it hides type errors until production.',
  run: 'npx eslint .',
  active: true,
  removed: null,
  runs: 120,
  caught: 7,
  recurrenceAfter: 3,
  lastCaught: '2026-11-30T08:00:00.000Z',
  verdict: 'recurring',
  why: 'moves up',
  flakyTrees: 0,
  ...over,
});
const log = (rows: Constraint[]): Constraints => ({ v: 1, tip: null, graceDays: 7, idle: { runs: 50, days: 30 }, constraints: rows });

describe('constraint log text', () => {
  it('colours the verdict only when asked (a terminal), and cuts the invariant to a terminal\'s width', () => {
    const rows = log([row({}), row({ id: 'no-todo', verdict: 'effective', invariant: 'In this codebase, TODO | FIXME must never be committed, because they are never done.' })]);
    const plain = constraintsTable(rows);
    expect(plain).not.toContain('\x1b[');
    expect(plain.split('\n')[2]).toContain('hides type errors until production.');
    const coloured = constraintsTable(rows, { colour: true, width: 110 });
    expect(coloured).toContain('\x1b[31mrecurring\x1b[0m');
    expect(coloured).toContain('\x1b[32meffective\x1b[0m');
    // eslint-disable-next-line no-control-regex
    const lines = coloured.split('\n').slice(0, 4).map((l) => l.replace(/\x1b\[\d+m/g, ''));
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(110);
    expect(lines[2]).toContain('…');
    // Never wider than needed: no cell is padded past its column's widest value.
    expect(plain.split('\n').every((l) => !l.endsWith(' '))).toBe(true);
  });

  it('--md escapes pipes so a cell stays one cell', () => {
    const md = constraintsMarkdown(log([row({ invariant: 'In this codebase, a | b must never happen, because c.' })]));
    expect(md.split('\n')[2]).toContain('a \\| b');
  });

  it('on a real terminal the CLI colours the verdict and fits the invariant to its width', async () => {
    await withGitRepo(async (repo) => {
      await generateHistory(repo.dir, { config: [{ at: '2026-01-05T10:00:00Z', guards: [{ id: 'wide', run: 'true', invariant: `In this codebase, ${'a very long explanation '.repeat(8)}must never happen, because it causes harm.` }] }], chains: [] });
      const res = spawnSync('script', ['-qec', `stty cols 110; ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} constraints`, '/dev/null'], { cwd: repo.dir, env: cleanEnv({ NO_COLOR: undefined }), encoding: 'utf8' });
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/\x1b\[33midle\x1b\[0m/);
      const table = res.stdout.split(/\r?\n/).filter((l) => /^(Date|\d{4}-)/.test(l));
      // eslint-disable-next-line no-control-regex
      expect(table).toHaveLength(2);
      for (const l of table) expect([...l.replace(/\x1b\[\d+m/g, '')].length).toBeLessThanOrEqual(110);
    });
  });
});
