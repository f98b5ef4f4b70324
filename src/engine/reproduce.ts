import type { RecordV1 } from '../store/record.js';

// How a verify's verdict compares with what ℛ already said about the same tree.
export interface Reproduction {
  // new: no earlier verdict; verified: agrees with the latest one (or passes where it was rejected);
  // not-reproducible: an earlier ACCEPTED that fails now (a nondeterministic guard, or a record that
  // doesn't match the content, e.g. one written by hand with `git notes`).
  outcome: 'verified' | 'not-reproducible' | 'new';
  // The ids of the earlier ACCEPTED and REJECTED records of the tree, oldest first.
  against: string[];
  // The latest earlier verdict (null: none), and the id of the latest earlier ACCEPTED record (null: none).
  previous: 'ACCEPTED' | 'REJECTED' | null;
  accepted: string | null;
  // The ids of every earlier ACCEPTED record of the tree, oldest first (the ones a not-reproducible
  // verdict contradicts; `against` may end with an earlier REJECTED re-run).
  acceptedAll: string[];
}

// Compares a fresh verdict on a tree with the earlier records of that tree (oldest first); SKIPPED
// records say nothing about the content and are left out, and so is an agent's ACCEPTED judged against
// its turn's base (a guard not run, or a failure the base had: that acceptance is relative to the base).
export function compareWithRecords(earlier: RecordV1[], status: 'ACCEPTED' | 'REJECTED'): Reproduction {
  const verdicts = earlier.filter((r) => (r.status === 'ACCEPTED' || r.status === 'REJECTED') && !(r.status === 'ACCEPTED' && (r.verdicts ?? []).some((v) => v.baseline !== undefined)));
  const against = verdicts.map((r) => r.id);
  const latest = verdicts[verdicts.length - 1];
  const acceptedAll = verdicts.filter((r) => r.status === 'ACCEPTED').map((r) => r.id);
  const accepted = acceptedAll[acceptedAll.length - 1] ?? null;
  if (!latest) return { outcome: 'new', against, previous: null, accepted, acceptedAll };
  const previous = latest.status === 'ACCEPTED' ? 'ACCEPTED' : 'REJECTED';
  if (status === 'REJECTED' && accepted) return { outcome: 'not-reproducible', against, previous, accepted, acceptedAll };
  return { outcome: 'verified', against, previous, accepted, acceptedAll };
}
