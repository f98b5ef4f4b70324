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

// A test file: source code at a path the project's test globs (TEST_FILE_GLOBS) match — not a
// snapshot, fixture data or a document that happens to live under test/.
export function isTestFile(path: string): boolean {
  return isSource(path) && testMatchers.some((m) => m(path));
}

// Program source that is not a test: what a snapshot pins.
export function isCodeFile(path: string): boolean {
  return isSource(path) && !testMatchers.some((m) => m(path));
}
