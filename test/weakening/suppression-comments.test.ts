import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { checkCandidate, commitBase, findingPlaces } from './helpers.js';

const CHECK = 'no-suppression-comments';

describe('guardloop check no-suppression-comments', () => {
  it('fails on each suppression comment added to source, tests included: @ts-ignore, @ts-expect-error (outside tests), eslint-disable, type: ignore, noqa, nolint', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, { 'src/a.ts': 'export const a: number = 1;\n', 'app/calc.py': 'def add(a, b):\n    return a + b\n' });
      const out = await checkCandidate(repo, CHECK, {
        'src/a.ts': '// @ts-ignore\nexport const a: number = "1";\n/* eslint-disable no-console */\nconsole.log(a);\n',
        'test/a.test.ts': 'it("x", () => {\n  // @ts-ignore wrong type on purpose\n  f(1);\n});\n',
        'src/b.ts': '// @ts-expect-error wrong type\nexport const b: number = "1";\n',
        'app/calc.py': 'def add(a, b):\n    return a + b  # type: ignore[operator]\nimport os  # noqa: F401\n',
        'cmd/main.go': 'package main\n\nfunc main() {\n\tf() //nolint:errcheck\n}\n',
      });
      expect(out.code, out.stderr).toBe(1);
      expect(findingPlaces(out)).toEqual(['app/calc.py:2', 'app/calc.py:3', 'cmd/main.go:4', 'src/a.ts:1', 'src/a.ts:3', 'src/b.ts:1', 'test/a.test.ts:2']);
      expect(out.stdout).toContain('src/a.ts:1: adds a "@ts-ignore" comment — it hides what the checker found instead of fixing it; remove the comment and fix the reported problem.');
      expect(out.stdout).toContain('src/a.ts:3: adds a "eslint-disable" comment');
      expect(out.stdout).toContain('app/calc.py:2: adds a "type: ignore" comment');
      expect(out.stdout).toContain('app/calc.py:3: adds a "noqa" comment');
      expect(out.stdout).toContain('cmd/main.go:4: adds a "nolint" comment');
    }));

  it('passes on near misses: a directive named in a string, in a document, one already in the base, one removed', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'src/old.ts': '// @ts-ignore\nexport const x: number = "1";\n',
        'src/fixed.ts': '// eslint-disable-next-line no-console\nconsole.log(1);\n',
      });
      const out = await checkCandidate(repo, CHECK, {
        'src/help.ts': 'export const tip = "never add @ts-ignore or eslint-disable; fix the error";\n',
        'docs/lint.md': 'Write `// @ts-ignore` only with a reason.\n',
        'src/old.ts': '// @ts-ignore\nexport const x: number = "1";\nexport const y = 2;\n',
        'src/fixed.ts': 'console.info(1);\n',
      });
      expect(out.stdout).toBe('');
      expect(out.code, out.stderr).toBe(0);
    }));
});

describe('guardloop check no-suppression-comments: file-level forms and what is not a directive', () => {
  it('fails on ruff/flake8 noqa, mypy ignore-errors, pyright ignore, an eslint rule switched off inline, staticcheck lint:ignore', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, { 'app/calc.py': 'x = 1\n', 'src/a.ts': 'export const a = 1;\n', 'cmd/main.go': 'package main\n' });
      const out = await checkCandidate(repo, CHECK, {
        'app/calc.py': '# ruff: noqa\n# flake8: noqa\n# mypy: ignore-errors\nx = 1  # pyright: ignore[reportGeneralTypeIssues]\n',
        'src/a.ts': '/* eslint no-console: off */\n/* eslint eqeqeq: 0 */\nexport const a = 1;\nexport const v = <div>{/* @ts-ignore */}</div>;\n',
        'cmd/main.go': 'package main\n\n//lint:ignore SA1019 old API\nvar x = old()\n',
      });
      expect(findingPlaces(out)).toEqual(['app/calc.py:1', 'app/calc.py:2', 'app/calc.py:3', 'app/calc.py:4', 'cmd/main.go:3', 'src/a.ts:1', 'src/a.ts:2', 'src/a.ts:4']);
      for (const d of ['ruff: noqa', 'flake8: noqa', 'mypy: ignore-errors', 'pyright: ignore', 'eslint no-console: off', 'eslint eqeqeq: 0', 'lint:ignore', '@ts-ignore']) expect(out.stdout).toContain(`adds a "${d}" comment`);
      expect(out.code, out.stderr).toBe(1);
    }));

  it('passes on a directive word in prose, a JS private field, a URL fragment, a string, a JSDoc line, `#` in JS, `//` in Python, @ts-expect-error in a test', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, { 'src/a.ts': 'export {};\n' });
      const out = await checkCandidate(repo, CHECK, {
        'src/a.ts': "// noqa-style comments are banned here\nclass C { #noqaCount = 0; #nolint = 1 }\nconst u = 'https://x/#nolint';\nconst s = \"// @ts-ignore\";\n/**\n * @ts-ignore is forbidden in this file\n */\n",
        'app/calc.py': 'url = "http://x/#noqa"\ny = 1  // 2  # a comment, not // @ts-ignore\n',
        'test/a.test.ts': 'it("rejects", () => {\n  // @ts-expect-error a number is not accepted\n  f(1);\n});\n',
      });
      expect(out.stdout).toBe('');
      expect(out.code, out.stderr).toBe(0);
    }));
});
