// The reading half's common ground: ℛ read once into compact records and the chains they form, for
// `stats`, `constraints`, `health` and `report` (extraction has its own two-pass index because it
// must read back diffs; these need only verdicts, times and who produced what).
import type { GuardStatus, RecordV1 } from '../store/record.js';
import { openRepository } from '../store/repository.js';
import type { StoreWarning } from '../store/types.js';

// One guard's verdict in a record, without its output (feedback is kept only for failures, capped).
export interface HistoryVerdict {
  guard: string;
  status: GuardStatus;
  ms: number;
  // The last FEEDBACK_CAP characters of a failing verdict's feedback ("" for a pass or a skip): the
  // end of a guard's output is where it says why, as the agents' block reasons show it (tail).
  feedback: string;
  // A failure the turn's base already had (an agent's run): not a rejection of this attempt.
  tolerated?: boolean;
  // The guard's key on the inputs it judged (flaky evidence: one key, two verdicts).
  key?: string;
}

// One record of ℛ as the reading half sees it.
export interface HistoryRecord {
  id: string;
  // Milliseconds since the epoch (NaN when the record's ts does not parse).
  ts: number;
  status: RecordV1['status'];
  source: RecordV1['source'];
  agent: string | null;
  session: string | null;
  hook: RecordV1['hook'];
  tree: string;
  retry: number;
  escalated: boolean;
  provenance: readonly string[];
  // The id of the first attempt of this record's chain (its own id when it has no provenance).
  chain: string;
  verdicts: HistoryVerdict[];
  // Each guard of the record's spec: its layer, invariant and command (joined with spaces when a list).
  spec: Array<{ id: string; layer: string; invariant: string; run: string }>;
  configHash: string;
  guardSetHash: string;
  task: string | null;
  // A SKIPPED record: how the commit's guards were skipped, and the commit.
  skip: RecordV1['skip'] | null;
  // A verify/ci record: the commit it re-judged and the outcome.
  verify: RecordV1['verify'] | null;
  // An approval (`guardloop approve`), or an agent's accepted change to paths a person approved:
  // extraction's "approved" kind, never a positive example (chain-index.ts kind()).
  approved: boolean;
}

// One chain of attempts: its records oldest first, the last one deciding the chain's outcome.
export interface HistoryChain {
  id: string;
  records: HistoryRecord[];
  final: HistoryRecord;
  // ACCEPTED: the final record was accepted; ESCALATED: an agent ran out of attempts; OPEN: the last
  // attempt was rejected and nothing came after it (yet).
  outcome: 'ACCEPTED' | 'ESCALATED' | 'OPEN';
  source: RecordV1['source'];
  agent: string | null;
  // Rejected attempts before the final record (the final record's retry count).
  retries: number;
  // Guards that rejected at least one attempt of the chain (fail, error or timeout).
  caughtBy: string[];
  // ts of the first and the final record.
  start: number;
  end: number;
}

// What the reading half reads: every record, the chains of attempts (SKIPPED, verify and ci records
// are in `records` but form no chain), the notes commit read, and notes that could not be read.
export interface History {
  records: HistoryRecord[];
  chains: HistoryChain[];
  tip: string | null;
  warnings: StoreWarning[];
}

// How much of a failing verdict's feedback is kept (the report shows the latest escalated chains').
export const FEEDBACK_CAP = 2000;

const FAILED: ReadonlySet<GuardStatus> = new Set(['fail', 'error', 'timeout']);

// Whether a verdict counts as the guard rejecting the attempt (a failure the base already had does not).
export function rejects(v: { status: GuardStatus; tolerated?: boolean }): boolean {
  return FAILED.has(v.status) && !v.tolerated;
}

function compact(r: RecordV1): HistoryRecord {
  return {
    id: r.id,
    ts: Date.parse(r.ts),
    status: r.status,
    source: r.source,
    agent: r.agent,
    session: r.session,
    hook: r.hook,
    tree: r.tree,
    retry: r.retry,
    escalated: r.escalated === true,
    provenance: r.provenance,
    chain: r.provenance[0] ?? r.id,
    verdicts: r.verdicts.map((v) => ({ guard: v.guard, status: v.status, ms: v.ms, feedback: FAILED.has(v.status) ? v.feedback.slice(-FEEDBACK_CAP) : '', ...(v.tolerated ? { tolerated: true } : {}), ...(v.key && !v.reused ? { key: v.key } : {}) })),
    spec: r.spec.guards.map((g) => ({ id: g.id, layer: g.layer, invariant: g.invariant, run: Array.isArray(g.run) ? g.run.join(' ') : g.run })),
    configHash: r.spec.configHash,
    guardSetHash: r.spec.guardSetHash,
    task: r.spec.task,
    skip: r.skip ?? null,
    verify: r.verify ?? null,
    approved: r.approval !== undefined,
  };
}

const byTime = (a: HistoryRecord, b: HistoryRecord) => a.ts - b.ts || a.provenance.length - b.provenance.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// Whether a record is an attempt of a chain: a guard run by a hook, an agent or a person, not a
// skip seen after the fact nor a re-judgement of a commit.
export function isAttempt(r: HistoryRecord): boolean {
  return r.status !== 'SKIPPED' && r.hook !== 'verify' && r.hook !== 'ci' && r.hook !== 'post-commit';
}

// The chains the attempts form: grouped by their first attempt, oldest first.
export function chainsOf(records: readonly HistoryRecord[]): HistoryChain[] {
  const groups = new Map<string, HistoryRecord[]>();
  for (const r of records) {
    if (!isAttempt(r)) continue;
    const g = groups.get(r.chain);
    if (g) g.push(r);
    else groups.set(r.chain, [r]);
  }
  const chains: HistoryChain[] = [];
  for (const [id, list] of groups) {
    list.sort(byTime);
    const final = list[list.length - 1];
    const caught = new Set<string>();
    for (const r of list) for (const v of r.verdicts) if (rejects(v)) caught.add(v.guard);
    chains.push({
      id,
      records: list,
      final,
      outcome: final.status === 'ACCEPTED' ? 'ACCEPTED' : final.escalated ? 'ESCALATED' : 'OPEN',
      source: final.source,
      agent: final.agent,
      retries: final.retry,
      caughtBy: [...caught].sort(),
      start: list[0].ts,
      end: final.ts,
    });
  }
  return chains.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
}

// Reads ℛ of the repository at `cwd` (one streaming scan; reads never write) into a History.
export async function readHistory(opts: { cwd: string; ref?: string }): Promise<History> {
  const repo = await openRepository({ cwd: opts.cwd, ref: opts.ref });
  try {
    const tip = repo.notes.tip();
    const records: HistoryRecord[] = [];
    // As extraction decides it: an agent's accepted change is approved when it touched a path some approval names.
    const approvedPaths = new Set<string>();
    const agentPaths = new Map<HistoryRecord, string[]>();
    for await (const batch of repo.scan({ tip })) {
      for (const s of batch) {
        const r = compact(s.record);
        records.push(r);
        const { approval, artifact, source, status } = s.record;
        if (approval) for (const p of approval.paths) approvedPaths.add(p.path);
        else if (source === 'GENERATOR' && status === 'ACCEPTED' && artifact.files.length) agentPaths.set(r, artifact.files);
      }
    }
    for (const [r, files] of agentPaths) if (files.some((p) => approvedPaths.has(p))) r.approved = true;
    records.sort(byTime);
    return { records, chains: chainsOf(records), tip, warnings: repo.warnings() };
  } finally {
    await repo.close();
  }
}
