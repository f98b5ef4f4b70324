// wording-ok-file: HTML markup; every sentence comes from src/messages/report.ts.
// The report page: what stats(), constraints() and health() found, drawn as one self-contained
// HTML file (inline CSS and SVG, no script; a Content-Security-Policy that lets nothing load).
import type { Constraints, Health, Stats } from './insight-schemas.js';
import { REPORT_CSS } from './report-css.js';
import type { EscalatedChain } from './report-escalated.js';
import { esc } from './report-escape.js';
import { barChart, columnChart, rateLineChart, type Bar } from './report-svg.js';
import { agentTable, constraintTable, escalatedList, flakyList, healthSigns, when } from './report-tables.js';
import * as m from '../messages/report.js';

// Everything the page shows, gathered by report() from one read of ℛ.
export interface ReportData {
  repo: string;
  ref: string;
  version: string;
  // When the report was made (ms since the epoch).
  generated: number;
  // --since as an ISO time, or null.
  since: string | null;
  stats: Stats;
  constraints: Constraints;
  health: Health;
  escalated: { total: number; chains: EscalatedChain[] };
  // How many warnings reading ℛ gave (notes that could not be read).
  unread: number;
  // Records in all of ℛ (stats.records counts those from `since` on).
  all: number;
}

// Nothing could be drawn the page shows a sentence where the chart would be.
const empty = (text: string) => `<p class="empty">${esc(text)}</p>`;

function section(id: string, heading: string, caption: string | null, body: string): string {
  return `<section id="${esc(id)}"><h2>${esc(heading)}</h2>${caption ? `<p class="caption">${esc(caption)}</p>` : ''}${body}</section>`;
}

function tile(value: string, what: string, detail = ''): string {
  return `<div class="tile"><span class="n">${esc(value)}</span><span class="what">${esc(what)}${detail ? ` · ${esc(detail)}` : ''}</span></div>`;
}

function tiles(d: ReportData): string {
  const s = d.stats;
  const mean = s.retries.mean === null ? '—' : (Math.round(s.retries.mean * 100) / 100).toString();
  return `<div class="tiles">${[
    tile(String(s.chains.total), m.TILE_CHAINS),
    tile(m.percent(s.firstAttempt.rate), m.TILE_FIRST_ATTEMPT, m.firstAttemptDetail(s.firstAttempt.accepted, s.firstAttempt.of)),
    tile(mean, m.TILE_RETRIES),
    tile(String(s.chains.escalated), m.TILE_ESCALATED),
    tile(String(s.refinements), m.TILE_REFINEMENTS),
    tile(String(s.skipped.total), m.TILE_SKIPPED),
    tile(String(d.constraints.constraints.filter((c) => c.active).length), m.TILE_CONSTRAINTS),
    tile(m.healthTile(d.health.signs.length), m.TILE_HEALTH),
  ].join('')}</div>`;
}

// First-attempt acceptance per week: a point per week that had a chain end.
function acceptanceChart(s: Stats): string {
  if (!s.weeks.some((w) => w.firstAttemptRate !== null)) return empty(m.NO_ENDED_CHAINS);
  const points = s.weeks.map((w) => ({ label: w.week, value: w.firstAttemptRate, title: m.acceptanceTitle(w.week, w.firstAttemptRate, w.chains, w.accepted) }));
  return rateLineChart({ chart: 'acceptance', label: m.ACCEPTANCE_HEADING, points, format: (n) => m.percent(n) });
}

// Retries per accepted chain: a column per retry count from 0 to the most (gaps drawn as nothing).
function retriesChart(s: Stats): string {
  const counts = new Map(s.retries.distribution.map((d) => [d.retries, d.chains]));
  const most = Math.max(-1, ...s.retries.distribution.filter((d) => d.chains > 0).map((d) => d.retries));
  if (most < 0) return empty(m.NO_ACCEPTED_CHAINS);
  const columns: Bar[] = [];
  for (let r = 0; r <= most; r++) columns.push({ label: String(r), value: counts.get(r) ?? 0, title: m.retriesTitle(r, counts.get(r) ?? 0) });
  return columnChart({ chart: 'retries', label: m.RETRIES_HEADING, columns });
}

function rejectionsCharts(s: Stats): string {
  const byAttempts = <T extends { attempts: number }>(rows: T[]) => [...rows].sort((a, b) => b.attempts - a.attempts);
  const guards = byAttempts(s.rejections.byGuard).map((g) => ({ label: g.guard, value: g.attempts, text: m.rejectionsValue(g.attempts, g.chains), title: m.rejectionsTitle(g.guard, g.attempts, g.chains) }));
  const layers = byAttempts(s.rejections.byLayer).map((l) => ({ label: l.layer, value: l.attempts, text: m.rejectionsValue(l.attempts, l.chains), title: m.rejectionsTitle(l.layer, l.attempts, l.chains) }));
  const draw = (chart: string, label: string, bars: Bar[]) => (bars.some((b) => b.value > 0) ? barChart({ chart, label, bars }) : empty(m.NO_REJECTIONS));
  return `<div class="grid2">${section('rejections-guard', m.REJECTIONS_GUARD_HEADING, m.REJECTIONS_CAPTION, draw('rejections-guard', m.REJECTIONS_GUARD_HEADING, guards))}${section(
    'rejections-layer',
    m.REJECTIONS_LAYER_HEADING,
    m.REJECTIONS_CAPTION,
    draw('rejections-layer', m.REJECTIONS_LAYER_HEADING, layers),
  )}</div>`;
}

// A person's chains beside an agent's: how many, and how often the first attempt was accepted.
function sourcesSection(s: Stats): string {
  const groups = s.bySource.filter((g) => g.chains > 0);
  const body = groups.length
    ? `<div class="pair"><div><h3>${esc(m.SOURCES_CHAINS)}</h3>${barChart({
        chart: 'source-chains',
        label: m.SOURCES_CHAINS,
        bars: groups.map((g) => ({ label: m.sourceName(g.name), value: g.chains, title: m.sourceChainsTitle(m.sourceName(g.name), g.chains, g.accepted, g.escalated) })),
      })}</div><div><h3>${esc(m.SOURCES_ACCEPTANCE)}</h3>${barChart({
        chart: 'source-acceptance',
        label: m.SOURCES_ACCEPTANCE,
        max: 1,
        bars: groups.map((g) => ({
          label: m.sourceName(g.name),
          value: g.firstAttemptRate ?? 0,
          text: m.percent(g.firstAttemptRate),
          title: m.sourceAcceptanceTitle(m.sourceName(g.name), g.firstAttemptRate, g.firstAttempt, g.chains),
        })),
      })}</div></div>${agentTable(s)}`
    : empty(m.NO_ENDED_CHAINS);
  return section('sources', m.SOURCES_HEADING, m.SOURCES_CAPTION, body);
}

function healthSection(h: Health): string {
  const weeks = h.weeks;
  const chart = weeks.some((w) => w.newConstraints > 0)
    ? `<h3>${esc(m.NEW_CONSTRAINTS_HEADING)}</h3>${columnChart({
        chart: 'new-constraints',
        label: m.NEW_CONSTRAINTS_HEADING,
        labels: 6,
        columns: weeks.map((w) => ({ label: w.week, value: w.newConstraints, title: m.newConstraintsTitle(w.week, w.newConstraints, w.constraints) })),
      })}`
    : '';
  return section('health', m.HEALTH_HEADING, null, `${healthSigns(h)}${chart}`);
}

// The whole page.
export function renderReport(d: ReportData): string {
  const title = m.reportTitle(d.repo);
  const noRecords = d.all === 0;
  const head = [
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">${esc(m.reportMeta({ generated: when(d.generated), ref: d.ref, tip: d.stats.tip, records: d.stats.records, chains: d.stats.chains.total }))}</p>`,
    d.since ? `<p class="meta" data-since="${esc(d.since)}">${esc(m.sinceNote(when(d.since)))}</p>` : '',
    d.unread ? `<p class="meta sign">${esc(m.readWarnings(d.unread))}</p>` : '',
    d.since && d.all > 0 && d.stats.records === 0 ? `<p class="meta sign" data-nothing-since="true">${esc(m.nothingSince(when(d.since)))}</p>` : '',
  ].join('');
  const log = section('constraints', m.CONSTRAINTS_HEADING, d.constraints.constraints.length ? m.constraintsCaption(d.constraints.graceDays, d.constraints.idle.runs, d.constraints.idle.days) : null, constraintTable(d.constraints));
  const body = noRecords
    ? [`<section class="notice" id="empty" data-empty="true"><h2>${esc(m.EMPTY_HEADING)}</h2><p>${esc(m.EMPTY_REPORT)}</p></section>`, log]
    : [
        tiles(d),
        `<div class="grid2">${section('acceptance', m.ACCEPTANCE_HEADING, m.ACCEPTANCE_CAPTION, acceptanceChart(d.stats))}${section('retries', m.RETRIES_HEADING, m.RETRIES_CAPTION, retriesChart(d.stats))}</div>`,
        rejectionsCharts(d.stats),
        sourcesSection(d.stats),
        log,
        `<div class="grid2">${section('flaky', m.FLAKY_HEADING, m.FLAKY_CAPTION, flakyList(d.constraints))}${healthSection(d.health)}</div>`,
        section('escalated', m.ESCALATED_HEADING, null, escalatedList(d.escalated)),
      ];
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may load or run: no script, no request, not even a favicon fetch from a server.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<link rel="icon" href="data:,">`,
    `<title>${esc(title)}</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    `<header>${head}</header>`,
    `<main>${body.join('\n')}</main>`,
    `<footer>${esc(m.generatedBy(d.version))}</footer>`,
    '</body></html>',
    '',
  ].join('\n');
}
