import { deletedTestsCheck } from './deleted-tests.js';
import type { Finding, WeakeningCheck } from './finding.js';
import { focusedOrSkippedCheck } from './focused-or-skipped.js';
import { loweredCoverageCheck } from './lowered-coverage.js';
import { readCandidateDiff, type DiffSource } from './read-diff.js';
import { removedAssertionsCheck } from './removed-assertions.js';
import { snapshotWithCodeCheck } from './snapshot-with-code.js';
import { suppressionCommentsCheck } from './suppression-comments.js';

// The built-in checks of `guardloop check <name>`, one per guard of guards/no-test-weakening.yaml (same names).
export const WEAKENING_CHECKS: readonly WeakeningCheck[] = [
  focusedOrSkippedCheck,
  deletedTestsCheck,
  removedAssertionsCheck,
  loweredCoverageCheck,
  suppressionCommentsCheck,
  snapshotWithCodeCheck,
];

// The names `guardloop check` accepts.
export const CHECK_NAMES: readonly string[] = WEAKENING_CHECKS.map((c) => c.name);

// Runs the named checks (known names only; the caller validates) on the candidate's diff, read once,
// and returns their findings in the order of the names.
export async function runWeakeningChecks(names: readonly string[], source: DiffSource): Promise<Finding[]> {
  const diff = await readCandidateDiff(source);
  const findings: Finding[] = [];
  for (const name of names) findings.push(...(await WEAKENING_CHECKS.find((c) => c.name === name)!.run(diff)));
  return findings;
}
