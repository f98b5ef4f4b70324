import { focusedOrSkipped } from '../../messages/checks.js';
import { isTestFile } from './file-kinds.js';
import type { Finding, WeakeningCheck } from './finding.js';

// What focuses or skips a test, per framework: Jest/Vitest/Mocha/Jasmine (`.only(`, `.skip(`, `xit(`,
// `fit(`, `.todo(`), pytest and unittest, Go's testing package, JUnit, Rust.
const MARKERS: RegExp[] = [
  /\b(?:describe|context|suite|it|test|specify|bench)(?:\.\w+)*\.(?:only|skip|todo)\b/,
  /\.(?:only|skip)\s*\(/,
  /\.todo\s*\(/,
  /(?<![\w.$])(?:xit|xdescribe|xtest|xcontext|xspecify|fit|fdescribe)\s*\(/,
  /@pytest\.mark\.skip(?:if)?\b/,
  /\bpytest\.skip\s*\(/,
  /@unittest\.skip(?:If|Unless)?\b/,
  /\b[tb]\.Skip(?:f|Now)?\s*\(/,
  /@(?:Disabled|Ignore)\b/,
  /#\[ignore\]/,
];

// The focus or skip marker on a line (as written), or null.
export function skipMarker(text: string): string | null {
  for (const re of MARKERS) {
    const m = re.exec(text);
    if (m) return m[0].replace(/\s+/g, '');
  }
  return null;
}

// no-focused-or-skipped-tests: a focus or skip marker on an added line of a test file.
export const focusedOrSkippedCheck: WeakeningCheck = {
  name: 'no-focused-or-skipped-tests',
  run(diff) {
    const findings: Finding[] = [];
    for (const file of diff.files) {
      if (!file.newPath || !isTestFile(file.newPath)) continue;
      for (const added of file.added) {
        const marker = skipMarker(added.text);
        if (marker) findings.push({ path: file.newPath, line: added.line, message: focusedOrSkipped(marker) });
      }
    }
    return findings;
  },
};
