// wording-ok-file: HTML markup; every sentence comes from src/messages/report.ts.
// The report's tables and lists: the constraint log with its verdicts coloured, the flaky guards,
// the agents, loop health's warning signs, and the latest escalated chains with their feedback
// (untrusted text: escaped, shown in <pre>, never markup).
import type { Constraints, Health, Stats } from './insight-schemas.js';
import type { EscalatedChain } from './report-escalated.js';
import { esc } from './report-escape.js';
import * as m from '../messages/report.js';

// A time as the report writes it: "2026-11-30 14:05 UTC" ("—" when unknown).
export function when(ms: number | string | null): string {
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  return t === null || !Number.isFinite(t) ? '—' : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// A date as the report writes it: "2026-11-30" ("—" when unknown).
export function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '—';
}

const th = (label: string, num = false) => `<th${num ? ' class="num"' : ''}>${esc(label)}</th>`;
const NUMERIC = new Set<string>(['Caught', 'Recurrence after', 'Chains', 'Accepted', 'Escalated', 'Rejections']);

// The constraint log: a row per guard (data-guard), its verdict a coloured badge (class
// verdict-<name>) with the reason under it; removed guards keep their row, greyed.
export function constraintTable(c: Constraints): string {
  if (!c.constraints.length) return `<p class="empty">${esc(m.NO_CONSTRAINTS)}</p>`;
  const legend = `<ul class="legend">${Object.entries(m.VERDICT_MEANINGS)
    .map(([v, text]) => `<li><span class="verdict verdict-${esc(v)}">${esc(v)}</span> ${esc(text.slice(text.indexOf(':') + 1).trim())}</li>`)
    .join('')}</ul>`;
  const rows = c.constraints.map((r) => {
    const date = r.dateSource === 'first-seen' && r.date ? m.firstSeen(day(r.date)) : day(r.date);
    const notes = [r.renamedFrom.length ? m.renamedFrom(r.renamedFrom) : '', r.active ? '' : m.removedOn(r.removed ? day(r.removed) : null)].filter(Boolean);
    return [
      `<tr data-guard="${esc(r.id)}"${r.active ? '' : ' class="removed"'}>`,
      `<td class="when">${esc(date)}</td>`,
      `<td><code>${esc(r.id)}</code>${notes.map((n) => `<span class="why">${esc(n)}</span>`).join('')}</td>`,
      `<td>${esc(r.layer)}</td>`,
      `<td>${esc(r.invariant)}</td>`,
      `<td class="num">${r.caught}</td>`,
      `<td class="num">${r.recurrenceAfter}</td>`,
      `<td class="when">${esc(day(r.lastCaught))}</td>`,
      `<td><span class="verdict verdict-${esc(r.verdict)}" data-verdict="${esc(r.verdict)}">${esc(r.verdict)}</span><span class="why">${esc(r.why)}</span></td>`,
      '</tr>',
    ].join('');
  });
  const head = `<tr>${m.CONSTRAINT_COLUMNS.map((col) => th(col, NUMERIC.has(col))).join('')}</tr>`;
  return `${legend}<table class="constraints"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

// The guards whose verdict on one tree changed, with how many trees.
export function flakyList(c: Constraints): string {
  const flaky = c.constraints.filter((r) => r.verdict === 'flaky' || r.flakyTrees > 0);
  if (!flaky.length) return `<p class="empty">${esc(m.NO_FLAKY)}</p>`;
  return `<ul class="flaky">${flaky.map((r) => `<li data-guard="${esc(r.id)}"><code>${esc(r.id)}</code> ${esc(m.flakyLine(r.flakyTrees))}</li>`).join('')}</ul>`;
}

// Chains and acceptance per agent (a person's chains under NO_AGENT).
export function agentTable(s: Stats): string {
  if (!s.byAgent.length) return '';
  const head = `<tr>${m.AGENT_COLUMNS.map((col, i) => th(col, i > 0)).join('')}</tr>`;
  const rows = s.byAgent.map(
    (g) =>
      `<tr data-agent="${esc(g.name)}"><td>${esc(g.name || m.NO_AGENT)}</td><td class="num">${g.chains}</td><td class="num">${g.accepted}</td><td class="num">${g.escalated}</td><td class="num">${esc(m.percent(g.firstAttemptRate))}</td><td class="num">${g.rejections}</td></tr>`,
  );
  return `<table class="agents"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

// Loop health's state: healthy, or each warning sign with the figure that triggered it.
export function healthSigns(h: Health): string {
  if (!h.signs.length) return `<p class="ok" data-healthy="true">${esc(m.HEALTHY)}</p>`;
  return `<p class="sign" data-healthy="false">${esc(m.warningSigns(h.signs.length))}</p><ul class="signs">${h.signs
    .map((s) => `<li data-sign="${esc(s.sign)}">${esc(s.message)}</li>`)
    .join('')}</ul>`;
}

// The latest escalated chains, each a <details> with its attempts and their guards' feedback.
export function escalatedList(list: { total: number; chains: EscalatedChain[] }): string {
  if (!list.chains.length) return `<p class="empty">${esc(m.NO_ESCALATED)}</p>`;
  const chains = list.chains.map((c, i) => {
    const who = c.agent ? `${m.sourceName(c.source)} ${c.agent}` : m.sourceName(c.source);
    const attempts = c.attempts.map((a, n) => {
      const failures = a.failures
        .map((f) => `<div><code>${esc(f.guard)}</code> ${esc(f.status)}</div><pre class="feedback">${esc(f.feedback || m.NO_FEEDBACK)}</pre>`)
        .join('');
      return `<li data-record="${esc(a.id)}">${esc(m.attemptLine(n + 1, a.status, when(a.ts)))}${failures}</li>`;
    });
    const task = c.task ? `<p><strong>${esc(m.TASK_LABEL)}:</strong> ${esc(c.task)}</p>` : '';
    const summary = m.escalatedSummary({ end: when(c.end), who, attempts: c.attempts.length, guards: c.caughtBy });
    return `<details class="chain" data-chain="${esc(c.id)}"${i === 0 ? ' open' : ''}><summary>${esc(summary)}</summary>${task}<ol class="attempts">${attempts.join('')}</ol></details>`;
  });
  return `<p class="caption">${esc(m.escalatedCaption(list.chains.length, list.total))}</p>${chains.join('')}`;
}
