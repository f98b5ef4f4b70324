import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { constraintsSchema, healthSchema, statsSchema } from '../../src/learn/insight-schemas.js';
import { generateHistory } from '../helpers/history-generator.js';
import { CLI, exec, withGitRepo, type Spawned } from '../helpers/git-repo.js';
import { expectDrawn, launch, openReport } from './page.js';
import { richPlan } from './rich-history.js';

// The report of three months of ℛ (test/browser/rich-history.ts) in headless Chromium: every chart
// drawn as its figures say, every verdict of the constraint log present and coloured, and the
// README's screenshot. GUARDLOOP_REPORT_PNG=docs/report.png npm run test:browser writes it there;
// otherwise it goes to a temp dir.

const CHROMIUM = inject('chromium');
const SKIP = inject('chromiumSkip');
const PNG = inject('reportPng');

let browser: Browser;
const scratch = mkdtempSync(join(tmpdir(), 'guardloop-browser-'));
beforeAll(async () => {
  if (!SKIP) browser = await launch(CHROMIUM);
});
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function json<T>(cli: (args: string[]) => Promise<Spawned>, args: string[], schema: { parse(v: unknown): T }): Promise<T> {
  const res = await cli([...args, '--json']);
  expect([0, 1], res.stderr).toContain(res.code);
  return schema.parse(JSON.parse(res.stdout));
}

describe.skipIf(SKIP !== '')(`the report of a long history${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  it('three months: every chart and verdict drawn, no error, and the screenshot', async () => {
    await withGitRepo(async (repo) => {
      // A repository with a project's name (the report's title), inside the temp one.
      const dir = join(repo.dir, 'acme-shop');
      mkdirSync(dir);
      for (const args of [['init', '-q', '-b', 'main'], ['config', 'user.name', 'Test User'], ['config', 'user.email', 'test@example.com'], ['config', 'commit.gpgsign', 'false']]) repo.git('-C', dir, ...args);
      await generateHistory(dir, richPlan());
      const cli = (args: string[]) => exec(process.execPath, [CLI, ...args], { cwd: dir });
      const file = join(scratch, 'rich.html');
      const res = await cli(['report', '-o', file]);
      expect(res.code, res.stderr).toBe(0);
      const figures = {
        stats: await json(cli, ['stats'], statsSchema),
        constraints: await json(cli, ['constraints'], constraintsSchema),
        health: await json(cli, ['health'], healthSchema),
      };
      // The history is what it is meant to be: months of weeks, person and agents, escalations.
      expect(figures.stats.weeks.length).toBeGreaterThanOrEqual(13);
      expect(figures.stats.chains.escalated).toBeGreaterThan(0);
      expect(figures.stats.bySource.filter((g) => g.chains > 0).map((g) => g.name).sort()).toEqual(['GENERATOR', 'HUMAN']);
      expect(figures.stats.skipped.total).toBeGreaterThan(0);
      const opened = await openReport(browser, file, { width: 1280, height: 900 });
      await expectDrawn(opened, figures);
      const verdicts = new Set(figures.constraints.constraints.map((c) => c.verdict));
      // Every verdict of the constraint log is reached.
      expect([...verdicts].sort()).toEqual(['effective', 'flaky', 'idle', 'new', 'recurring']);
      expect(await opened.page.locator('ul.flaky li').count()).toBeGreaterThan(0);
      expect(await opened.page.locator('details.chain').count()).toBe(Math.min(10, figures.stats.chains.escalated));
      const png = PNG || join(scratch, 'report.png');
      mkdirSync(dirname(png), { recursive: true });
      await opened.page.screenshot({ path: png, fullPage: true });
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(png).size).toBeGreaterThan(50_000);
      await opened.page.close();
    });
  });
});
