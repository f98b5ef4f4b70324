// The constraint log as text: an aligned terminal table (each column as wide as its widest cell,
// the invariant cut to fit a terminal's width, the verdict coloured on a terminal only) with the
// rows that need something done listed under it, and the Markdown table in the seed's form.
import type { Constraint, Constraints } from './insight-schemas.js';
import { COLUMNS, FIRST_SEEN_NOTE, TO_DO_HEADING, constraintCell, dateCell, toDoLine } from '../messages/constraints.js';

// ANSI colours of the verdicts (shown on a terminal only).
const COLOUR: Record<Constraint['verdict'], string> = { flaky: '35', new: '36', recurring: '31', idle: '33', effective: '32' };
const NUMERIC = new Set([4, 5]);
const INVARIANT = 3;
const MIN_INVARIANT = 16;
const GAP = '  ';

function cells(c: Constraint): string[] {
  return [dateCell(c), constraintCell(c), c.layer, c.invariant.replace(/\s+/g, ' '), String(c.caught), String(c.recurrenceAfter), c.lastCaught ? c.lastCaught.slice(0, 10) : '—', c.verdict];
}

const len = (s: string) => [...s].length;
const cut = (s: string, n: number) => (len(s) <= n ? s : `${[...s].slice(0, Math.max(1, n - 1)).join('')}…`);

// The terminal table; `width` (a terminal's columns) cuts the invariant column to fit, `colour` colours verdicts.
export function constraintsTable(result: Constraints, opts: { width?: number; colour?: boolean } = {}): string {
  const body = result.constraints.map(cells);
  const widths = COLUMNS.map((h, i) => Math.max(len(h), ...body.map((r) => len(r[i]))));
  if (opts.width) {
    const total = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
    if (total > opts.width) widths[INVARIANT] = Math.max(MIN_INVARIANT, len(COLUMNS[INVARIANT]), widths[INVARIANT] - (total - opts.width));
  }
  const line = (r: readonly string[], rowOf?: Constraint) =>
    r
      .map((cell, i) => {
        const text = i === INVARIANT ? cut(cell, widths[i]) : cell;
        const pad = ' '.repeat(Math.max(0, widths[i] - len(text)));
        if (i === r.length - 1) return rowOf && opts.colour ? `\x1b[${COLOUR[rowOf.verdict]}m${text}\x1b[0m` : text;
        return NUMERIC.has(i) ? pad + text : text + pad;
      })
      .join(GAP);
  const out = [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...result.constraints.map((c, i) => line(body[i], c))];
  if (result.constraints.some((c) => c.dateSource === 'first-seen')) out.push('', FIRST_SEEN_NOTE);
  const todo = result.constraints.filter((c) => c.active && (c.verdict === 'flaky' || c.verdict === 'recurring' || c.verdict === 'idle'));
  if (todo.length) out.push('', TO_DO_HEADING, ...todo.map(toDoLine));
  return out.join('\n');
}

const md = (s: string) => s.replace(/\s+/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|');

// The Markdown table (the seed's constraint log, with the verdict columns), ready to paste.
export function constraintsMarkdown(result: Constraints): string {
  const rows = result.constraints.map((c) => `| ${cells(c).map(md).join(' | ')} |`);
  return [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map((_, i) => (NUMERIC.has(i) ? ' ---: ' : ' --- ')).join('|')}|`, ...rows].join('\n');
}
