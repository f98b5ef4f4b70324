import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Constraints, Health, Stats } from '../../src/learn/insight-schemas.js';

// The report opened from disk in headless Chromium, with everything the page did that it must not:
// console errors, uncaught errors, and any request besides the file itself.

// What the page's callbacks use of the DOM (the project compiles without the DOM's types).
interface Dom {
  getAttribute(name: string): string | null;
  querySelector(selector: string): Dom | null;
  querySelectorAll(selector: string): Iterable<Dom>;
  textContent: string | null;
  className: string;
  getBBox(): { width: number; height: number };
  getBoundingClientRect(): { width: number; height: number };
}

export interface OpenedReport {
  page: Page;
  url: string;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

// Launches the Chromium the global setup found (root needs --no-sandbox).
export function launch(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

// Opens `file` in a new page of `browser` and waits for it to load.
export async function openReport(browser: Browser, file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport });
  const opened: OpenedReport = { page, url: pathToFileURL(file).href, consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') opened.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => opened.pageErrors.push(e.message));
  page.on('request', (r) => opened.requests.push(r.url()));
  await page.goto(opened.url, { waitUntil: 'load' });
  return opened;
}

// What each chart should draw, from the figures the page was made of: a mark per value above 0 (a
// point per week that had a chain end), by the chart's data-chart name.
export function expectedMarks(stats: Stats, health: Health): Record<string, number[]> {
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const groups = stats.bySource.filter((g) => g.chains > 0);
  const all: Record<string, number[]> = {
    acceptance: stats.weeks.map((w) => w.firstAttemptRate).filter((r): r is number => r !== null),
    retries: sorted(stats.retries.distribution.filter((d) => d.chains > 0).map((d) => d.chains)),
    'rejections-guard': sorted(stats.rejections.byGuard.filter((g) => g.attempts > 0).map((g) => g.attempts)),
    'rejections-layer': sorted(stats.rejections.byLayer.filter((g) => g.attempts > 0).map((g) => g.attempts)),
    'source-chains': sorted(groups.map((g) => g.chains)),
    'source-acceptance': sorted(groups.map((g) => g.firstAttemptRate ?? 0).filter((r) => r > 0)),
    'new-constraints': sorted(health.weeks.map((w) => w.newConstraints).filter((n) => n > 0)),
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v.length > 0));
}

// Asserts what the browser drew: no error, no request but the file, each chart's marks as the
// figures say (each visible, with a hover title), and a constraint-log row per guard whose verdict
// badge has its colour.
export async function expectDrawn(opened: OpenedReport, figures: { stats: Stats; constraints: Constraints; health: Health }): Promise<void> {
  const { page } = opened;
  expect(opened.consoleErrors).toEqual([]);
  expect(opened.pageErrors).toEqual([]);
  expect(opened.requests).toEqual([opened.url]);
  const drawn = await page.$$eval('svg[data-chart]', (svgs) =>
    (svgs as unknown as Dom[]).map((svg) => ({
      chart: svg.getAttribute('data-chart')!,
      marks: [...svg.querySelectorAll('.mark')].map((m) => {
        const box = m.getBBox();
        const r = m.getBoundingClientRect();
        return { value: Number(m.getAttribute('data-value')), title: m.querySelector('title')?.textContent ?? '', w: box.width, h: box.height, shown: r.width > 0 && r.height > 0 };
      }),
    })),
  );
  const byChart = Object.fromEntries(drawn.map((d) => [d.chart, d.marks]));
  const expected = expectedMarks(figures.stats, figures.health);
  expect(Object.keys(byChart).sort()).toEqual(Object.keys(expected).sort());
  for (const [chart, values] of Object.entries(expected)) {
    const marks = byChart[chart];
    const got = chart === 'acceptance' ? marks.map((m) => m.value) : marks.map((m) => m.value).sort((a, b) => a - b);
    expect(got, chart).toEqual(values);
    for (const m of marks) {
      expect(m.title.length, `${chart}: a hover title`).toBeGreaterThan(0);
      expect(m.w > 0 && m.h > 0 && m.shown, `${chart}: a visible mark`).toBe(true);
    }
  }
  const rows = await page.$$eval('table.constraints tr[data-guard]', (trs) =>
    (trs as unknown as Dom[]).map((tr) => {
      const badge = tr.querySelector('.verdict')!;
      const style = (globalThis as unknown as { getComputedStyle(e: Dom): { backgroundColor: string } }).getComputedStyle(badge);
      return { id: tr.getAttribute('data-guard'), cls: badge.className, colour: style.backgroundColor };
    }),
  );
  expect(rows.map((r) => [r.id, r.cls])).toEqual(figures.constraints.constraints.map((c) => [c.id, `verdict verdict-${c.verdict}`]));
  for (const r of rows) expect(r.colour, `${r.id}: a coloured verdict`).not.toMatch(/^rgba\(0, 0, 0, 0\)$|^transparent$/);
}
