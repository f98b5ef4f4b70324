import { posix } from 'node:path';
import picomatch from 'picomatch';
import { globOptions } from '../../config/glob-check.js';
import { TEST_FILE_GLOBS } from '../../engine/protect.js';

// Extensions of program source, where tests, assertions and suppression comments are looked for.
// guards/no-test-weakening.yaml names the same list in its `files` globs.
export const SOURCE_EXTENSIONS = [
  'js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts', 'vue', 'svelte',
  'py', 'pyi', 'go', 'rb', 'java', 'kt', 'kts', 'scala', 'groovy', 'rs', 'php', 'cs', 'swift',
  'c', 'h', 'cc', 'cpp', 'hpp', 'm', 'mm', 'dart', 'ex', 'exs', 'lua', 'sh',
];

const testMatchers = TEST_FILE_GLOBS.map((glob) => picomatch(glob, globOptions(glob)));
const SOURCE = new RegExp(`\\.(${SOURCE_EXTENSIONS.join('|')})$`, 'i');

// A snapshot file of Jest, Vitest or Bun (`__snapshots__/x.test.ts.snap`).
export function isSnapshot(path: string): boolean {
  return path.endsWith('.snap');
}

// A file of program source (any language in SOURCE_EXTENSIONS), test or not.
export function isSource(path: string): boolean {
  return SOURCE.test(path);
}

// Folders of test data: source in them is input to tests, not a test.
const FIXTURES = /(?:^|\/)(?:fixtures|__fixtures__|__snapshots__)\//;

// A test file: source code at a path the project's test globs (TEST_FILE_GLOBS) match — not a
// snapshot, fixture (under fixtures/, __fixtures__/, __snapshots__/) or a document that lives under test/.
export function isTestFile(path: string): boolean {
  return isSource(path) && !FIXTURES.test(path) && testMatchers.some((m) => m(path));
}

// A file name test runners collect by name wherever it is: `*.test.*`, `*.spec.*`, `*_test.*`, `test_*.py`.
const TEST_NAME = /(?:\.(?:test|spec)\.[^/]+|_test\.[^/.]+|^test_[^/]*\.py)$/;

// Is the file's name one that test runners pick up (`math.test.ts`, `calc_test.go`, `test_calc.py`)?
export function isTestNamed(path: string): boolean {
  return isSource(path) && TEST_NAME.test(posix.basename(path));
}

// Program source that is not a test: what a snapshot pins.
export function isCodeFile(path: string): boolean {
  return isSource(path) && !testMatchers.some((m) => m(path));
}
