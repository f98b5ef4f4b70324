import { assertionsRemoved } from '../../messages/checks.js';
import { isTestFile } from './file-kinds.js';
import type { Finding, WeakeningCheck } from './finding.js';

// What asserts, per framework: `expect(` (and `expect.soft(`, `expectTypeOf(`), `assert(`,
// `assert.equal(`, `assertEquals(`, `self.assertEqual(`, `assert_eq!(`, Python's `assert x`, chai's
// `.should`, Go's `t.Error`/`t.Fatal` and testify's `require.Equal(`, XCTest's `XCTAssert…(`.
const ASSERTIONS: RegExp[] = [
  /(?<![\w$])expect\w*(?:\.\w+)*\s*\(/g,
  /(?<![\w$])assert\w*(?:\.\w+)*\s*[(!]/g,
  /^\s*assert\s+(?=[^\s=(])/g,
  /\.should\b/g,
  /\b[tb]\.(?:Error|Errorf|Fatal|Fatalf|Fail|FailNow)\s*\(/g,
  /\brequire\.[A-Z]\w*\s*\(/g,
  /\bXCTAssert\w*\s*\(/g,
];

// How many assertion calls a line holds.
export function countAssertions(text: string): number {
  return ASSERTIONS.reduce((n, re) => n + (text.match(re)?.length ?? 0), 0);
}

// no-removed-assertions: a test file that stays has fewer assertion calls than in the base (the lines
// the diff removes hold more of them than the lines it adds; the unchanged lines are the same on both sides).
export const removedAssertionsCheck: WeakeningCheck = {
  name: 'no-removed-assertions',
  run(diff) {
    const findings: Finding[] = [];
    for (const file of diff.files) {
      if (!file.oldPath || !file.newPath || file.binary || !isTestFile(file.newPath)) continue;
      const lost = file.removed.filter((l) => countAssertions(l.text) > 0);
      const removed = lost.reduce((n, l) => n + countAssertions(l.text), 0);
      const added = file.added.reduce((n, l) => n + countAssertions(l.text), 0);
      if (removed > added) findings.push({ path: file.newPath, line: lost[0].at, message: assertionsRemoved(removed, added) });
    }
    return findings;
  },
};
