import { describe, expect, it } from 'vitest';

// The bench is plain .mjs without type declarations: loaded by URL, so it is typed `any`.
const targets = await import(new URL('../../bench/targets.mjs', import.meta.url).href);

const at = (median: number) => ({ median });

describe('bench/targets.mjs: overhead, ratio to husky + lint-staged, issue 14 verdicts', () => {
  it('computes each commit row as median − the bare commit, divided by lint-staged’s overhead', () => {
    const o = targets.overheads({ bare: at(20), lintStaged: at(120), lean: at(40), huskyGl: at(50), prek: at(30) });
    expect(o.bare.overhead).toBe(0);
    expect(Number.isNaN(o.bare.ratio)).toBe(true);
    expect(o.lintStaged).toEqual({ median: 120, overhead: 100, ratio: 1 });
    expect(o.lean).toEqual({ median: 40, overhead: 20, ratio: 0.2 });
    expect(o.huskyGl.ratio).toBeCloseTo(0.3, 10);
    expect(o.prek.ratio).toBeCloseTo(0.1, 10);
    // Rows that were not measured (a peer npm couldn't install) are left out, not zero.
    expect(o.lefthook).toBeUndefined();
  });

  it('passes the ratio targets at their limit and fails just above it', () => {
    const pass = targets.judge({ bare: at(20), lintStaged: at(120), lean: at(40), huskyGl: at(50) });
    const byId = Object.fromEntries(pass.map((t: { id: string }) => [t.id, t]));
    expect(byId.lean.verdict).toBe('PASS');
    expect(byId.lean.shown).toBe('0.20 (20.0 / 100.0 ms)');
    expect(byId.husky.verdict).toBe('PASS');
    const fail = targets.judge({ bare: at(20), lintStaged: at(120), lean: at(40.5), huskyGl: at(50.5) });
    const failed = Object.fromEntries(fail.map((t: { id: string }) => [t.id, t]));
    expect(failed.lean.verdict).toBe('FAIL');
    expect(failed.husky.verdict).toBe('FAIL');
  });

  it('judges a cache hit against the miss of the same mode, by overhead', () => {
    const v = targets.judge({ bare: at(20), lintStaged: at(120), lean: at(60), leanCached: at(60), huskyGl: at(70), huskyGlCached: at(71) });
    const byId = Object.fromEntries(v.map((t: { id: string }) => [t.id, t]));
    expect(byId.leanHit.verdict).toBe('PASS');
    expect(byId.leanHit.shown).toBe('40.0 vs 40.0 ms');
    expect(byId.huskyHit.verdict).toBe('FAIL');
  });

  it('judges the agent stop and the lone run by their medians in ms', () => {
    const v = targets.judge({ agentStop: at(40), runDirect: at(25.1) });
    const byId = Object.fromEntries(v.map((t: { id: string }) => [t.id, t]));
    expect(byId.agentStop).toMatchObject({ verdict: 'PASS', shown: '40.0 ms', limit: '≤ 40 ms' });
    expect(byId.run).toMatchObject({ verdict: 'FAIL', shown: '25.1 ms', limit: '≤ 25 ms' });
  });

  it('judges the CPU-time medians instead of the wall times when asked', () => {
    const rows = { bare: { median: 50, cpu: { median: 10 } }, lintStaged: { median: 400, cpu: { median: 110 } }, lean: { median: 130, cpu: { median: 30 } }, agentStop: { median: 90, cpu: { median: 35 } } };
    const wall = Object.fromEntries(targets.judge(rows).map((t: { id: string }) => [t.id, t]));
    const cpu = Object.fromEntries(targets.judge(rows, { cpu: true }).map((t: { id: string }) => [t.id, t]));
    expect(wall.lean).toMatchObject({ verdict: 'FAIL', shown: '0.23 (80.0 / 350.0 ms)' });
    expect(cpu.lean).toMatchObject({ verdict: 'PASS', shown: '0.20 (20.0 / 100.0 ms)' });
    expect(wall.agentStop.verdict).toBe('FAIL');
    expect(cpu.agentStop).toMatchObject({ verdict: 'PASS', shown: '35.0 ms' });
    // A row without CPU times (the fallback timer) is n/a on CPU, not zero.
    expect(targets.judge({ runDirect: { median: 20 } }, { cpu: true }).find((t: { id: string }) => t.id === 'run').verdict).toBe('n/a');
  });

  it('says n/a, not PASS, for every target whose rows are missing', () => {
    const v = targets.judge({});
    expect(v.map((t: { verdict: string }) => t.verdict)).toEqual(targets.TARGETS.map(() => 'n/a'));
    // Without the bare commit or the peer there is no ratio either.
    const noPeer = targets.judge({ bare: at(20), lean: at(25) });
    expect(noPeer.find((t: { id: string }) => t.id === 'lean').verdict).toBe('n/a');
  });
});
