import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { checkCandidate, commitBase, findingPlaces } from './helpers.js';

const CHECK = 'no-removed-assertions';
const TS = 'import { expect, it } from "vitest";\n\nit("parses", () => {\n  const r = parse("1+2");\n  expect(r.ok).toBe(true);\n  expect(r.value).toBe(3);\n});\n';
const PY = 'import unittest\n\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(1, 2), 3)\n        assert add(0, 0) == 0\n';
const GO = 'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Errorf("Add(1, 2) = %d", Add(1, 2))\n\t}\n}\n';

describe('guardloop check no-removed-assertions', () => {
  it('fails when a test file that stays has fewer assertion calls (expect, self.assert…, assert, t.Errorf)', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, { 'test/parse.test.ts': TS, 'tests/test_add.py': PY, 'calc/add_test.go': GO });
      const out = await checkCandidate(repo, CHECK, {
        'test/parse.test.ts': TS.replace('  expect(r.value).toBe(3);\n', ''),
        'tests/test_add.py': PY.replace('        self.assertEqual(add(1, 2), 3)\n        assert add(0, 0) == 0\n', '        add(1, 2)\n'),
        'calc/add_test.go': GO.replace('\t\tt.Errorf("Add(1, 2) = %d", Add(1, 2))\n', '\t\treturn\n'),
      });
      expect(out.code, out.stderr).toBe(1);
      expect(findingPlaces(out)).toEqual(['calc/add_test.go:7', 'test/parse.test.ts:5', 'tests/test_add.py:5']);
      expect(out.stdout).toContain('test/parse.test.ts:5: removes 1 assertion from an existing test (0 added back) — a test without its assertions passes whatever the code does; put the assertions back and fix the code they check.');
      expect(out.stdout).toContain('tests/test_add.py:5: removes 2 assertions from an existing test (0 added back)');
    }));

  it('passes on near misses: an assertion changed, assertions reordered or added, an assert removed from a non-test file, a deleted test file', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'test/changed.test.ts': TS,
        'test/reordered.test.ts': TS,
        'src/check.ts': 'import assert from "node:assert";\nexport function check(x: number) {\n  assert(x > 0);\n}\n',
        'test/deleted.test.ts': TS,
      });
      const out = await checkCandidate(repo, CHECK, {
        'test/changed.test.ts': TS.replace('toBe(3)', 'toEqual(3)'),
        'test/reordered.test.ts': TS.replace('  expect(r.ok).toBe(true);\n  expect(r.value).toBe(3);\n', '  expect(r.value).toBe(3);\n  expect(r.ok).toBe(true);\n  expect(r.rest).toBe("");\n'),
        'src/check.ts': 'export function check(x: number) {\n  return x > 0;\n}\n',
        'test/deleted.test.ts': null,
      });
      expect(out.stdout).toBe('');
      expect(out.code, out.stderr).toBe(0);
    }));
});

describe('guardloop check no-removed-assertions: comments and the whole diff', () => {
  it('an assertion commented out (//, /* */, Go //, Python #) counts as removed', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, { 'test/parse.test.ts': TS, 'tests/test_add.py': PY, 'calc/add_test.go': GO });
      const out = await checkCandidate(repo, CHECK, {
        'test/parse.test.ts': TS.replace('  expect(r.ok).toBe(true);\n  expect(r.value).toBe(3);\n', '  // expect(r.ok).toBe(true);\n  /* expect(r.value).toBe(3); */\n'),
        'tests/test_add.py': PY.replace('        assert add(0, 0) == 0\n', '        # assert add(0, 0) == 0\n'),
        'calc/add_test.go': GO.replace('\t\tt.Errorf(', '\t\t// t.Errorf('),
      });
      expect(findingPlaces(out)).toEqual(['calc/add_test.go:7', 'test/parse.test.ts:5', 'tests/test_add.py:6']);
      expect(out.stdout).toContain('test/parse.test.ts:5: removes 2 assertions from an existing test (0 added back)');
      expect(out.code, out.stderr).toBe(1);
    }));

  it('counts over all test files together: a file split in two, or tests moved between files, is fine; a net loss names the files that lost', () =>
    withGitRepo(async (repo) => {
      const two = (n: string) => `it("${n}", () => {\n  expect(${n}(1)).toBe(1);\n  expect(${n}(2)).toBe(2);\n});\n`;
      commitBase(repo, { 'test/all.test.ts': two('a') + two('b'), 'test/c.test.ts': two('c'), 'test/d.test.ts': two('d') });
      const split = await checkCandidate(repo, CHECK, {
        'test/all.test.ts': two('a'),
        'test/b.test.ts': two('b'),
        'test/c.test.ts': two('c') + two('d'),
        'test/d.test.ts': 'import "./c.test";\n',
      });
      expect(split).toMatchObject({ code: 0, stdout: '' });
      const lost = await checkCandidate(repo, CHECK, { 'test/b.test.ts': two('b').replace(/  expect\(b\(2\)\)\.toBe\(2\);\n/, '') });
      // Against the base, b's tests left all.test.ts and d's left d.test.ts: both are named.
      expect(findingPlaces(lost)).toEqual(['test/all.test.ts:4', 'test/d.test.ts:1']);
      expect(lost.stdout).toContain('test/d.test.ts:1: removes 2 assertions from an existing test (0 added back; 1 fewer in the diff\'s test files together)');
      expect(lost.code).toBe(1);
    }));
});
