// The report's list of the latest escalated chains: what stats() counts but does not keep (each
// attempt's failing verdicts and their feedback), picked from the History the report read once.
import { rejects, type History, type HistoryChain } from './history.js';

// One failing verdict of an attempt: the guard, how it failed, what it printed (capped by readHistory).
export interface EscalatedFailure {
  guard: string;
  status: string;
  feedback: string;
}

// One escalated chain as the report shows it, its attempts oldest first.
export interface EscalatedChain {
  id: string;
  source: HistoryChain['source'];
  agent: string | null;
  task: string | null;
  start: number;
  end: number;
  caughtBy: string[];
  attempts: Array<{ id: string; status: string; ts: number; failures: EscalatedFailure[] }>;
}

// How many escalated chains the report shows.
export const ESCALATED_SHOWN = 10;

// The escalated chains that started at or after `since` (ms; null: all), the newest `limit` of them
// (by their final attempt) newest first, and how many there were in all.
export function latestEscalated(history: History, since: number | null, limit = ESCALATED_SHOWN): { total: number; chains: EscalatedChain[] } {
  const escalated = history.chains.filter((c) => c.outcome === 'ESCALATED' && (since === null || c.start >= since));
  const newest = [...escalated].sort((a, b) => b.end - a.end || (a.id < b.id ? 1 : -1)).slice(0, limit);
  return {
    total: escalated.length,
    chains: newest.map((c) => ({
      id: c.id,
      source: c.source,
      agent: c.agent,
      task: c.records.find((r) => r.task)?.task ?? null,
      start: c.start,
      end: c.end,
      caughtBy: c.caughtBy,
      attempts: c.records.map((r) => ({
        id: r.id,
        status: r.status,
        ts: r.ts,
        failures: r.verdicts.filter((v) => rejects(v)).map((v) => ({ guard: v.guard, status: v.status, feedback: v.feedback })),
      })),
    })),
  };
}
