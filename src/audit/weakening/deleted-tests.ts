import { testFileDeleted, testFileEmptied } from '../../messages/checks.js';
import { isTestFile } from './file-kinds.js';
import type { Finding, WeakeningCheck } from './finding.js';
import { blobAt } from './read-diff.js';
import { countTestCalls } from './test-calls.js';

// no-deleted-tests: a test file that declared tests is deleted (or renamed to a path that is no test
// file), or is left declaring none. Files without tests (helpers, fixtures) may go.
export const deletedTestsCheck: WeakeningCheck = {
  name: 'no-deleted-tests',
  async run(diff) {
    const findings: Finding[] = [];
    for (const file of diff.files) {
      if (!file.oldPath || !isTestFile(file.oldPath) || file.binary) continue;
      const removedCalls = file.removed.filter((l) => countTestCalls(l.text) > 0);
      const removed = removedCalls.reduce((n, l) => n + countTestCalls(l.text), 0);
      if (file.newPath && !isTestFile(file.newPath)) {
        // Renamed to a path no test glob matches (its tests stop running): count the tests it had.
        const tests = countTestCalls((await blobAt(diff, diff.base, file.oldPath)) ?? '');
        if (tests > 0) findings.push({ path: file.oldPath, line: 1, message: testFileDeleted(tests, diff.base, file.oldPath) });
        continue;
      }
      if (!removedCalls.length) continue;
      if (!file.newPath) {
        findings.push({ path: file.oldPath, line: removedCalls[0].line, message: testFileDeleted(removed, diff.base, file.oldPath) });
        continue;
      }
      // Tests were removed from a file that stays: only the whole candidate file tells whether any is left.
      const added = file.added.reduce((n, l) => n + countTestCalls(l.text), 0);
      if (added > 0) continue;
      const content = await blobAt(diff, diff.tree, file.newPath);
      if (content !== null && countTestCalls(content) === 0) findings.push({ path: file.newPath, line: removedCalls[0].at, message: testFileEmptied(removed) });
    }
    return findings;
  },
};
