import { describe, expect, it } from 'vitest';
import { newestFirst, selectLog } from '../../src/store/log-filter.js';
import type { RecordV1 } from '../../src/store/record.js';
import type { LogFilter } from '../../src/store/types.js';

// `log` orders records newest first (ts descending as strings, then id ascending) and keeps the
// first record read of each id. The sort compares ts to the second as numbers when every ts begins
// like an ISO date-time; these tests hold it to the plain string comparison on every kind of ts.

// The order and the selection as `log` defined them before (the reference).
const newer = (a: RecordV1, b: RecordV1) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : a.id < b.id ? -1 : 1);
function reference(records: RecordV1[], filter: LogFilter = {}): RecordV1[] {
  const since = filter.since?.getTime();
  const seen = new Set<string>();
  const matches = records.filter((r) => {
    if (seen.has(r.id)) return false;
    seen.add(r.id);
    if (filter.status && r.status !== filter.status) return false;
    if (filter.source && r.source !== filter.source) return false;
    if (filter.hook && r.hook !== filter.hook) return false;
    if (since !== undefined && !(Date.parse(r.ts) >= since)) return false;
    return true;
  });
  matches.sort(newer);
  return filter.limit !== undefined ? matches.slice(0, filter.limit) : matches;
}

let seed = 0x1234567;
const rand = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const pad = (n: number, w: number) => String(n).padStart(w, '0');

// A canonical ts in a narrow span (many in the same second, some equal), sometimes without
// milliseconds or with a zone, which still begin alike.
function isoTs(): string {
  const base = `${pick(['2025', '2026', '0999'])}-${pad(1 + Math.floor(rand() * 2), 2)}-${pad(1 + Math.floor(rand() * 2), 2)}T${pad(Math.floor(rand() * 2), 2)}:${pad(Math.floor(rand() * 3), 2)}:${pad(Math.floor(rand() * 3), 2)}`;
  return base + pick(['.000Z', `.${pad(Math.floor(rand() * 1000), 3)}Z`, 'Z', '', '+02:00', `.${pad(Math.floor(rand() * 10), 1)}`]);
}
// Strings that don't begin like that.
const ODD = ['', 'x', '2026', '2026-1-01T00:00:00Z', '2026-01-01 00:00:00Z', '+002026-01-01T00:00:00Z', '2026-01-01T00:00:0', '2026-01-01T0a:00:00Z', 'zzzz-zz-zzTzz:zz:zz', '2026-01-01T00:00:00\u0000', '\uffff'];

function records(n: number, ts: () => string): RecordV1[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${pick(['a', 'b', 'c', 'ab', ''])}${Math.floor(rand() * n)}`,
    ts: ts(),
    status: pick(['ACCEPTED', 'REJECTED', 'SKIPPED']),
    source: pick(['HUMAN', 'GENERATOR']),
    hook: pick(['pre-commit', 'stop']),
    n: i,
  }) as unknown as RecordV1);
}

describe('the order of log', () => {
  it('sorts as the string comparison does when every ts is an ISO date-time (same seconds, equal ts, with and without milliseconds)', () => {
    for (let run = 0; run < 50; run++) {
      const list = records(200 + Math.floor(rand() * 300), isoTs);
      const unique = [...new Map(list.map((r) => [r.id, r])).values()];
      expect(newestFirst([...unique])).toEqual([...unique].sort(newer));
      expect(selectLog(list)).toEqual(reference(list));
    }
  });

  it('sorts as the string comparison does when some ts are anything else', () => {
    for (let run = 0; run < 50; run++) {
      const list = records(200, () => (rand() < 0.1 ? pick(ODD) : isoTs()));
      const unique = [...new Map(list.map((r) => [r.id, r])).values()];
      expect(newestFirst([...unique])).toEqual([...unique].sort(newer));
      expect(selectLog(list)).toEqual(reference(list));
    }
  });

  it('selects as before: the first record of each id, the filters, the limit', () => {
    const list = records(2_000, isoTs);
    const since = new Date(Date.parse('2026-01-01T00:01:00Z'));
    const filters: LogFilter[] = [{}, { status: 'REJECTED' }, { source: 'GENERATOR', hook: 'stop' }, { since }, { limit: 7 }, { status: 'ACCEPTED', since, limit: 50 }];
    for (const f of filters) expect(selectLog(list, f), JSON.stringify(f)).toEqual(reference(list, f));
    // The first one read of an id stands (records of one id that differ, as a forged copy would).
    const first = { ...list[0], n: -1 } as unknown as RecordV1;
    expect(selectLog([first, ...list]).find((r) => r.id === first.id)).toBe(first);
  });
});
