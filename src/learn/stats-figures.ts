// The figures `stats` is made of, each from a list of chains (so the totals, each group and each
// week are computed the same way): retries per accepted chain, acceptance of a group, rejections
// per guard and per layer.
import type { HistoryChain, HistoryRecord } from './history.js';
import { rejects } from './history.js';
import type { Stats } from './insight-schemas.js';

const round2 = (n: number) => Math.round(n * 100) / 100;

// A share rounded to 4 decimals (null when there is nothing to divide by).
export function share(part: number, of: number): number | null {
  return of === 0 ? null : Math.round((part / of) * 10_000) / 10_000;
}

// Mean, median, 90th percentile (nearest rank), maximum and the count of chains at each number of
// retries from 0 to the maximum (zeros included, so a histogram's bars are even), over accepted chains.
export function retriesOf(chains: readonly HistoryChain[]): Stats['retries'] {
  const values = chains.filter((c) => c.outcome === 'ACCEPTED').map((c) => c.retries).sort((a, b) => a - b);
  if (!values.length) return { mean: null, median: null, p90: null, max: null, distribution: [] };
  const n = values.length;
  const max = values[n - 1];
  const distribution = Array.from({ length: max + 1 }, (_, retries) => ({ retries, chains: 0 }));
  for (const v of values) distribution[v].chains += 1;
  return {
    mean: round2(values.reduce((s, v) => s + v, 0) / n),
    median: n % 2 ? values[(n - 1) / 2] : round2((values[n / 2 - 1] + values[n / 2]) / 2),
    p90: values[Math.ceil(0.9 * n) - 1],
    max,
    distribution,
  };
}

// The mean retries of the accepted chains (null: none accepted), as retriesOf() rounds it.
export function meanRetries(chains: readonly HistoryChain[]): number | null {
  let sum = 0;
  let n = 0;
  for (const c of chains) {
    if (c.outcome !== 'ACCEPTED') continue;
    sum += c.retries;
    n += 1;
  }
  return n ? round2(sum / n) : null;
}

// The attempts of chains that were rejected.
export function rejectedAttempts(chains: readonly HistoryChain[]): HistoryRecord[] {
  return chains.flatMap((c) => c.records.filter((r) => r.status === 'REJECTED'));
}

// Chains, outcomes and first-attempt acceptance of one group of chains, named `name`.
export function groupOf(name: string, chains: readonly HistoryChain[]): Stats['bySource'][number] {
  const accepted = chains.filter((c) => c.outcome === 'ACCEPTED').length;
  const escalated = chains.filter((c) => c.outcome === 'ESCALATED').length;
  const firstAttempt = chains.filter(isFirstAttempt).length;
  return { name, chains: chains.length, accepted, escalated, firstAttempt, firstAttemptRate: share(firstAttempt, accepted + escalated), rejections: rejectedAttempts(chains).length };
}

// An accepted chain whose first attempt was the accepted one.
export function isFirstAttempt(c: HistoryChain): boolean {
  return c.outcome === 'ACCEPTED' && c.retries === 0;
}

// Chains grouped by a key (null keys left out), most chains first, then by name.
export function groupsBy(chains: readonly HistoryChain[], key: (c: HistoryChain) => string | null, order?: readonly string[]): Stats['bySource'] {
  const groups = new Map<string, HistoryChain[]>();
  for (const c of chains) {
    const k = key(c);
    if (k === null) continue;
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  const out = [...groups].map(([name, list]) => groupOf(name, list));
  const rank = (name: string) => (order ? order.indexOf(name) : -1);
  return out.sort((a, b) => rank(a.name) - rank(b.name) || b.chains - a.chains || (a.name < b.name ? -1 : 1));
}

// The layer a record's spec gives a guard ("other" when the spec does not name it).
const layerIn = (r: HistoryRecord, guard: string) => r.spec.find((g) => g.id === guard)?.layer ?? 'other';

// Rejections per guard and per layer: attempts a guard (a layer: any of its guards) rejected, and
// chains in which it rejected at least one attempt; most attempts first. A guard's layer is the one
// its latest rejecting record gives it.
export function rejectionsOf(chains: readonly HistoryChain[]): Stats['rejections'] {
  const guards = new Map<string, { layer: string; at: number; attempts: number; chains: Set<string> }>();
  const layers = new Map<string, { attempts: number; chains: Set<string> }>();
  let attempts = 0;
  for (const c of chains) {
    for (const r of c.records) {
      if (r.status === 'REJECTED') attempts += 1;
      const hit = new Set<string>();
      for (const v of r.verdicts) {
        if (!rejects(v)) continue;
        const layer = layerIn(r, v.guard);
        const g = guards.get(v.guard) ?? { layer, at: -Infinity, attempts: 0, chains: new Set<string>() };
        // Chains are visited by when they started, not by when each rejection was written: the
        // layer is the latest rejecting record's, whichever chain holds it.
        if (!(r.ts < g.at)) {
          g.layer = layer;
          g.at = r.ts;
        }
        g.attempts += 1;
        g.chains.add(c.id);
        guards.set(v.guard, g);
        hit.add(layer);
      }
      for (const layer of hit) {
        const l = layers.get(layer) ?? { attempts: 0, chains: new Set<string>() };
        l.attempts += 1;
        l.chains.add(c.id);
        layers.set(layer, l);
      }
    }
  }
  const most = <T extends { attempts: number; chains: number }>(a: T & { key: string }, b: T & { key: string }) => b.attempts - a.attempts || b.chains - a.chains || (a.key < b.key ? -1 : 1);
  return {
    attempts,
    byGuard: [...guards]
      .map(([guard, g]) => ({ key: guard, guard, layer: g.layer, attempts: g.attempts, chains: g.chains.size }))
      .sort(most)
      .map(({ key: _key, ...row }) => row),
    byLayer: [...layers]
      .map(([layer, l]) => ({ key: layer, layer, attempts: l.attempts, chains: l.chains.size }))
      .sort(most)
      .map(({ key: _key, ...row }) => row),
  };
}
