import type { LogFilter } from './types.js';
import { invalidChoice, invalidLimit, invalidSince } from '../messages/store.js';
import { RECORD_HOOKS, SOURCES } from './record-values.js';

const STATUSES = ['ACCEPTED', 'REJECTED', 'SKIPPED'] as const;

// Parses `--since`: a date (2026-01-31, an ISO timestamp) or a duration back from now (7d, 12h, 30m).
export function parseSince(value: string, now = Date.now()): Date | null {
  const m = /^(\d+)\s*([smhdw])$/.exec(value.trim());
  if (m) return new Date(now - Number(m[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[m[2] as 's']);
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

// Turns `guardloop log` options into a filter, or an error message for the user.
export function logFilter(values: Record<string, unknown>): { filter: LogFilter } | { error: string } {
  const filter: LogFilter = {};
  const status = values.status as string | undefined;
  if (status !== undefined) {
    const s = status.toUpperCase();
    if (!(STATUSES as readonly string[]).includes(s)) return { error: invalidChoice('status', status, STATUSES) };
    filter.status = s as LogFilter['status'];
  }
  const source = values.source as string | undefined;
  if (source !== undefined) {
    const s = source.toUpperCase();
    if (!(SOURCES as readonly string[]).includes(s)) return { error: invalidChoice('source', source, SOURCES) };
    filter.source = s as LogFilter['source'];
  }
  const hook = values.hook as string | undefined;
  if (hook !== undefined) {
    if (!(RECORD_HOOKS as readonly string[]).includes(hook)) return { error: invalidChoice('hook', hook, RECORD_HOOKS) };
    filter.hook = hook as LogFilter['hook'];
  }
  const since = values.since as string | undefined;
  if (since !== undefined) {
    const d = parseSince(since);
    if (!d) return { error: invalidSince(since) };
    filter.since = d;
  }
  const limit = values.limit as string | undefined;
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1) return { error: invalidLimit(limit) };
    filter.limit = Number(limit);
  }
  return { filter };
}
