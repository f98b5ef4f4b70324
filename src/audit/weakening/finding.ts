import type { CandidateDiff } from './read-diff.js';

// One thing a check found in the candidate's diff: where (the candidate's file and line; the base's
// for a deleted file) and the sentence saying what and why.
export interface Finding {
  path: string;
  line: number;
  message: string;
}

// A built-in check of `guardloop check <name>`: reads the candidate's diff, returns what it found.
export interface WeakeningCheck {
  name: string;
  run(diff: CandidateDiff): Finding[] | Promise<Finding[]>;
}
