import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { checkCandidate, commitBase, findingPlaces } from './helpers.js';

const CHECK = 'no-deleted-tests';
const TWO_TESTS = 'import { expect, it } from "vitest";\n\nit("one", () => {\n  expect(1).toBe(1);\n});\n\nit("two", () => {\n  expect(2).toBe(2);\n});\n';

describe('guardloop check no-deleted-tests', () => {
  it('fails on a deleted test file, one emptied of its tests, and one moved where no test glob matches', () =>
    withGitRepo(async (repo) => {
      const base = commitBase(repo, {
        'test/gone.test.ts': TWO_TESTS,
        'test/emptied.test.ts': TWO_TESTS,
        'tests/test_calc.py': 'def test_add():\n    assert 1 + 1 == 2\n',
        'test/moved.test.ts': TWO_TESTS.replace(/one|two/g, 'moved'),
      });
      const out = await checkCandidate(repo, CHECK, {
        'test/gone.test.ts': null,
        'test/emptied.test.ts': 'import { expect, it } from "vitest";\n',
        'tests/test_calc.py': '',
        'test/moved.test.ts': null,
        'src/moved.ts': TWO_TESTS.replace(/one|two/g, 'moved'),
      });
      expect(out.code, out.stderr).toBe(1);
      // The rename (to src/moved.ts) sorts by its new path, as git lists it.
      expect(findingPlaces(out)).toEqual(['test/moved.test.ts:1', 'test/emptied.test.ts:1', 'test/gone.test.ts:3', 'tests/test_calc.py:1']);
      expect(out.stdout).toContain(`test/gone.test.ts:3: deletes a test file with 2 tests — its tests no longer run; restore it with \`git checkout ${base.slice(0, 12)} -- test/gone.test.ts\` and fix the code instead.`);
      expect(out.stdout).toContain('test/emptied.test.ts:1: leaves the test file with no tests (2 removed)');
      expect(out.stdout).toContain('tests/test_calc.py:1: leaves the test file with no tests (1 removed)');
      expect(out.stdout).toContain('test/moved.test.ts:1: deletes a test file with 2 tests');
    }));

  it('passes on near misses: a deleted helper or fixture without tests, a test file renamed to another test path, one test of two removed', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'test/helpers.ts': 'export const it = (name: string) => name;\n',
        'test/fixtures/data.json': '{"test": "it(1)"}\n',
        'test/old-name.test.ts': TWO_TESTS,
        'test/trimmed.test.ts': TWO_TESTS,
        'src/not-a-test.ts': 'it("looks like a test", () => {});\n',
      });
      const out = await checkCandidate(repo, CHECK, {
        'test/helpers.ts': null,
        'test/fixtures/data.json': null,
        'test/old-name.test.ts': null,
        'test/new-name.test.ts': TWO_TESTS,
        'test/trimmed.test.ts': TWO_TESTS.split('\n').slice(0, 6).join('\n'),
        'src/not-a-test.ts': null,
      });
      expect(out.stdout).toBe('');
      expect(out.code, out.stderr).toBe(0);
    }));
});

describe('guardloop check no-deleted-tests: moves', () => {
  it('fails on a test-named file moved to a name no runner collects, even under test/ or tests/', () =>
    withGitRepo(async (repo) => {
      const base = commitBase(repo, { 'src/math.test.ts': TWO_TESTS, 'tests/test_calc.py': 'def test_add():\n    assert 1 + 1 == 2\n\n\ndef test_sub():\n    assert 1 - 1 == 0\n' });
      const out = await checkCandidate(repo, CHECK, {
        'src/math.test.ts': null,
        'test/math.ts': TWO_TESTS,
        'tests/test_calc.py': null,
        'tests/calc_checks.py': 'def test_add():\n    assert 1 + 1 == 2\n\n\ndef test_sub():\n    assert 1 - 1 == 0\n',
      });
      // Renames sort by their new paths (test/math.ts, tests/calc_checks.py), as git lists them.
      expect(findingPlaces(out)).toEqual(['src/math.test.ts:1', 'tests/test_calc.py:1']);
      expect(out.stdout).toContain(`src/math.test.ts:1: moves a test file with 2 tests to test/math.ts, a name the test runner does not pick up — its tests no longer run; restore it with \`git checkout ${base.slice(0, 12)} -- src/math.test.ts\``);
      expect(out.stdout).toContain('tests/test_calc.py:1: moves a test file with 2 tests to tests/calc_checks.py, a name the test runner does not pick up');
      expect(out.code, out.stderr).toBe(1);
    }));

  it('passes on a small test file moved with its imports changed (a deletion and an addition to git): its tests are all in test files of the diff', () =>
    withGitRepo(async (repo) => {
      const small = (from: string) => `import { add } from "${from}";\nit("adds", () => expect(add(1, 2)).toBe(3));\n`;
      commitBase(repo, {
        'src/add.test.ts': small('./add'),
        'tests/test_calc.py': 'from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n',
        'test/other.test.ts': TWO_TESTS,
      });
      const out = await checkCandidate(repo, CHECK, {
        'src/add.test.ts': null,
        'test/math/add.test.ts': small('../../src/math/add'),
        'tests/test_calc.py': null,
        'tests/unit/test_calc.py': 'from app.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n',
      });
      expect(out).toMatchObject({ code: 0, stdout: '' });
      // Only part of a deleted file's tests moved: it is still a deletion.
      const partly = await checkCandidate(repo, CHECK, { 'test/other.test.ts': null, 'test/math/add.test.ts': `${small('../../src/math/add')}it("one", () => {});\n` });
      expect(findingPlaces(partly)).toEqual(['test/other.test.ts:3']);
      expect(partly.code).toBe(1);
    }));

  it('quotes the restore command’s path for the shell', () =>
    withGitRepo(async (repo) => {
      const base = commitBase(repo, { "src/mes tests/it's a.test.ts": TWO_TESTS });
      const out = await checkCandidate(repo, CHECK, { "src/mes tests/it's a.test.ts": null });
      expect(out.stdout).toContain(`restore it with \`git checkout ${base.slice(0, 12)} -- 'src/mes tests/it'\\''s a.test.ts'\``);
      expect(out.code).toBe(1);
    }));
});
