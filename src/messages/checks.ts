// Wording of `guardloop check <name>`: the built-in checks on the candidate's diff that the ready-made
// guards in guards/no-test-weakening.yaml run. Each finding is "what — why", ending with the fix.

// A focused or skipped test added to a test file (`it.only(`, `xit(`, `@pytest.mark.skip`, `t.Skip(` …).
export function focusedOrSkipped(marker: string): string {
  return `adds "${marker}" — a focused or skipped test stops tests from running, so they pass without checking anything; remove "${marker}" and make the test pass by fixing the code it tests.`;
}

// A path as one shell word: bare when it is plain, else in single quotes.
const shellWord = (path: string): string => (/^[\w./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`);

// A focused or skipped test added by renaming a test so the runner no longer collects it (`def test_x` → `def _test_x`).
export function testRenamedUncollected(from: string, to: string): string {
  return `renames the test "${from}" to "${to}" — the test runner collects only names like "${from}", so the test stops running; rename it back to "${from}" and make it pass by fixing the code it tests.`;
}

// A test file that had tests is gone from the candidate (deleted, or renamed to a path that is not a test).
export function testFileDeleted(tests: number, base: string, path: string): string {
  return `deletes a test file with ${tests} test${tests === 1 ? '' : 's'} — its tests no longer run; restore it with \`git checkout ${base.slice(0, 12)} -- ${shellWord(path)}\` and fix the code instead.`;
}

// A test file renamed to a name test runners don't collect (`src/math.test.ts` → `test/math.ts`).
export function testFileMovedUncollected(tests: number, to: string, base: string, path: string): string {
  return `moves a test file with ${tests} test${tests === 1 ? '' : 's'} to ${to}, a name the test runner does not pick up — its tests no longer run; restore it with \`git checkout ${base.slice(0, 12)} -- ${shellWord(path)}\` (or give the new file a test name such as *.test.*, *_test.*, test_*.py) and fix the code instead.`;
}

// A test file that is still there but has no test left in it.
export function testFileEmptied(removed: number): string {
  return `leaves the test file with no tests (${removed} removed) — an empty test file passes whatever the code does; put the tests back and fix the code they test.`;
}

// Fewer assertion calls in the test files than before: one per file that lost some (`fewer`: how many
// fewer all test files together have, given when more than this file changed its count).
export function assertionsRemoved(removed: number, added: number, fewer?: number): string {
  const overall = fewer === undefined ? '' : `; ${fewer} fewer in the diff's test files together`;
  return `removes ${removed} assertion${removed === 1 ? '' : 's'} from an existing test (${added} added back${overall}) — a test without its assertions passes whatever the code does; put the assertions back and fix the code they check.`;
}

// A coverage threshold set lower than in the base, or taken out.
export function coverageLowered(key: string, from: string, to: string | null): string {
  const what = to === null ? `removes the coverage threshold "${key}" (was ${from})` : `lowers the coverage threshold "${key}" from ${from} to ${to}`;
  return `${what} — less of the code must be tested for the suite to pass; keep it at ${from} and add tests for the code that is not covered.`;
}

// A comment that switches a checker off (type checker, linter, coverage) added to source.
export function suppressionAdded(directive: string): string {
  return `adds a "${directive}" comment — it hides what the checker found instead of fixing it; remove the comment and fix the reported problem.`;
}

// A snapshot changed in the same candidate as program source.
export function snapshotWithCode(sources: string[]): string {
  const shown = sources.slice(0, 5).join(', ') + (sources.length > 5 ? ` and ${sources.length - 5} more` : '');
  return `updates a snapshot in the same change as source code (${shown}) — a snapshot rewritten together with the code it pins accepts whatever the code now does; fix the code so the old snapshot still matches, or commit the snapshot update on its own for a human to review.`;
}

// `guardloop check` with no name or an unknown one.
export function checkUsage(known: readonly string[], got?: string): string {
  const what = got === undefined ? 'guardloop check: name a check' : `guardloop check: unknown check "${got}"`;
  return `${what}. Checks: ${known.join(', ')}. Run \`guardloop check <name>\` (e.g. \`guardloop check ${known[0]}\`).`;
}

// One finding as a guard prints it: `path:line: what — why`.
export function findingLine(finding: { path: string; line: number; message: string }): string {
  return `${finding.path}:${finding.line}: ${finding.message}`;
}
