// Issue 14's targets for the commit benchmark, and the arithmetic of its report: overhead (a commit's
// median − the bare commit's), the ratio of an overhead to husky + lint-staged 16's, and PASS/FAIL per
// target. Pure: bench/run.mjs prints what these return, test/bench/targets.test.ts checks them.

// The rows whose overhead is compared with the peer's, in the order the report prints them.
export const COMMIT_ROWS = ['bare', 'husky', 'lintStaged', 'lefthook', 'prek', 'nodeFloor', 'huskyFloor', 'lean', 'leanCached', 'huskyGl', 'huskyGlCached', 'huskyGlPreOnly'];

// The figures issue 14 was filed with (overhead ÷ husky + lint-staged 16's), printed beside this run's.
export const ISSUE_RATIOS = { lefthook: 0.22, prek: 0.13, huskyGlPreOnly: 0.59 };

// Issue 14's targets: `ratio` ones compare a row's overhead ratio with a limit, `notAbove` ones a row's
// overhead with another row's, `ms` ones a row's median with a limit in milliseconds.
export const TARGETS = [
  { id: 'lean', what: 'lean hook (.loop/hooks), cache miss ÷ husky + lint-staged', kind: 'ratio', row: 'lean', limit: 0.2 },
  { id: 'husky', what: 'through husky, cache miss ÷ husky + lint-staged', kind: 'ratio', row: 'huskyGl', limit: 0.3 },
  { id: 'leanHit', what: 'lean hook: cache hit ≤ cache miss (overhead)', kind: 'notAbove', row: 'leanCached', than: 'lean' },
  { id: 'huskyHit', what: 'through husky: cache hit ≤ cache miss (overhead)', kind: 'notAbove', row: 'huskyGlCached', than: 'huskyGl' },
  { id: 'agentStop', what: 'agent stop, nothing changed, end to end', kind: 'ms', row: 'agentStop', limit: 40 },
  { id: 'run', what: 'guardloop run --hook pre-commit alone, new content', kind: 'ms', row: 'runDirect', limit: 25 },
];

const num = (x) => typeof x === 'number' && Number.isFinite(x);

// The median of one row: its wall time, or with `cpu` its CPU time (user + system; undefined if none).
const medianOf = (row, cpu) => (cpu ? row?.cpu?.median : row?.median);

// Overhead and ratio per commit row present in `results` ({ key -> { median, cpu?: { median } } }):
// overhead = median − bare's median, ratio = overhead ÷ lint-staged's overhead (NaN where either is
// missing); `cpu: true` does the same with the CPU-time medians.
export function overheads(results, { cpu = false } = {}) {
  const bare = medianOf(results.bare, cpu);
  const peer = num(medianOf(results.lintStaged, cpu)) && num(bare) ? medianOf(results.lintStaged, cpu) - bare : NaN;
  const out = {};
  for (const key of COMMIT_ROWS) {
    const m = medianOf(results[key], cpu);
    if (!num(m)) continue;
    const overhead = num(bare) ? m - bare : NaN;
    out[key] = { median: m, overhead, ratio: key === 'bare' ? NaN : overhead / peer };
  }
  return out;
}

// One line per target: what, the measured value and the limit as text, and PASS / FAIL (n/a when a row
// it needs wasn't measured); `cpu: true` judges the CPU-time medians instead of the wall times.
export function judge(results, { cpu = false } = {}) {
  const o = overheads(results, { cpu });
  return TARGETS.map((t) => {
    if (t.kind === 'ratio') {
      const r = o[t.row]?.ratio;
      const peer = o.lintStaged?.overhead;
      return line(t, r, `${fx(r, 2)} (${fx(o[t.row]?.overhead, 1)} / ${fx(peer, 1)} ms)`, `≤ ${t.limit}`, r <= t.limit);
    }
    if (t.kind === 'notAbove') {
      const a = o[t.row]?.overhead;
      const b = o[t.than]?.overhead;
      return line(t, num(a) && num(b) ? a - b : NaN, `${fx(a, 1)} vs ${fx(b, 1)} ms`, '≤ the miss', a <= b);
    }
    const m = medianOf(results[t.row], cpu);
    return line(t, m, `${fx(m, 1)} ms`, `≤ ${t.limit} ms`, m <= t.limit);
  });
}

function line(t, value, shown, limit, ok) {
  return { id: t.id, what: t.what, shown, limit, verdict: num(value) ? (ok ? 'PASS' : 'FAIL') : 'n/a' };
}

// A number with `digits` decimals, or "n/a".
export function fx(x, digits) {
  return num(x) ? x.toFixed(digits) : 'n/a';
}
