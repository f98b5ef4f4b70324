import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { call, checkCandidate, commitBase, findingPlaces } from './helpers.js';

const CHECK = 'no-focused-or-skipped-tests';
const TS = 'import { expect, it } from "vitest";\n';
// Spelled from parts, like `call`, so this repository's own no-focused-tests guard ignores the fixtures.
const x = (name: string): string => `x${name}`;
const f = (name: string): string => `f${name}`;

describe('guardloop check no-focused-or-skipped-tests: what is not a skip', () => {
  it('passes on .skip/.only as ordinary method calls, markers in strings or comments, fixtures, .todo in a new file, t.Skip under testing.Short()', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'test/db.test.ts': TS,
        'src/test/java/RowsTest.java': 'class RowsTest {}\n',
        'tests/rows_test.rs': 'fn main() {}\n',
        'pkg/db_test.go': 'package pkg\n\nimport "testing"\n\nfunc TestDB(t *testing.T) {\n\tif testing.Short() {\n\t\treturn\n\t}\n}\n',
      });
      const out = await checkCandidate(repo, CHECK, {
        'test/db.test.ts': `${TS}const page = query(rows)${call('', 'skip')}0).limit(10);\nq${call('', 'skip')}1);\nconst fn = ${f('it')} => 1; ${f('it')}3);\nconst s = "use ${call('it', 'only')}) locally";\n// ${call('it', 'only')}"debug", () => {});\n/* ${call('describe', 'skip')}"x") */\n`,
        'src/test/java/RowsTest.java': 'class RowsTest {\n  void rows() { list.stream()' + `${call('', 'skip')}1); }\n}\n`,
        'tests/rows_test.rs': 'fn main() {\n    let v: Vec<_> = xs.into_iter()' + `${call('', 'skip')}1).collect();\n}\n`,
        'test/fixtures/focused.test.ts': `${call('it', 'only')}"fixture", () => {});\n`,
        'src/__fixtures__/skipped.spec.ts': `${call('it', 'skip')}"fixture", () => {});\n`,
        'test/planned.test.ts': `${call('it', 'todo')}"parses dates");\n${call('test', 'todo')}"formats dates");\n`,
        'pkg/db_test.go': 'package pkg\n\nimport "testing"\n\nfunc TestDB(t *testing.T) {\n\tif testing.Short() {\n\t\tt.Skip("needs a database")\n\t}\n}\n\nfunc TestPing(t *testing.T) {\n\tif testing.Short() { t.Skip("slow") }\n}\n',
      });
      expect(out.stdout).toBe('');
      expect(out.code, out.stderr).toBe(0);
    }));
});

describe('guardloop check no-focused-or-skipped-tests: more ways to skip', () => {
  it('fails on skipIf/runIf, x/f .each, node:test options, bracket access, pytestmark, skipTest, xfail, expectedFailure, unittest.skip, .todo in an existing file', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, { 'test/a.test.ts': TS, 'test/b.test.mjs': 'import { test } from "node:test";\n', 'tests/test_a.py': 'import pytest\n' });
      const out = await checkCandidate(repo, CHECK, {
        'test/a.test.ts': `${TS}it${call('', 'skipIf')}process.env.CI)("a", () => {});\ndescribe${call('', 'runIf')}false)("b", () => {});\n${x('it')}.each([1])("c %i", () => {});\n${f('it')}.each([1])("d %i", () => {});\nit['skip']("e", () => {});\ntest["only"]("f", () => {});\n${call('it', 'todo')}"g");\n`,
        'test/b.test.mjs': 'import { test } from "node:test";\ntest("a", { skip: true }, () => {});\ntest("b", { todo: true }, () => {});\ndescribe("c", { only: true }, () => {});\n',
        'tests/test_a.py': 'import pytest\npytestmark = pytest.mark.skip\n\n@pytest.mark.xfail\ndef test_a():\n    assert True\n\nclass T(unittest.TestCase):\n    @unittest.expectedFailure\n    def test_b(self):\n        self.skipTest("later")\n\n    @unittest.skip("flaky")\n    def test_c(self):\n        pass\n',
        'tests/test_b.py': 'import pytest\npytestmark = pytest.mark.skipif(sys.platform == "win32", reason="x")\n',
      });
      expect(findingPlaces(out)).toEqual([
        'test/a.test.ts:2', 'test/a.test.ts:3', 'test/a.test.ts:4', 'test/a.test.ts:5', 'test/a.test.ts:6', 'test/a.test.ts:7', 'test/a.test.ts:8',
        'test/b.test.mjs:2', 'test/b.test.mjs:3', 'test/b.test.mjs:4',
        'tests/test_a.py:2', 'tests/test_a.py:4', 'tests/test_a.py:9', 'tests/test_a.py:11', 'tests/test_a.py:13',
        'tests/test_b.py:2',
      ]);
      for (const marker of ['it.skipIf', 'describe.runIf', `${x('it')}.each`, `${f('it')}.each`, "it['skip']", 'test["only"]', 'it.todo', '{ skip: true }', '{ todo: true }', '{ only: true }',
        'pytestmark = pytest.mark.skip', '@pytest.mark.xfail', '@unittest.expectedFailure', 'self.skipTest(', '@unittest.skip', 'pytestmark = pytest.mark.skipif']) {
        expect(out.stdout).toContain(`adds "${marker}"`);
      }
      expect(out.code, out.stderr).toBe(1);
    }));

  it('fails on a //go:build line added to a Go test file and on tests renamed so the runner no longer collects them', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'pkg/sum_test.go': 'package pkg\n\nimport "testing"\n\nfunc TestSum(t *testing.T) {\n\tif Sum(1, 2) != 3 {\n\t\tt.Fatal("sum")\n\t}\n}\n',
        'tests/test_calc.py': 'def test_add():\n    assert 1 + 1 == 2\n\n\ndef test_sub():\n    assert 1 - 1 == 0\n',
      });
      const out = await checkCandidate(repo, CHECK, {
        'pkg/sum_test.go': '//go:build ignore\n\npackage pkg\n\nimport "testing"\n\nfunc testSum(t *testing.T) {\n\tif Sum(1, 2) != 3 {\n\t\tt.Fatal("sum")\n\t}\n}\n',
        'tests/test_calc.py': 'def _test_add():\n    assert 1 + 1 == 2\n\n\ndef sub():\n    assert 1 - 1 == 0\n',
        'pkg/new_test.go': '//go:build ignore\n\npackage pkg\n',
        'pkg/tagged_test.go': '//go:build integration\n\npackage pkg\n',
      });
      expect(findingPlaces(out)).toEqual(['pkg/new_test.go:1', 'pkg/sum_test.go:1', 'pkg/sum_test.go:7', 'tests/test_calc.py:1', 'tests/test_calc.py:5']);
      expect(out.stdout).toContain('pkg/sum_test.go:1: adds "//go:build ignore"');
      expect(out.stdout).toContain('pkg/sum_test.go:7: renames the test "TestSum" to "testSum" — the test runner collects only names like "TestSum"');
      expect(out.stdout).toContain('tests/test_calc.py:1: renames the test "test_add" to "_test_add"');
      expect(out.stdout).toContain('tests/test_calc.py:5: renames the test "test_sub" to "sub"');
      expect(out.code, out.stderr).toBe(1);
    }));

  it('names the marker as written: adds "@pytest.mark.skip", not ".skip("', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, { 'tests/test_a.py': 'def test_a():\n    assert True\n' });
      const out = await checkCandidate(repo, CHECK, { 'tests/test_a.py': '@pytest.mark.skip(reason="flaky")\ndef test_a():\n    assert True\n' });
      expect(out.stdout).toContain('tests/test_a.py:1: adds "@pytest.mark.skip" — a focused or skipped test stops tests from running');
      expect(out.code).toBe(1);
    }));
});
