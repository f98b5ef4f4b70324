import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { report } from '../../src/learn/report.js';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { buildReportChains, HOSTILE_LINE } from './report-chains.js';

// `guardloop report` through the built CLI: where the file goes and what it prints, an empty ℛ,
// the charts of chains the real hooks made (with the guards' feedback kept inert), --since, and
// the file appearing complete or not at all.

let repo: TestRepo;
let release: () => void;
let finished: Promise<void>;
beforeAll(async () => {
  await new Promise<void>((ready, fail) => {
    finished = withGitRepo(async (r) => {
      repo = r;
      try {
        await buildReportChains(r);
      } catch (e) {
        fail(e);
        return;
      }
      ready();
      await new Promise<void>((done) => (release = done));
    });
  });
}, 240_000);
afterAll(async () => {
  release?.();
  await finished;
});

// The data-value of each mark of each chart in the page.
function marks(html: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const m of html.matchAll(/<svg data-chart="([^"]+)"[^>]*>([\s\S]*?)<\/svg>/g)) out[m[1]] = [...m[2].matchAll(/class="mark[^"]*" data-value="([^"]+)"/g)].map((x) => Number(x[1]));
  return out;
}

describe('guardloop report', () => {
  it('writes guardloop-report.html in the current directory by default and prints its path and URL', async () => {
    const res = await repo.cli(['report']);
    expect(res.code, res.stderr).toBe(0);
    const file = join(repo.dir, 'guardloop-report.html');
    expect(existsSync(file)).toBe(true);
    const bytes = statSync(file).size;
    expect(res.stdout).toBe(`guardloop report: wrote ${file} (${Math.max(1, Math.round(bytes / 1024))} KB). Open ${pathToFileURL(file).href} in a browser.\n`);
    expect(res.stderr).toBe('');
    // No temp file left beside it.
    expect(readdirSync(repo.dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('draws the chains the hooks made: figures, a mark per value, the constraint log, the escalated chain with its feedback escaped', async () => {
    const out = join(repo.dir, '.git', 'r.html');
    const res = await repo.cli(['report', '-o', out]);
    expect(res.code, res.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    const stats = JSON.parse((await repo.cli(['stats', '--json'])).stdout);
    expect(stats.chains).toEqual({ total: 4, accepted: 3, escalated: 1, open: 0 });
    const m = marks(html);
    // A point per week with an ended chain: 1 of the 4 was accepted at its first attempt (the first commit).
    expect(stats.firstAttempt).toEqual({ accepted: 1, of: 4, rate: 0.25 });
    expect(m.acceptance).toEqual(stats.weeks.filter((w: { firstAttemptRate: number | null }) => w.firstAttemptRate !== null).map((w: { firstAttemptRate: number }) => w.firstAttemptRate));
    // Accepted chains: 1 at once, 2 after one retry.
    expect(m.retries).toEqual([1, 2]);
    expect(m['rejections-guard']).toEqual([3, 1]);
    expect(html).toMatch(/<title>no-todo: rejected 3 attempts in 2 chains<\/title>/);
    expect(html).toMatch(/<title>no-fixme: rejected 1 attempt in 1 chain<\/title>/);
    expect(m['rejections-layer']).toEqual([3, 1]);
    expect(m['source-chains']).toEqual([2, 2]);
    // The person's first commit was accepted at once (1 of 2); the agent's never (0%: no bar).
    expect(m['source-acceptance']).toEqual([0.5]);
    // A row per guard, each with its verdict's class (the constraint log's own rules decide which).
    const constraints = JSON.parse((await repo.cli(['constraints', '--json'])).stdout);
    const rows = [...html.matchAll(/<tr data-guard="([^"]*)"[^>]*>[\s\S]*?class="verdict verdict-(\w+)"/g)].map((x) => [x[1], x[2]]);
    expect(rows).toEqual(constraints.constraints.map((c: { id: string; verdict: string }) => [c.id, c.verdict]));
    expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining(['no-todo', 'no-fixme']));
    // The escalated chain: two attempts, each with no-todo's output, markup escaped.
    const chain = /<details class="chain"[\s\S]*?<\/details>/.exec(html)![0];
    expect(chain).toContain('agent claude · 2 attempts · caught by no-todo');
    expect(chain.match(/<pre class="feedback">/g)).toHaveLength(2);
    expect(chain).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;/textarea&gt;&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;');
    expect(html).not.toContain(HOSTILE_LINE);
    expect(html).not.toMatch(/<script|<\/textarea|<img/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('--since: the figures and escalated chains of chains started from then on; the constraint log stays whole', async () => {
    const out = join(repo.dir, '.git', 'since.html');
    const res = await repo.cli(['report', '-o', out, '--since', '2999-01-01']);
    expect(res.code, res.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('data-since="2999-01-01T00:00:00.000Z"');
    expect(marks(html)).toEqual({});
    expect(html).toContain('data-nothing-since="true"');
    expect(html).not.toContain('data-empty');
    expect(html).toContain('No chain was escalated');
    expect(html).toContain('<tr data-guard="no-todo"');
  });

  it('a bad --since is a usage error before anything is read or written', async () => {
    const out = join(repo.dir, '.git', 'bad.html');
    const res = await repo.cli(['report', '-o', out, '--since', 'last tuesday']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--since expects an ISO date such as 2026-01-31");
    expect(res.stderr).toContain("got 'last tuesday'");
    expect(existsSync(out)).toBe(false);
  });

  it('a file it cannot write is REPORT_WRITE_FAILED: nothing half-written, an existing file as it was', async () => {
    const missing = join(repo.dir, '.git', 'no', 'such', 'dir', 'r.html');
    const res = await repo.cli(['report', '-o', missing]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`guardloop report: could not write ${missing}`);
    expect(res.stderr).toContain('mkdir -p');
    // The library call: the error's code and data.
    await expect(report({ cwd: repo.dir, output: missing })).rejects.toMatchObject({ code: 'REPORT_WRITE_FAILED', exitCode: 2, data: { file: missing } });
    expect(existsSync(join(repo.dir, '.git', 'no'))).toBe(false);
    const dir = join(repo.dir, '.git', 'ro');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'r.html'), 'old');
    chmodSync(dir, 0o555);
    try {
      const ro = await repo.cli(['report', '-o', join(dir, 'r.html')]);
      // root writes anywhere: then the report simply replaces the file.
      if (ro.code !== 0) {
        expect(ro.code).toBe(2);
        expect(readFileSync(join(dir, 'r.html'), 'utf8')).toBe('old');
        expect(readdirSync(dir)).toEqual(['r.html']);
      } else expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/^<!doctype html>/);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('replaces an existing file in one rename, keeping its permission bits, and writes through a symlink to its target', async () => {
    const file = join(repo.dir, '.git', 'private.html');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    expect((await repo.cli(['report', '-o', file])).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);
    const link = join(repo.dir, '.git', 'link.html');
    symlinkSync(file, link);
    writeFileSync(file, 'old');
    expect((await repo.cli(['report', '-o', link])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });
});

describe('guardloop report on an empty ℛ', () => {
  it('writes a report that says there is nothing yet and how to make a record, with no chart', async () => {
    await withGitRepo(async (r) => {
      r.config(`guards:\n  - id: t\n    run: "true"\n    invariant: "In this codebase, t must never fail, because it causes broken builds."\n`);
      const res = await r.cli(['report', '-o', 'out.html']);
      expect(res.code, res.stderr).toBe(0);
      const html = r.read('out.html');
      expect(html).toContain('data-empty="true"');
      expect(html).toContain('Nothing in ℛ yet');
      expect(html).not.toContain('<svg');
      expect(res.stdout).toContain(join(r.dir, 'out.html'));
    });
  });
});
