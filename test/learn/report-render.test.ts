import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/learn/report-html.js';
import { niceScale } from '../../src/learn/report-svg.js';
import { HOSTILE, sampleData } from './report-fixture.js';

// The report page from hand-built figures: what each chart draws (one mark per value, with its
// hover title), the constraint log's rows and verdict classes, untrusted text kept inert, nothing
// that loads anything, and an empty ℛ drawn as a sentence rather than as broken charts.

// The marks of each chart (by data-chart), in the order drawn, with their data-value and title.
function charts(html: string): Record<string, Array<{ value: number; title: string }>> {
  const out: Record<string, Array<{ value: number; title: string }>> = {};
  for (const m of html.matchAll(/<svg data-chart="([^"]+)"[^>]*>([\s\S]*?)<\/svg>/g)) {
    out[m[1]] = [...m[2].matchAll(/class="mark[^"]*" data-value="([^"]+)"[^>]*><title>([^<]*)<\/title>/g)].map((x) => ({ value: Number(x[1]), title: x[2] }));
  }
  return out;
}

describe('the report page', () => {
  it('draws a mark per value in each chart, with its figure in the hover title', () => {
    const html = renderReport(sampleData());
    const c = charts(html);
    expect(Object.keys(c).sort()).toEqual(['acceptance', 'new-constraints', 'rejections-guard', 'rejections-layer', 'retries', 'source-acceptance', 'source-chains']);
    // Weeks with an ended chain (the empty week is a gap in the line).
    expect(c.acceptance.map((p) => p.value)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(c.acceptance[0].title).toBe('Week of 2026-10-05: 25% first-attempt acceptance; 4 chains started, 3 accepted');
    // Retry counts with chains (2 retries had none: a gap, not a mark).
    expect(c.retries.map((p) => p.value)).toEqual([8, 2, 2]);
    expect(c.retries[2].title).toBe('2 accepted chains with 3 retries');
    // Guards that rejected something, most first (never-rejects keeps its row without a bar).
    expect(c['rejections-guard'].map((p) => p.title)).toEqual(['no-todo: rejected 9 attempts in 6 chains', 'types: rejected 5 attempts in 4 chains']);
    expect(html).toContain('>never-rejects</text>');
    expect(c['rejections-layer'].map((p) => p.value)).toEqual([9, 5]);
    // A person and an agent (CI made no chain: no row).
    expect(c['source-chains'].map((p) => p.title)).toEqual(['person: 6 chains, 5 accepted, 0 escalated', 'agent: 10 chains, 7 accepted, 3 escalated']);
    expect(c['source-acceptance'].map((p) => p.value)).toEqual([0.8, 0.4]);
    expect(c['new-constraints'].map((p) => p.value)).toEqual([3, 11, 1]);
  });

  it('the constraint log has a row per guard with its verdict class; flaky guards and warning signs are listed', () => {
    const html = renderReport(sampleData());
    const rows = [...html.matchAll(/<tr data-guard="([^"]*)"[^>]*>[\s\S]*?class="verdict verdict-(\w+)"[\s\S]*?<\/tr>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ['no-todo', 'recurring'],
      ['types', 'effective'],
      ['fresh', 'new'],
      ['never-rejects', 'idle'],
      ['flaky-net', 'flaky'],
      [expect.stringContaining('&lt;script&gt;'), 'effective'],
    ]);
    expect(html).toContain('<tr data-guard="&lt;script&gt;');
    expect(html).toMatch(/<tr data-guard="[^"]+" class="removed">/);
    expect(html).toContain('was tsc');
    expect(html).toMatch(/<li data-guard="flaky-net"><code>flaky-net<\/code> gave 2 trees different verdicts<\/li>/);
    expect(html).toContain('<li data-sign="constraint-explosion">11 new constraints in the week of 2026-10-19 (threshold 10).</li>');
  });

  it('feedback, tasks, ids and invariants are escaped: no tag, attribute or entity comes out of them', () => {
    const html = renderReport(sampleData());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<\/textarea/i);
    expect(html).not.toMatch(/<img/i);
    const escaped = '&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;/textarea&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;&amp;amp; &quot;quoted&quot; &#39;single&#39;';
    expect(HOSTILE).toContain('&amp;');
    // In the feedback's <pre>, the task, the removed guard's id and its invariant.
    expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(5);
    expect(html).toContain(`<pre class="feedback">${escaped}</pre>`);
    expect(html).toContain('<pre class="feedback">(the guard printed nothing)</pre>');
  });

  it('is self-contained: no script, no URL to load, and a policy that lets nothing load', () => {
    const html = renderReport(sampleData());
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\b(?:src|href)=["'](?!data:)/);
    expect(html).not.toMatch(/<(?:script|link rel="stylesheet"|iframe|object|embed)/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
  });

  it('an empty ℛ: a sentence saying there is nothing yet and how to make a record, no chart', () => {
    const data = sampleData();
    data.stats = { ...data.stats, records: 0, chains: { total: 0, accepted: 0, escalated: 0, open: 0 }, weeks: [] };
    data.all = 0;
    const html = renderReport(data);
    expect(html).toContain('data-empty="true"');
    expect(html).toContain('Nothing in ℛ yet');
    expect(html).toContain('Run guardloop run once');
    expect(html).not.toContain('<svg');
    // The constraint log still lists the declared guards.
    expect(html).toContain('<tr data-guard="no-todo"');
  });

  it('the charts with nothing to draw say so instead', () => {
    const data = sampleData();
    const s = data.stats;
    data.stats = {
      ...s,
      weeks: s.weeks.map((w) => ({ ...w, firstAttemptRate: null })),
      retries: { ...s.retries, distribution: [] },
      rejections: { attempts: 0, byGuard: [], byLayer: [] },
    };
    data.health = { ...data.health, healthy: true, signs: [], weeks: data.health.weeks.map((w) => ({ ...w, newConstraints: 0 })) };
    data.escalated = { total: 0, chains: [] };
    const html = renderReport(data);
    expect(Object.keys(charts(html)).sort()).toEqual(['source-acceptance', 'source-chains']);
    expect(html).toContain('No chain has ended yet.');
    expect(html).toContain('No chain has been accepted yet.');
    expect(html.split('No guard has rejected an attempt yet.').length - 1).toBe(2);
    expect(html).toContain('No chain was escalated');
    expect(html).toContain('data-healthy="true"');
  });

  it('axes end on round numbers', () => {
    expect(niceScale(0)).toEqual({ top: 1, step: 1 });
    expect(niceScale(8)).toEqual({ top: 8, step: 2 });
    expect(niceScale(11)).toEqual({ top: 15, step: 5 });
    expect(niceScale(1)).toEqual({ top: 1, step: 1 });
    expect(niceScale(230)).toEqual({ top: 250, step: 50 });
  });
});
