import { testFileDeleted, testFileEmptied, testFileMovedUncollected } from '../../messages/checks.js';
import { isTestFile, isTestNamed } from './file-kinds.js';
import type { Finding, WeakeningCheck } from './finding.js';
import type { DiffFile } from './parse-diff.js';
import { blobAt } from './read-diff.js';
import { countTestCalls, namesTitle, testTitles } from './test-calls.js';

// Would a runner still collect a test moved from `from` to `to`? A test-named file must stay test-named
// (a runner that picks up `*.test.*` in test/ does not pick up test/math.ts); any other one must stay at a test path.
const stillCollected = (from: string, to: string): boolean => isTestFile(to) && (!isTestNamed(from) || isTestNamed(to));

// Did the tests of a file the diff deletes or empties move to other test files of the diff? (A small file
// moved with its imports changed is a deletion and an addition to git.) Every title it declared (the first
// string of it/test/describe, a Python or Go test function's name) must appear in an added line there.
function testsMoved(file: DiffFile, files: readonly DiffFile[]): boolean {
  const titles = testTitles(file.removed.map((l) => l.text).join('\n'));
  if (!titles.length) return false;
  const added = files
    .filter((f) => f !== file && f.newPath && !f.binary && stillCollected(file.oldPath!, f.newPath))
    .flatMap((f) => f.added.map((l) => l.text))
    .join('\n');
  return titles.every((t) => namesTitle(added, t));
}

// no-deleted-tests: a test file that declared tests is deleted (or renamed to a path that is no test
// file, or to a name the runner doesn't collect), or is left declaring none. Files without tests
// (helpers, fixtures) may go, and so may tests that moved to other test files of the diff.
export const deletedTestsCheck: WeakeningCheck = {
  name: 'no-deleted-tests',
  async run(diff) {
    const findings: Finding[] = [];
    for (const file of diff.files) {
      if (!file.oldPath || !isTestFile(file.oldPath) || file.binary) continue;
      const removedCalls = file.removed.filter((l) => countTestCalls(l.text) > 0);
      const removed = removedCalls.reduce((n, l) => n + countTestCalls(l.text), 0);
      if (file.newPath && !stillCollected(file.oldPath, file.newPath)) {
        // Renamed where no runner collects it (its tests stop running): count the tests it had.
        const tests = countTestCalls((await blobAt(diff, diff.base, file.oldPath)) ?? '');
        if (tests === 0) continue;
        const message = isTestFile(file.newPath)
          ? testFileMovedUncollected(tests, file.newPath, diff.base, file.oldPath)
          : testFileDeleted(tests, diff.base, file.oldPath);
        findings.push({ path: file.oldPath, line: 1, message });
        continue;
      }
      if (!removedCalls.length) continue;
      if (!file.newPath) {
        if (!testsMoved(file, diff.files)) findings.push({ path: file.oldPath, line: removedCalls[0].line, message: testFileDeleted(removed, diff.base, file.oldPath) });
        continue;
      }
      // Tests were removed from a file that stays: only the whole candidate file tells whether any is left.
      const added = file.added.reduce((n, l) => n + countTestCalls(l.text), 0);
      if (added > 0) continue;
      const content = await blobAt(diff, diff.tree, file.newPath);
      if (content !== null && countTestCalls(content) === 0 && !testsMoved(file, diff.files)) {
        findings.push({ path: file.newPath, line: removedCalls[0].at, message: testFileEmptied(removed) });
      }
    }
    return findings;
  },
};
