import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract } from '../../src/index.js';
import { extractCli, sharedChains, validate } from './extract-helpers.js';

// Φ on the chains the real hooks made: each policy, --where and-ed with it, and what is never a
// positive example (SKIPPED records, escalated chains, approved changes to protected paths) with
// where each goes instead, counted in the summary line.

const fixture = sharedChains();
beforeAll(fixture.setUp, 240_000);
afterAll(fixture.tearDown);

const ids = (lines: Array<{ metadata: { record_id: string } }>) => lines.map((l) => l.metadata.record_id);

describe('guardloop extract: policies and --where', () => {
  it('refinements (the default): the accepted ends of chains with rejections; the summary counts each kind left out', async () => {
    const { repo, chains: c } = fixture.get();
    const res = await extractCli(repo, ['--policy', 'refinements']);
    expect(res.code, res.stderr).toBe(0);
    expect(ids(res.lines)).toEqual([c.h3.id, c.a2.id, c.r2.id]);
    const summary = res.stderr.trim().split('\n').pop()!;
    expect(summary).toContain('3 examples from 3 chains (--format prompt-completion, --policy refinements), 14 records read from refs/notes/guardloop.');
    expect(summary).toContain('1 SKIPPED record (commits no guard judged: never exported)');
    expect(summary).toContain('1 escalated chain (let through, never accepted');
    expect(summary).toContain('1 approved change to protected paths (never a positive');
    // The first commit (accepted at once) and the approval record itself.
    expect(summary).toContain('2 chains outside --policy refinements');
  });

  it('successes, generator, human, high-value, recent', async () => {
    const { repo, chains: c } = fixture.get();
    const run = async (args: string[]) => {
      const res = await extractCli(repo, args);
      expect(res.code, res.stderr).toBe(0);
      validate('prompt-completion', res.lines);
      return ids(res.lines);
    };
    expect(await run(['--policy', 'successes'])).toEqual([c.init.id, c.h3.id, c.a2.id, c.r2.id]);
    expect(await run(['--policy', 'generator'])).toEqual([c.a2.id, c.r2.id]);
    expect(await run(['--policy', 'human'])).toEqual([c.h3.id]);
    expect(await run(['--policy', 'high-value'])).toEqual([]);
    expect(await run(['--policy', 'high-value', '--min-retry', '2'])).toEqual([c.h3.id]);
    expect(await run(['--policy', 'high-value', '--min-retry', '1'])).toEqual([c.h3.id, c.a2.id, c.r2.id]);
    expect(await run(['--policy', 'recent', '--since', c.a1.ts])).toEqual([c.a2.id, c.r2.id]);
    expect(await run(['--policy', 'recent', '--since', '1d'])).toEqual([c.h3.id, c.a2.id, c.r2.id]);
  });

  it('--where and-ed with the policy: source, a guard that failed somewhere in the chain, its layer, not, or', async () => {
    const { repo, chains: c } = fixture.get();
    const run = async (...args: string[]) => {
      const res = await extractCli(repo, args);
      expect(res.code, res.stderr).toBe(0);
      return ids(res.lines);
    };
    expect(await run('--where', 'source=GENERATOR')).toEqual([c.a2.id, c.r2.id]);
    expect(await run('--where', 'guard=protected-paths')).toEqual([c.r2.id]);
    expect(await run('--where', 'guard=no-fixme')).toEqual([c.h3.id]);
    expect(await run('--where', 'layer=lint and not guard=no-fixme')).toEqual([c.a2.id]);
    expect(await run('--where', 'retry>=2 or agent=claude')).toEqual([c.h3.id, c.a2.id, c.r2.id]);
    expect(await run('--policy', 'generator', '--where', 'source=HUMAN')).toEqual([]);
    expect(await run('--policy', 'all', '--format', 'kto', '--where', 'status=REJECTED')).toEqual([c.e1.id, c.e2.id]);
    // Repeated: every expression must hold.
    expect(await run('--where', 'source=GENERATOR', '--where', 'guard=protected-paths')).toEqual([c.r2.id]);
    expect(await run('--where', 'layer=lint', '--where', 'not guard=no-fixme')).toEqual([c.a2.id]);
    expect(await run('--where', 'retry>=2 or agent=claude', '--where', 'source=HUMAN', '--where', 'refinement')).toEqual([c.h3.id]);
  });

  it('--since and ts values: a date-time without an offset is UTC, whatever the zone the CLI runs in', async () => {
    const { repo, chains: c } = fixture.get();
    const local = c.a1.ts.replace(/Z$/, '');
    expect(local).not.toBe(c.a1.ts);
    const res = await repo.cli(['extract', '--policy', 'recent', '--since', local], { env: { TZ: 'America/New_York' } });
    expect(res.code, res.stderr).toBe(0);
    expect(ids(res.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)))).toEqual([c.a2.id, c.r2.id]);
    const where = await repo.cli(['extract', '--where', `ts>="${local}"`], { env: { TZ: 'Asia/Tokyo' } });
    expect(where.code, where.stderr).toBe(0);
    expect(ids(where.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)))).toEqual([c.a2.id, c.r2.id]);
  });

  it('--policy all: every ACCEPTED and REJECTED record as raw lines (approvals too), never a SKIPPED one', async () => {
    const { repo, chains: c } = fixture.get();
    const res = await extractCli(repo, ['--policy', 'all', '--format', 'raw']);
    expect(res.code, res.stderr).toBe(0);
    validate('raw', res.lines);
    expect(res.lines.map((r) => r.id)).toEqual([c.init, c.h1, c.h2, c.h3, c.a1, c.a2, c.e1, c.e2, c.r1, c.r2, c.approval, c.p1, c.p2].map((r) => r.id));
    expect(res.lines.some((r) => r.status === 'SKIPPED')).toBe(false);
  });

  it('--policy all --format kto: escalated chains are label:false rows; approved changes are no rows; skips never', async () => {
    const { repo, chains: c } = fixture.get();
    const res = await extractCli(repo, ['--policy', 'all', '--format', 'kto']);
    expect(res.code, res.stderr).toBe(0);
    validate('kto', res.lines);
    expect(res.lines.map((l) => [l.metadata.record_id, l.label])).toEqual([
      [c.init.id, true],
      [c.h1.id, false],
      [c.h2.id, false],
      [c.h3.id, true],
      [c.a1.id, false],
      [c.a2.id, true],
      [c.e1.id, false],
      [c.e2.id, false],
      [c.r1.id, false],
      [c.r2.id, true],
    ]);
    expect(res.stderr).toContain('2 approved changes to protected paths');
    expect(res.stderr).toContain('1 SKIPPED record');
  });

  it('a rejected attempt that failed protected-paths stays a rejected attempt; the approved acceptance is no positive, and no DPO pair', async () => {
    const { repo, chains: c } = fixture.get();
    for (const format of ['prompt-completion', 'messages', 'dpo']) {
      const res = await extractCli(repo, ['--policy', 'all', '--format', format]);
      expect(res.code, res.stderr).toBe(0);
      const finals = res.lines.map((l) => l.metadata.record_id);
      expect(finals).not.toContain(c.p2.id);
      expect(finals).not.toContain(c.approval.id);
      expect(finals).not.toContain(c.e2.id);
    }
    const dpo = await extractCli(repo, ['--policy', 'all', '--format', 'dpo']);
    // r1 failed protected-paths only and was undone: it is the rejected side of r2's pair.
    expect(dpo.lines.map((l) => l.metadata.rejected_id)).toEqual([c.h1.id, c.h2.id, c.a1.id, c.r1.id]);
    expect(dpo.stderr).toContain('1 escalated chain (no accepted step to learn) in --format dpo');
    expect(dpo.stderr).toContain('1 chain without a rejected attempt (no DPO pair) in --format dpo');
  });

  it('the library: extract() with no output returns the lines and the same counts the CLI prints', async () => {
    const { repo, chains: c } = fixture.get();
    const result = await extract({ cwd: repo.dir, format: 'dpo' });
    expect(result.lines?.map((l: any) => l.metadata.rejected_id)).toEqual([c.h1.id, c.h2.id, c.a1.id, c.r1.id]);
    expect(result).toMatchObject({ examples: 4, chains: 3, records: 14, format: 'dpo', policy: 'refinements', where: null, ref: 'refs/notes/guardloop', output: null, checkpoint: null });
    expect(result.excluded).toEqual({ skipped: 1, escalated: 1, rejected: 0, approved: 1, unmatched: 2, exported: 0 });
    expect(result.tip).toBe(repo.git('rev-parse', 'refs/notes/guardloop'));
    const cli = await extractCli(repo, ['--format', 'dpo']);
    expect(cli.lines).toEqual(result.lines);
  });
});
