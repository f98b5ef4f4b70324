// The shapes audit answers with (apart from audit.ts, so its wording can name them without a cycle).
import type { SkipHow } from '../store/record-values.js';
import type { MergePolicy } from './settings.js';

// One commit as the range's `git log` lists it.
export interface CommitInfo {
  commit: string;
  short: string;
  tree: string;
  parents: string[];
  author: string;
  subject: string;
}

// Why a commit is unverified, where ℛ tells: a SKIPPED record (and how, and the guards that rejected
// the tree before, if any), only REJECTED records (the guards that failed), or no record at all.
export type UnverifiedCause =
  | { kind: 'skipped'; how: SkipHow | null; rejectedBy: string[] }
  | { kind: 'rejected'; guards: string[] }
  // ℛ holds an ACCEPTED record, but the latest re-run of the guards (verify, ci) failed.
  | { kind: 'not-reproducible'; record: string; guards: string[] }
  // ℛ holds an ACCEPTED record of the tree, judged against a base that doesn't cover this commit's
  // change (an amend or squash of an unchecked commit): `record` and its `base`.
  | { kind: 'other-base'; record: string; base: string | null }
  // ℛ holds only an agent's ACCEPTED that let failures through because its turn's base had them too.
  | { kind: 'tolerated'; record: string; guards: string[] }
  | { kind: 'no-record' };

// A commit's verdict: a record vouches for it, none does, a merge left out by `audit.merges: skip`,
// or a commit from before guardloop was set up (no config in it or its parent).
export type CommitVerdict = 'verified' | 'unverified' | 'merge-skipped' | 'predates';

// One commit with its verdict and, when unverified, the cause.
export interface AuditedCommit extends CommitInfo {
  merge: boolean;
  verdict: CommitVerdict;
  cause: UnverifiedCause | null;
}

// What an audit found: every commit of the range (newest first) with its verdict.
export interface AuditReport {
  range: string;
  merges: MergePolicy;
  commits: AuditedCommit[];
  unverified: AuditedCommit[];
}
