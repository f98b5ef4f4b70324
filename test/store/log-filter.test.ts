import { afterAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import logCommand from '../../src/cli/commands/log.js';
import { logFilter, parseSince } from '../../src/store/log-filter.js';
import { openRepository } from '../../src/store/repository.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo } from './helpers.js';

afterAll(cleanupRepos);

const NOW = Date.parse('2026-03-10T12:00:00.000Z');

describe('--since', () => {
  it('reads durations back from now: s, m, h, d, w, with or without a space', () => {
    const back = (v: string) => NOW - (parseSince(v, NOW)?.getTime() ?? Number.NaN);
    expect(back('45s')).toBe(45_000);
    expect(back('30m')).toBe(30 * 60_000);
    expect(back('12h')).toBe(12 * 3_600_000);
    expect(back('7d')).toBe(7 * 86_400_000);
    expect(back('2w')).toBe(14 * 86_400_000);
    expect(back(' 3 d ')).toBe(3 * 86_400_000);
    expect(back('0h')).toBe(0);
  });

  it('reads dates and timestamps, and rejects what is neither', () => {
    expect(parseSince('2026-01-31', NOW)?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(parseSince('2026-02-01T08:30:00Z', NOW)?.toISOString()).toBe('2026-02-01T08:30:00.000Z');
    for (const bad of ['7x', 'd', '1.5h', 'yesterday', '', '7 days']) expect(parseSince(bad, NOW), bad).toBeNull();
    const err = logFilter({ since: 'soon' });
    expect('error' in err && err.error).toContain('soon');
    const ok = logFilter({ since: '12h' });
    expect('filter' in ok && Math.abs(Date.now() - 12 * 3_600_000 - ok.filter.since!.getTime())).toBeLessThan(5_000);
  });

  it('guardloop log --since 2h keeps the records of the last two hours only', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    const now = Date.now();
    const recent = makeRecord(fakeOid('recent'), { ts: new Date(now - 30 * 60_000).toISOString() });
    const old = makeRecord(fakeOid('old'), { ts: new Date(now - 3 * 3_600_000).toISOString() });
    const ancient = makeRecord(fakeOid('ancient'), { ts: new Date(now - 9 * 86_400_000).toISOString() });
    await repo.append([recent, old, ancient]);
    await repo.close();
    const run = async (since: string) => {
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (b: Buffer) => (out += b));
      const code = await logCommand.run({ values: { json: true, since }, positionals: [], cwd: dir, stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: process.env });
      return { code, ids: out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).id) };
    };
    expect(await run('2h')).toEqual({ code: 0, ids: [recent.id] });
    expect(await run('1d')).toEqual({ code: 0, ids: [recent.id, old.id] });
    expect(await run('2w')).toEqual({ code: 0, ids: [recent.id, old.id, ancient.id] });
    expect((await run('90m')).ids).toEqual([recent.id]);
    expect((await run('3x')).code).toBe(2);
  });
});
