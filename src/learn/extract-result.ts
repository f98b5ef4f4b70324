// What extract() answers, apart from extract.ts so the wording of its summary line
// (src/messages/extract.ts) can name the shape without importing the export itself.
import type { StoreWarning } from '../store/types.js';

// What an export left out, by why (each a count of chains, SKIPPED records aside).
export interface ExtractExclusions {
  // SKIPPED records: commits no guard judged, never exported in any format.
  skipped: number;
  // Chains let through after too many rejections (no accepted step): exported only by --policy all.
  escalated: number;
  // Chains whose last attempt was rejected (open, or given up): exported only by --policy all.
  rejected: number;
  // Accepted changes to protected paths a person approved, and the approvals: never a positive.
  approved: number;
  // Chains the policy and --where did not select.
  unmatched: number;
  // Chains whose final record was in ℛ when the checkpoint was written.
  exported: number;
}

// What extract() did: the counts the summary line gives, where the output went, and the lines
// themselves when no output was given.
export interface ExtractResult {
  examples: number;
  // Chains that gave at least one line.
  chains: number;
  // Records read from ℛ (each id once).
  records: number;
  excluded: ExtractExclusions;
  // What the format made no line of, by reason (e.g. a DPO pair whose rejected attempt has no record).
  formatSkipped: Record<string, number>;
  format: string;
  policy: string;
  where: string | null;
  ref: string;
  // The notes commit the export read (null: the ref does not exist).
  tip: string | null;
  // The output file written (null: a stream, or the lines below).
  output: string | null;
  // The checkpoint file moved on (null: none asked for).
  checkpoint: string | null;
  // The notes commit the checkpoint now names: the tip read, or, when the ref is missing now, the one
  // it named before (null: none, or ℛ had no ref either time).
  checkpointTip: string | null;
  // The exported lines, when extract() was given no output.
  lines: unknown[] | null;
  // Notes that could not be read as records (skipped, as `guardloop log` skips them).
  warnings: StoreWarning[];
  // The repository's config could not be loaded, so its `redact:` patterns were not applied (a
  // sentence for stderr; null: applied, or there is no config).
  configWarning: string | null;
}
