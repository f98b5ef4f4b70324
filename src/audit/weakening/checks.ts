import { deletedTestsCheck } from './deleted-tests.js';
import type { Finding, WeakeningCheck } from './finding.js';
import { focusedOrSkippedCheck } from './focused-or-skipped.js';
import { loweredCoverageCheck } from './lowered-coverage.js';
import { mergeBases } from './merge-bases.js';
import { readCandidateDiff, resolveSides, type CandidateDiff, type DiffSource } from './read-diff.js';
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

async function runOn(names: readonly string[], diff: CandidateDiff): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const name of names) findings.push(...(await WEAKENING_CHECKS.find((c) => c.name === name)!.run(diff)));
  return findings;
}

// A finding as compared across a merge's parents: its path and sentence, the base's name taken out of it.
const findingKey = (f: Finding, base: string): string => `${f.path}\0${f.message.split(base.slice(0, 12)).join('')}`;

// Runs the named checks (known names only; the caller validates) on the candidate's diff, read once,
// and returns their findings in the order of the names. Without a base (a first commit, a project
// adopting guardloop) there is nothing to weaken: no finding. A merge counts a finding only when it is
// found against every parent (what one parent's branch did and passed on its own is no new weakening).
export async function runWeakeningChecks(names: readonly string[], source: DiffSource): Promise<Finding[]> {
  const sides = await resolveSides(source);
  if (sides.base === null) return [];
  const bases = await mergeBases(sides, sides.base, source.env);
  let findings = await runOn(names, await readCandidateDiff(sides, bases[0]));
  for (const other of bases.slice(1)) {
    if (!findings.length) break;
    const keys = new Set((await runOn(names, await readCandidateDiff(sides, other))).map((f) => findingKey(f, other)));
    findings = findings.filter((f) => keys.has(findingKey(f, bases[0])));
  }
  return findings;
}
