import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { constraintsSchema, healthSchema, statsSchema } from '../../src/learn/insight-schemas.js';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { buildReportChains, HOSTILE_LINE } from '../learn/report-chains.js';
import { expectDrawn, launch, openReport } from './page.js';

// `guardloop report` on chains the real hooks made (a person's commits, an agent's refinement and
// an escalated chain whose feedback carries markup), opened from disk in headless Chromium: no
// console error, no request but the file, every chart's marks as the figures say, the constraint
// log's verdicts coloured, the feedback shown as text and inert, and a screenshot.

const CHROMIUM = inject('chromium');
const SKIP = inject('chromiumSkip');

let browser: Browser;
const scratch = mkdtempSync(join(tmpdir(), 'guardloop-browser-'));
beforeAll(async () => {
  if (!SKIP) browser = await launch(CHROMIUM);
});
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

// The command's --json output, validated against its schema.
async function json<T>(repo: TestRepo, args: string[], schema: { parse(v: unknown): T }): Promise<T> {
  const res = await repo.cli([...args, '--json']);
  expect([0, 1], res.stderr).toContain(res.code);
  return schema.parse(JSON.parse(res.stdout));
}

describe.skipIf(SKIP !== '')(`the report in a real browser${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  it('draws every chart, colours the verdicts, keeps untrusted feedback inert, loads nothing, and screenshots', async () => {
    await withGitRepo(async (repo) => {
      await buildReportChains(repo);
      const file = join(scratch, 'report.html');
      const res = await repo.cli(['report', '-o', file]);
      expect(res.code, res.stderr).toBe(0);
      const figures = {
        stats: await json(repo, ['stats'], statsSchema),
        constraints: await json(repo, ['constraints'], constraintsSchema),
        health: await json(repo, ['health'], healthSchema),
      };
      const opened = await openReport(browser, file);
      await expectDrawn(opened, figures);
      const { page } = opened;
      // Two guards rejected something; both are rows of the log.
      expect(figures.stats.rejections.byGuard.filter((g) => g.attempts > 0).map((g) => g.guard).sort()).toEqual(['no-fixme', 'no-todo']);
      // The escalated chain: its feedback is text on the page, and none of it ran or parsed as markup.
      expect(await page.locator('details.chain').count()).toBe(1);
      const feedback = await page.locator('pre.feedback').allTextContents();
      expect(feedback).toHaveLength(2);
      for (const f of feedback) expect(f).toContain(HOSTILE_LINE);
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('main script, main img, main textarea').count()).toBe(0);
      // Hover titles are the browser's own (SVG <title>): nothing to run.
      expect(await page.locator('script').count()).toBe(0);
      const png = join(scratch, 'report.png');
      await page.screenshot({ path: png, fullPage: true });
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(png).size).toBeGreaterThan(10_000);
      await page.close();
    });
  });

  it('an empty ℛ: the page says there is nothing yet, draws no chart, and has no error', async () => {
    await withGitRepo(async (repo) => {
      const file = join(scratch, 'empty.html');
      const res = await repo.cli(['report', '-o', file]);
      expect(res.code, res.stderr).toBe(0);
      const opened = await openReport(browser, file);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.pageErrors).toEqual([]);
      expect(opened.requests).toEqual([opened.url]);
      expect(await opened.page.locator('[data-empty="true"]').isVisible()).toBe(true);
      expect(await opened.page.locator('svg').count()).toBe(0);
      await opened.page.close();
    });
  });
});
