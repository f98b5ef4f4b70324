// wording-ok-file: SVG markup; every sentence drawn comes from src/messages/report.ts through the callers.
// The report's charts, drawn on the server as inline SVG (no chart library: nothing to load, nothing
// to keep up to date). Each chart is an <svg data-chart="NAME">; each drawn mark (a bar, a point) has
// class "mark", its value in data-value and a <title> the browser shows on hover.
import { esc } from './report-escape.js';

// One bar or column: its axis label, its value, the hover text.
export interface Bar {
  label: string;
  value: number;
  title: string;
  // What a bar chart writes after the bar (default: the value, formatted).
  text?: string;
}

// One point of a line: its axis label, its value (null: nothing to show that week, a gap in the line).
export interface Point {
  label: string;
  value: number | null;
  title: string;
}

const WIDTH = 640;
const FONT = 12;

const round = (n: number) => Math.round(n * 10) / 10;

// A number a chart's axis can end on (1, 2 or 5 times a power of ten) at or above `max`, and the
// step between its gridlines (at most 5 steps; whole numbers for counts).
export function niceScale(max: number, whole = true): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: whole ? 1 : 0.25 };
  const rough = max / 5;
  const pow = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= rough) ?? 10 * pow;
  if (whole) step = Math.max(1, Math.ceil(step));
  return { top: Math.ceil(max / step) * step, step };
}

// A label cut to `n` characters (the whole of it stays in the mark's title).
function clip(label: string, n: number): string {
  return label.length <= n ? label : `${label.slice(0, n - 1)}…`;
}

function svgOpen(chart: string, height: number, label: string): string {
  return `<svg data-chart="${esc(chart)}" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${esc(label)}">`;
}

// Horizontal bars, one row each (guards, layers, sources): the label left, the value after the
// bar. Bars of value 0 keep their row and draw no mark. `format` writes a value (default: as is).
export function barChart(opts: { chart: string; label: string; bars: Bar[]; max?: number; format?: (n: number) => string }): string {
  const { bars } = opts;
  const format = opts.format ?? String;
  const row = 24;
  const labelW = 190;
  const valueW = 70;
  const height = bars.length * row + 8;
  const max = opts.max ?? Math.max(0, ...bars.map((b) => b.value));
  const plot = WIDTH - labelW - valueW;
  const parts = [svgOpen(opts.chart, height, opts.label)];
  bars.forEach((b, i) => {
    const y = 4 + i * row;
    const w = max > 0 ? (b.value / max) * plot : 0;
    parts.push(`<text class="label" x="${labelW - 8}" y="${y + row / 2 + FONT / 3}" text-anchor="end">${esc(clip(b.label, 28))}</text>`);
    if (b.value > 0) parts.push(`<rect class="mark bar" data-value="${esc(b.value)}" x="${labelW}" y="${y + 3}" width="${round(Math.max(w, 2))}" height="${row - 6}" rx="2"><title>${esc(b.title)}</title></rect>`);
    parts.push(`<text class="value" x="${round(labelW + Math.max(w, 0) + 6)}" y="${y + row / 2 + FONT / 3}">${esc(b.text ?? format(b.value))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

// The frame of a chart with a vertical value axis: gridlines and their labels, and the x labels
// (at most about `most` of them, evenly picked, so the weeks of a year stay readable).
function frame(labels: string[], top: number, step: number, format: (n: number) => string, geo: Geometry, most: number): string[] {
  const parts: string[] = [];
  for (let v = 0; v <= top + step / 2; v += step) {
    const y = round(geo.y(v));
    parts.push(`<line class="grid" x1="${geo.left}" x2="${WIDTH - geo.right}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="axis" x="${geo.left - 6}" y="${y + FONT / 3}" text-anchor="end">${esc(format(v))}</text>`);
  }
  const every = Math.max(1, Math.ceil(labels.length / most));
  const shown = labels.map((_, i) => i).filter((i) => i % every === 0);
  const last = labels.length - 1;
  // The last label too, unless it would crowd the one before it.
  if (last > 0 && shown[shown.length - 1] !== last && last - shown[shown.length - 1] >= every * 0.6) shown.push(last);
  for (const i of shown) parts.push(`<text class="axis" x="${round(geo.x(i))}" y="${geo.height - 8}" text-anchor="middle">${esc(labels[i])}</text>`);
  return parts;
}

interface Geometry {
  left: number;
  right: number;
  height: number;
  x(i: number): number;
  y(v: number): number;
  slot: number;
}

function geometry(n: number, top: number, height = 220): Geometry {
  const left = 48;
  const right = 16;
  const topPad = 14;
  const bottom = 28;
  const slot = (WIDTH - left - right) / Math.max(n, 1);
  return {
    left,
    right,
    height,
    slot,
    x: (i) => left + slot * (i + 0.5),
    y: (v) => topPad + (height - topPad - bottom) * (1 - v / top),
  };
}

// Columns over an even x axis (retries per chain, new constraints per week): a mark per column
// whose value is above 0.
// `labels`: how many x labels fit (week names are long; retry counts short).
export function columnChart(opts: { chart: string; label: string; columns: Bar[]; format?: (n: number) => string; labels?: number }): string {
  const { columns } = opts;
  const format = opts.format ?? String;
  const { top, step } = niceScale(Math.max(0, ...columns.map((c) => c.value)));
  const geo = geometry(columns.length, top);
  const parts = [svgOpen(opts.chart, geo.height, opts.label), ...frame(columns.map((c) => c.label), top, step, format, geo, opts.labels ?? 20)];
  const w = Math.min(48, geo.slot * 0.7);
  columns.forEach((c, i) => {
    if (!(c.value > 0)) return;
    const y = geo.y(c.value);
    parts.push(`<rect class="mark column" data-value="${esc(c.value)}" x="${round(geo.x(i) - w / 2)}" y="${round(y)}" width="${round(w)}" height="${round(geo.y(0) - y)}" rx="2"><title>${esc(c.title)}</title></rect>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

// A line over an even x axis with values in [0, 1] drawn as percentages (acceptance per week): a
// point (the mark) per value, the line broken where a week has none.
export function rateLineChart(opts: { chart: string; label: string; points: Point[]; format: (n: number) => string }): string {
  const { points } = opts;
  const geo = geometry(points.length, 1);
  const parts = [svgOpen(opts.chart, geo.height, opts.label), ...frame(points.map((p) => p.label), 1, 0.25, opts.format, geo, 6)];
  let run: string[] = [];
  const segments: string[][] = [];
  points.forEach((p, i) => {
    if (p.value === null) {
      if (run.length) segments.push(run);
      run = [];
      return;
    }
    run.push(`${round(geo.x(i))},${round(geo.y(p.value))}`);
  });
  if (run.length) segments.push(run);
  for (const s of segments) if (s.length > 1) parts.push(`<polyline class="line" points="${s.join(' ')}"/>`);
  points.forEach((p, i) => {
    if (p.value === null) return;
    parts.push(`<circle class="mark point" data-value="${esc(p.value)}" cx="${round(geo.x(i))}" cy="${round(geo.y(p.value))}" r="4"><title>${esc(p.title)}</title></circle>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
