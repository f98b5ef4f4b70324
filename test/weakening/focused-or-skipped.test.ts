import { describe, expect, it } from 'vitest';
import { reinitAsSha256, withGitRepo } from '../helpers/git-repo.js';
import { call, checkCandidate, commitBase, findingPlaces } from './helpers.js';

const CHECK = 'no-focused-or-skipped-tests';
const TEST_TS = 'import { expect, it } from "vitest";\nit("adds", () => {\n  expect(1 + 1).toBe(2);\n});\n';

describe('guardloop check no-focused-or-skipped-tests', () => {
  it('fails on each focus or skip marker added to a test file, per framework, with path:line and the fix', () =>
    withGitRepo(async (repo) => {
      // src/b.spec.ts is in the base: a `.todo` counts only in a file the base had.
      commitBase(repo, { 'test/a.test.ts': TEST_TS, 'src/a.ts': 'export const a = 1;\n', 'src/b.spec.ts': '' });
      const out = await checkCandidate(repo, CHECK, {
        'test/a.test.ts': TEST_TS.replace('it(', call('it', 'skip')),
        'src/b.spec.ts': `${call('describe', 'only')}"b", () => {\n  ${'x'}it("one", () => {});\n  ${call('test', 'todo')}"two");\n});\n`,
        'tests/test_math.py': 'import pytest\n\n@pytest.mark.skipif(True, reason="flaky")\ndef test_add():\n    assert 1 + 1 == 2\n',
        'pkg/sum_test.go': 'package pkg\n\nimport "testing"\n\nfunc TestSum(t *testing.T) {\n\tt.Skip("later")\n}\n',
        'src/test/java/SumTest.java': 'class SumTest {\n  @Disabled\n  @Test\n  void sums() {}\n}\n',
      });
      expect(out.code, out.stderr).toBe(1);
      expect(findingPlaces(out)).toEqual([
        'pkg/sum_test.go:6',
        'src/b.spec.ts:1',
        'src/b.spec.ts:2',
        'src/b.spec.ts:3',
        'src/test/java/SumTest.java:2',
        'test/a.test.ts:2',
        'tests/test_math.py:3',
      ]);
      expect(out.stdout).toContain(`test/a.test.ts:2: adds "it.skip" — a focused or skipped test stops tests from running`);
      expect(out.stdout).toContain(`src/b.spec.ts:2: adds "${'x'}it("`);
      expect(out.stdout).toContain('tests/test_math.py:3: adds "@pytest.mark.skipif"');
      expect(out.stdout).toContain('pkg/sum_test.go:6: adds "t.Skip("');
      expect(out.stdout).toMatch(/remove "it\.skip" and make the test pass by fixing the code it tests\.\n/);
    }));

  it('passes on near misses: a marker in a string of a non-test file, in a document, one already in the base, one removed', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'test/old.test.ts': `${call('it', 'skip')}"was skipped before", () => {});\nit("x", () => {});\n`,
        'test/gone.test.ts': `${call('it', 'only')}"focused", () => {});\n`,
      });
      const out = await checkCandidate(repo, CHECK, {
        'src/help.ts': `export const tip = "never commit ${call('it', 'only')}) or ${call('describe', 'skip')})";\n`,
        'docs/testing.md': `Use ${call('it', 'skip')}) only locally.\n`,
        'test/fixtures/skip.json': `{"code": "${call('it', 'skip')})"}\n`,
        'test/old.test.ts': `${call('it', 'skip')}"was skipped before", () => {});\nit("x", () => { /* more */ });\n`,
        'test/gone.test.ts': 'it("focused", () => {});\n',
      });
      expect(out.stdout).toBe('');
      expect(out.code, out.stderr).toBe(0);
    }));

  it('with no base (GUARDLOOP_BASE empty: the first commit, a project adopting guardloop) there is nothing to weaken yet; the next commit is judged, in a SHA-256 repository too', () =>
    withGitRepo(async (repo) => {
      reinitAsSha256(repo);
      const out = await checkCandidate(repo, CHECK, { 'a.test.js': `${call('it', 'only')}"first", () => {});\nit("second", () => {});\n` }, '');
      expect(out).toMatchObject({ code: 0, stdout: '', stderr: '' });
      repo.git('commit', '-q', '-m', 'first');
      const next = await checkCandidate(repo, CHECK, { 'a.test.js': `${call('it', 'only')}"first", () => {});\n${call('it', 'skip')}"second", () => {});\n` });
      expect(next.stderr).toBe('');
      expect(findingPlaces(next)).toEqual(['a.test.js:2']);
      expect(next.code).toBe(1);
    }));

  it('reads the base and the candidate from git objects only: unstaged work in the work tree is not judged', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, { 'test/a.test.ts': TEST_TS });
      repo.git('add', '-A');
      const tree = repo.git('write-tree');
      repo.write('test/a.test.ts', TEST_TS.replace('it(', call('it', 'only')));
      const out = await repo.cli(['check', CHECK], { env: { GUARDLOOP_BASE: repo.git('rev-parse', 'HEAD'), GUARDLOOP_TREE: tree } });
      expect(out).toMatchObject({ code: 0, stdout: '' });
      // By hand (no GUARDLOOP_* variables) it judges the staged content against HEAD.
      repo.git('add', '-A');
      const byHand = await repo.cli(['check', CHECK]);
      expect(findingPlaces(byHand)).toEqual(['test/a.test.ts:2']);
      expect(byHand.code).toBe(1);
    }));
});
