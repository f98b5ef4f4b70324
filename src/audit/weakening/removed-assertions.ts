import { assertionsRemoved } from '../../messages/checks.js';
import { codePart, commentStyle } from './code-text.js';
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

// How many assertion calls a line of code holds (comments taken out first, when the file's path is given:
// a commented-out `// expect(x).toBe(1)` asserts nothing).
export function countAssertions(text: string, path?: string): number {
  const code = path === undefined ? text : codePart(text, commentStyle(path));
  return ASSERTIONS.reduce((n, re) => n + (code.match(re)?.length ?? 0), 0);
}

// no-removed-assertions: the test files of the diff together hold fewer assertion calls than in the base
// (summed over every test file that is in the candidate, new ones included, so that splitting a file or
// moving tests between files is fine; a deleted test file is no-deleted-tests' concern). When the total
// went down, each file that lost assertions is named.
export const removedAssertionsCheck: WeakeningCheck = {
  name: 'no-removed-assertions',
  run(diff) {
    const changes: Array<{ path: string; line: number; removed: number; added: number }> = [];
    for (const file of diff.files) {
      if (!file.newPath || file.binary || !isTestFile(file.newPath)) continue;
      const path = file.newPath;
      const lost = file.removed.filter((l) => countAssertions(l.text, path) > 0);
      const removed = lost.reduce((n, l) => n + countAssertions(l.text, path), 0);
      const added = file.added.reduce((n, l) => n + countAssertions(l.text, path), 0);
      if (removed || added) changes.push({ path, line: lost[0]?.at ?? 0, removed, added });
    }
    const fewer = changes.reduce((n, c) => n + c.removed - c.added, 0);
    if (fewer <= 0) return [];
    const losers = changes.filter((c) => c.removed > c.added);
    const overall = changes.some((c) => c.added > c.removed) ? fewer : undefined;
    return losers.map((c): Finding => ({ path: c.path, line: c.line, message: assertionsRemoved(c.removed, c.added, overall) }));
  },
};
