import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkFailurePattern, compareFailures, failuresOf } from '../../src/engine/failures.js';
import { withoutRoot } from '../../src/engine/failure-paths.js';
import { stripAnsi } from '../../src/engine/output.js';

// Each tool's `failures:` pattern on its real output (scripts/capture-failure-fixtures.sh): run 1 and run 2
// of one small project, run 2 with one failure fixed, one new, the failures that stay moved down by inserted
// lines and other durations, run 1 in one directory and run 2 in another (work tree and temporary checkout).
const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(__dirname, 'fixtures/failures');
const PATTERNS = parse(readFileSync(join(FIXTURES, 'patterns.yaml'), 'utf8')) as Record<string, string>;

// The output of one capture, with the directory it ran in taken out as the engine does.
function output(capture: string, run: 'run1' | 'run2', project = capture): string {
  return withoutRoot(readFileSync(join(FIXTURES, capture, `${run}.txt`), 'utf8'), `/tmp/guardloop-failures-${run}/${project}`);
}

const ids = (text: string, pattern: string | null) => failuresOf(text, pattern).failures.map((f) => f.id);

interface Case {
  tool: string;
  captures: Array<{ dir: string; project: string }>;
  run1: string[];
  run2: string[];
  introduced: string[];
  fixed: string[];
  // Without a pattern: a part of the id of the failure only run 2 has, of the one only run 1 has, and of those both have.
  plain: { new: string; gone: string; kept: string[] };
}

const CASES: Case[] = [
  {
    tool: 'tsc',
    captures: [{ dir: 'tsc', project: 'tsc' }],
    run1: [
      "src/math.ts TS2345 Argument of type 'string' is not assignable to parameter of type 'number'.",
      "src/math.ts TS2322 Type '(x: string) => string' is not assignable to type '(x: number) => string'.",
      "src/names.ts TS2322 Type 'number' is not assignable to type 'string'.",
      "src/names.ts TS2551 Property 'toUpperCas' does not exist on type 'string'. Did you mean 'toUpperCase'?",
    ],
    run2: [
      "src/extra.ts TS2305 Module '\"./math.js\"' has no exported member 'subtract'.",
      "src/math.ts TS2345 Argument of type 'string' is not assignable to parameter of type 'number'.",
      "src/math.ts TS2322 Type '(x: string) => string' is not assignable to type '(x: number) => string'.",
      "src/names.ts TS2551 Property 'toUpperCas' does not exist on type 'string'. Did you mean 'toUpperCase'?",
    ],
    introduced: ["src/extra.ts TS2305 Module '\"./math.js\"' has no exported member 'subtract'."],
    fixed: ["src/names.ts TS2322 Type 'number' is not assignable to type 'string'."],
    plain: { new: 'error TS2305', gone: "error TS2322: Type 'number' is not assignable to type 'string'", kept: ['src/math.ts: error TS2345', "src/math.ts: error TS2322: Type '(x: string)", 'src/names.ts: error TS2551'] },
  },
  {
    tool: 'eslint',
    captures: [{ dir: 'eslint', project: 'eslint' }],
    run1: [
      "src/a.js no-unused-vars 'unused' is assigned a value but never used",
      "src/a.js eqeqeq Expected '===' and instead saw '=='",
      "src/b.js prefer-const 'y' is never reassigned. Use 'const' instead",
      'src/b.js no-console Unexpected console statement',
    ],
    run2: [
      "src/a.js eqeqeq Expected '===' and instead saw '=='",
      "src/b.js prefer-const 'y' is never reassigned. Use 'const' instead",
      'src/b.js no-console Unexpected console statement',
      "src/b.js no-unused-vars 'z' is defined but never used",
    ],
    introduced: ["src/b.js no-unused-vars 'z' is defined but never used"],
    fixed: ["src/a.js no-unused-vars 'unused' is assigned a value but never used"],
    plain: { new: "'z' is defined but never used", gone: "'unused' is assigned", kept: ["Expected '===' and instead saw '=='", "'y' is never reassigned"] },
  },
  {
    tool: 'vitest',
    captures: [
      { dir: 'vitest', project: 'vitest' },
      { dir: 'vitest-color', project: 'vitest' },
    ],
    run1: ['test/math.test.js > math > adds', 'test/math.test.js > math > division > divides by zero', 'test/text.test.js > upper case'],
    run2: ['test/math.test.js > math > adds', 'test/math.test.js > math > division > divides by zero', 'test/text.test.js > repeat'],
    introduced: ['test/text.test.js > repeat'],
    fixed: ['test/text.test.js > upper case'],
    plain: { new: '> repeat', gone: '> upper case', kept: ['> math > adds', '> divides by zero'] },
  },
  {
    tool: 'jest',
    captures: [{ dir: 'jest', project: 'jest' }],
    run1: ['test/math.test.js math › adds', 'test/math.test.js math › division › divides by zero', 'test/text.test.js upper case'],
    run2: ['test/math.test.js math › adds', 'test/math.test.js math › division › divides by zero', 'test/text.test.js repeat'],
    introduced: ['test/text.test.js repeat'],
    fixed: ['test/text.test.js upper case'],
    plain: { new: '● repeat', gone: '● upper case', kept: ['● math › adds', '● math › division › divides by zero'] },
  },
  {
    tool: 'node-test',
    captures: [
      { dir: 'node-test', project: 'node-test' },
      { dir: 'node-test-spec', project: 'node-test' },
    ],
    // The suites that hold a failing test (division, math) fail under their own names.
    run1: ['adds', 'divides by zero', 'division', 'math', 'upper case'],
    run2: ['adds', 'divides by zero', 'division', 'math', 'repeat'],
    introduced: ['repeat'],
    fixed: ['upper case'],
    plain: { new: 'repeat', gone: 'upper case', kept: ['adds', 'divides by zero'] },
  },
  {
    tool: 'pytest',
    captures: [{ dir: 'pytest', project: 'pytest' }],
    run1: ['tests/test_math.py::test_adds', 'tests/test_math.py::TestDivision::test_by_zero', 'tests/test_math.py::test_double[2-4]', 'tests/test_text.py::test_upper'],
    run2: ['tests/test_math.py::test_adds', 'tests/test_math.py::TestDivision::test_by_zero', 'tests/test_math.py::test_double[2-4]', 'tests/test_text.py::test_repeat'],
    introduced: ['tests/test_text.py::test_repeat'],
    fixed: ['tests/test_text.py::test_upper'],
    plain: { new: '::test_repeat', gone: '::test_upper', kept: ['::test_adds', '::TestDivision::test_by_zero', '::test_double[2-4]'] },
  },
];

describe.each(CASES)('the $tool pattern on $tool\'s real output', (c) => {
  const pattern = PATTERNS[c.tool];

  it('is a pattern the config loader accepts', () => {
    expect(pattern).toBeTypeOf('string');
    expect(checkFailurePattern(pattern)).toBeNull();
  });

  it.each(c.captures)('names each failure of both runs ($dir)', ({ dir, project }) => {
    expect(ids(output(dir, 'run1', project), pattern)).toEqual(c.run1);
    expect(ids(output(dir, 'run2', project), pattern)).toEqual(c.run2);
  });

  it.each(c.captures)('finds the failure run 2 introduced and the one it fixed; the others are pre-existing ($dir)', ({ dir, project }) => {
    const before = failuresOf(output(dir, 'run1', project), pattern).failures;
    const now = failuresOf(output(dir, 'run2', project), pattern).failures;
    const cmp = compareFailures(before, now);
    expect(cmp.introduced.map((f) => f.id)).toEqual(c.introduced);
    expect(cmp.fixed.map((f) => f.id)).toEqual(c.fixed);
    expect(cmp.preexisting.map((f) => f.id)).toEqual(c.run2.filter((id) => !c.introduced.includes(id)));
    // Each failure keeps the output line it was found on, to show.
    const lines = stripAnsi(output(dir, 'run2', project)).split('\n').map((l) => l.trim());
    for (const f of now) expect(lines).toContain(f.line);
  });

  it.each(c.captures)('without a pattern, normalizing the lines, still tells the introduced failure from the pre-existing ones ($dir)', ({ dir }) => {
    // Here the directory is not taken out: the temporary-path rule alone makes the two runs agree.
    const raw = (run: 'run1' | 'run2') => readFileSync(join(FIXTURES, dir, `${run}.txt`), 'utf8');
    const cmp = compareFailures(failuresOf(raw('run1')).failures, failuresOf(raw('run2')).failures);
    const holds = (list: { id: string }[], part: string) => list.some((f) => f.id.includes(part));
    const why = JSON.stringify(cmp, null, 1);
    expect(holds(cmp.introduced, c.plain.new), why).toBe(true);
    expect(holds(cmp.fixed, c.plain.gone), why).toBe(true);
    for (const part of c.plain.kept) {
      expect(holds(cmp.preexisting, part), `${part} is pre-existing\n${why}`).toBe(true);
      expect(holds(cmp.introduced, part), `${part} is not introduced\n${why}`).toBe(false);
    }
  });
});

describe("the ready-made guards' failures patterns", () => {
  // Once a ready-made guard declares `failures:`, it is the pattern tested above.
  it.each([
    ['typescript.yaml', 'tsc'],
    ['eslint.yaml', 'eslint'],
    ['vitest.yaml', 'vitest'],
  ])('guards/%s declares the %s pattern tested here, or none yet', (file, tool) => {
    const doc = parse(readFileSync(join(ROOT, 'guards', file), 'utf8')) as { guards: Array<{ failures?: string }> };
    const declared = doc.guards.map((g) => g.failures).filter((p) => p !== undefined);
    for (const p of declared) expect(p).toBe(PATTERNS[tool]);
    expect(doc.guards.length).toBeGreaterThan(0);
  });
});

// The less common failures of each tool, from one real run each (`<tool>-edge`, scripts/capture-failure-fixtures.sh).
describe.each([
  {
    tool: 'tsc',
    dirs: ['tsc-edge', 'tsc-pretty'],
    project: 'tsc-edge',
    ids: ["src/a.ts TS2322 Type 'string' is not assignable to type 'number'.", "tsconfig.json TS5023 Unknown compiler option 'notAnOption'."],
  },
  { tool: 'tsc', dirs: ['tsc-nofile'], project: 'tsc-edge', ids: ["TS5058 The specified path does not exist: 'missing.json'."] },
  { tool: 'eslint', dirs: ['eslint-edge'], project: 'eslint-edge', ids: ['src/broken.js Parsing error: Unexpected token =', "src/ok.js eqeqeq Expected '===' and instead saw '=='"] },
  { tool: 'vitest', dirs: ['vitest-edge'], project: 'vitest-edge', ids: ['test/broken.test.js [ test/broken.test.js ]', 'Unhandled Errors'] },
  { tool: 'jest', dirs: ['jest-edge'], project: 'jest-edge', ids: ['test/ok.test.js s › fails', 'test/broken.test.js Test suite failed to run'] },
  { tool: 'node-test', dirs: ['node-test-edge', 'node-test-edge-spec'], project: 'node-test-edge', ids: ['fails'] },
  { tool: 'pytest', dirs: ['pytest-edge'], project: 'pytest-edge', ids: ['tests/test_a.py::test_fails', 'tests/test_broken.py', 'tests/test_a.py::test_uses_db'] },
])('the $tool pattern on $dirs', ({ tool, dirs, project, ids: expected }) => {
  it.each(dirs)('names each failure of %s', (dir) => {
    expect(ids(output(dir, 'run1', project), PATTERNS[tool])).toEqual(expected);
  });
});
