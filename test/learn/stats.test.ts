import { describe, expect, it } from 'vitest';
import { generateHistory } from '../helpers/history-generator.js';
import { withGitRepo } from '../helpers/git-repo.js';
import { EMPTY_STATS } from '../../src/messages/stats.js';
import { stats } from '../../src/learn/stats.js';
import { extractedChains, realChains, statsJson, tenChains } from './stats-helpers.js';
import { buildChains } from './extract-helpers.js';

// `guardloop stats` through the built CLI, on histories whose every figure is known by construction:
// a generated one (ten chains over three weeks, the middle week empty) and one made through the real
// hooks (a person's commits, Claude Code's stops).

describe('guardloop stats', () => {
  it('counts every figure of ten generated chains, with the empty week in the trend, and agrees with extract on refinements', async () => {
    await withGitRepo(async (repo) => {
      await generateHistory(repo.dir, tenChains());
      const s = await statsJson(repo);
      expect(s.records).toBe(20);
      expect(s.since).toBeNull();
      expect(s.chains).toEqual({ total: 10, accepted: 8, escalated: 1, open: 1 });
      expect(s.firstAttempt).toEqual({ accepted: 4, of: 9, rate: 0.4444 });
      expect(s.retries).toEqual({
        mean: 0.88,
        median: 0.5,
        p90: 3,
        max: 3,
        distribution: [
          { retries: 0, chains: 4 },
          { retries: 1, chains: 2 },
          { retries: 2, chains: 1 },
          { retries: 3, chains: 1 },
        ],
      });
      expect(s.rejections).toEqual({
        attempts: 10,
        byGuard: [
          { guard: 'lint', layer: 'lint', attempts: 4, chains: 4 },
          { guard: 'typecheck', layer: 'type', attempts: 4, chains: 2 },
          { guard: 'test', layer: 'test', attempts: 3, chains: 2 },
        ],
        byLayer: [
          { layer: 'lint', attempts: 4, chains: 4 },
          { layer: 'type', attempts: 4, chains: 2 },
          { layer: 'test', attempts: 3, chains: 2 },
        ],
      });
      expect(s.bySource).toEqual([
        { name: 'HUMAN', chains: 3, accepted: 3, escalated: 0, firstAttempt: 2, firstAttemptRate: 0.6667, rejections: 2 },
        { name: 'GENERATOR', chains: 7, accepted: 5, escalated: 1, firstAttempt: 2, firstAttemptRate: 0.3333, rejections: 8 },
      ]);
      expect(s.byAgent).toEqual([
        { name: 'claude', chains: 5, accepted: 4, escalated: 0, firstAttempt: 2, firstAttemptRate: 0.5, rejections: 3 },
        { name: 'codex', chains: 2, accepted: 1, escalated: 1, firstAttempt: 0, firstAttemptRate: 0, rejections: 5 },
      ]);
      expect(s.skipped).toEqual({ total: 2, byHow: [{ how: 'GUARDLOOP=0', count: 1 }, { how: 'no-pre-commit', count: 1 }] });
      expect(s.refinements).toBe(4);
      expect(await extractedChains(repo)).toBe(s.refinements);
      expect(s.weeks).toEqual([
        { week: '2026-01-05', records: 9, chains: 4, accepted: 3, escalated: 1, firstAttemptRate: 0.25, meanRetries: 1, rejections: 5, skipped: 1, refinements: 2 },
        { week: '2026-01-12', records: 0, chains: 0, accepted: 0, escalated: 0, firstAttemptRate: null, meanRetries: null, rejections: 0, skipped: 0, refinements: 0 },
        { week: '2026-01-19', records: 11, chains: 6, accepted: 5, escalated: 0, firstAttemptRate: 0.6, meanRetries: 0.8, rejections: 5, skipped: 1, refinements: 2 },
      ]);
      // The library call answers what the CLI prints.
      expect(await stats({ cwd: repo.dir })).toEqual(s);
    });
  });

  it('--since keeps the chains that started at or after it, and counts records by their own time', async () => {
    await withGitRepo(async (repo) => {
      await generateHistory(repo.dir, tenChains());
      const s = await statsJson(repo, ['--since', '2026-01-19']);
      expect(s.since).toBe('2026-01-19T00:00:00.000Z');
      expect(s.records).toBe(11);
      expect(s.chains).toEqual({ total: 6, accepted: 5, escalated: 0, open: 1 });
      expect(s.firstAttempt).toEqual({ accepted: 3, of: 5, rate: 0.6 });
      expect(s.refinements).toBe(2);
      expect(s.skipped.total).toBe(1);
      expect(s.weeks.map((w) => w.week)).toEqual(['2026-01-19']);
      // A date-time inside a chain: the chain that started before it is left out whole.
      const mid = await statsJson(repo, ['--since', '2026-01-22T10:01']);
      expect(mid.chains.total).toBe(2);
      expect(mid.records).toBe(3 + 1 + 1 + 2);
      const bad = await repo.cli(['stats', '--since', 'last tuesday']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("--since expects an ISO date such as 2026-01-31");
      expect(bad.stderr).toContain("got 'last tuesday'");
      expect(bad.stdout).toBe('');
      const json = await repo.cli(['stats', '--since', '2026-02-30'], { env: { GUARDLOOP_JSON_ERRORS: '1' } });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stderr.trim().split('\n').pop()!)).toMatchObject({ code: 'SINCE_INVALID', data: { option: '--since', value: '2026-02-30' } });
    });
  });

  it('prints a readable summary: sections, percentages with their counts, aligned columns', async () => {
    await withGitRepo(async (repo) => {
      await generateHistory(repo.dir, tenChains());
      const res = await repo.cli(['stats']);
      expect(res.code, res.stderr).toBe(0);
      const out = res.stdout;
      expect(out).toContain('ℛ: 20 records in the weeks of 2026-01-05 to 2026-01-19, 10 chains of attempts.');
      expect(out).toMatch(/first-attempt acceptance +44% \(4 of 9 chains that ended\)/);
      expect(out).toMatch(/retries per accepted chain +mean 0\.88, median 0\.5, p90 3, max 3/);
      expect(out).toMatch(/refinements for training +4 /);
      expect(out).toMatch(/skipped commits +2 +\(GUARDLOOP=0: 1, no-pre-commit: 1;/);
      expect(out).toContain('Rejections (10 rejected attempts)');
      expect(out).toMatch(/ +source +chains +accepted +escalated +first attempt \(of ended\) +rejections\n +HUMAN +3 +3 +0 +67% \(2 of 3 ended\) +2\n +GENERATOR +7 +5 +1 +33% \(2 of 6 ended\) +8\n/);
      // The weekly table: a header and one line per week (the empty one too), figures right-aligned.
      const table = out.slice(out.indexOf('Per week')).trimEnd().split('\n').slice(1);
      expect(table).toHaveLength(4);
      expect(table[0]).toMatch(/^ +week +records +chains/);
      expect(table[2]).toMatch(/^ +2026-01-12 +0 +0 +0 +0 +– +– +0 +0 +0$/);
      const ends = table.map((l) => l.length);
      expect(new Set(ends).size).toBe(1);
    });
  });

  it('an empty ℛ: one line saying so and how to make a record, exit 0; --json gives zeros', async () => {
    await withGitRepo(async (repo) => {
      const res = await repo.cli(['stats']);
      expect(res.code).toBe(0);
      expect(res.stdout).toBe('');
      expect(res.stderr.trim()).toBe(EMPTY_STATS);
      const s = await statsJson(repo);
      expect(s).toMatchObject({ tip: null, records: 0, chains: { total: 0, accepted: 0, escalated: 0, open: 0 }, firstAttempt: { accepted: 0, of: 0, rate: null }, refinements: 0, weeks: [] });
      expect(s.retries).toEqual({ mean: null, median: null, p90: null, max: null, distribution: [] });
    });
  });

  it('chains made through the real hooks: a person and Claude Code, a skip, an escalation; refinements as extract counts them', async () => {
    await withGitRepo(async (repo) => {
      await realChains(repo);
      const s = await statsJson(repo);
      expect(s.records).toBe(9);
      expect(s.chains).toEqual({ total: 4, accepted: 3, escalated: 1, open: 0 });
      expect(s.firstAttempt).toEqual({ accepted: 1, of: 4, rate: 0.25 });
      expect(s.retries.distribution).toEqual([
        { retries: 0, chains: 1 },
        { retries: 1, chains: 1 },
        { retries: 2, chains: 1 },
      ]);
      expect(s.rejections).toEqual({
        attempts: 5,
        byGuard: [
          { guard: 'no-fixme', layer: 'review', attempts: 3, chains: 2 },
          { guard: 'no-todo', layer: 'lint', attempts: 3, chains: 2 },
        ],
        byLayer: [
          { layer: 'lint', attempts: 3, chains: 2 },
          { layer: 'review', attempts: 3, chains: 2 },
        ],
      });
      expect(s.bySource).toEqual([
        { name: 'HUMAN', chains: 2, accepted: 2, escalated: 0, firstAttempt: 1, firstAttemptRate: 0.5, rejections: 2 },
        { name: 'GENERATOR', chains: 2, accepted: 1, escalated: 1, firstAttempt: 0, firstAttemptRate: 0, rejections: 3 },
      ]);
      expect(s.byAgent.map((g) => [g.name, g.chains])).toEqual([['claude', 2]]);
      expect(s.skipped.total).toBe(1);
      expect(s.refinements).toBe(2);
      expect(await extractedChains(repo)).toBe(2);
      expect(s.weeks.reduce((n, w) => n + w.records, 0)).toBe(9);
    });
  });

  it("extraction's fixture (an approved change to protected paths among the chains): refinements as extract counts them", async () => {
    await withGitRepo(async (repo) => {
      await buildChains(repo);
      const s = await statsJson(repo);
      // h3, a2, r2: p2 is an approved change (never a positive), the approval itself no chain of guard runs.
      expect(s.refinements).toBe(3);
      expect(await extractedChains(repo)).toBe(3);
      expect(s.chains).toEqual({ total: 6, accepted: 5, escalated: 1, open: 0 });
    });
  });
});
