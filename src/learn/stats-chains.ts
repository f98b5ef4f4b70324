// What stats and health count as chains, and which chains are refinements, in one place so the two
// commands (and the report drawing both) agree with each other and with `guardloop extract`.
import type { History, HistoryChain, HistoryRecord } from './history.js';

// An approval (`guardloop approve`) is a person's record of protected paths, not a run of the guards:
// approve.ts writes it with this guard-set hash and no guards.
export function isApproval(r: HistoryRecord): boolean {
  return r.guardSetHash === 'approval';
}

// The chains of guard runs: History's chains without the approvals' one-record chains.
export function judgedChains(history: History): HistoryChain[] {
  return history.chains.filter((c) => !c.records.every(isApproval));
}

// The refinement predicate as extraction's default policy applies it (chain-index.ts): the chain
// ended ACCEPTED and its final record's provenance names an attempt that was not accepted (or that
// ℛ no longer holds).
export function refinementTest(history: History): (c: HistoryChain) => boolean {
  const status = new Map(history.records.map((r) => [r.id, r.status]));
  return (c) => c.outcome === 'ACCEPTED' && !c.final.approved && c.final.provenance.some((id) => status.get(id) !== 'ACCEPTED');
}
