import type { RecordV1 } from '../store/record.js';

// The shared vocabulary of extraction (src/learn/extract*.ts) and export (src/learn/formats/*):
// one chain of attempts read back from ℛ, and the facts a policy or a `--where` expression judges.

// One earlier attempt of a chain, oldest first: its full record where ℛ still has it, else only the
// entry the later record's `history` kept (ids, failed guards, a capped tail of their feedback).
export interface Attempt {
  id: string;
  record: RecordV1 | null;
  entry: RecordV1['history'][number] | null;
}

// A chain as extraction hands it to a format: the record it ends in (`final`: the ACCEPTED record
// for positive examples) and the attempts its provenance names, in order.
export interface Trace {
  final: RecordV1;
  attempts: Attempt[];
  // The id of the chain's first attempt (final.id when the chain has one attempt).
  chainId: string;
  // The record ids of the chain, oldest first, final last.
  chain: string[];
}

// What Φ (a policy and `--where`) sees of a chain's final record: the record's own fields, and over
// the whole chain the guards that failed somewhere (and their layers).
export interface ChainFacts {
  status: RecordV1['status'];
  source: RecordV1['source'];
  agent: string | null;
  hook: RecordV1['hook'];
  retry: number;
  // Milliseconds since the epoch (record.ts parsed).
  ts: number;
  guards: string[];
  layers: string[];
  // The refinement predicate: ACCEPTED with at least one REJECTED attempt in its provenance.
  refinement: boolean;
}
