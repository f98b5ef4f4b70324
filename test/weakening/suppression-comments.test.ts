import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { checkCandidate, commitBase, findingPlaces } from './helpers.js';

const CHECK = 'no-suppression-comments';

describe('guardloop check no-suppression-comments', () => {
  it('fails on each suppression comment added to source, tests included: @ts-ignore, @ts-expect-error, eslint-disable, type: ignore, noqa, nolint', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, { 'src/a.ts': 'export const a: number = 1;\n', 'app/calc.py': 'def add(a, b):\n    return a + b\n' });
      const out = await checkCandidate(repo, CHECK, {
        'src/a.ts': '// @ts-ignore\nexport const a: number = "1";\n/* eslint-disable no-console */\nconsole.log(a);\n',
        'test/a.test.ts': 'it("x", () => {\n  // @ts-expect-error wrong type on purpose\n  f(1);\n});\n',
        'app/calc.py': 'def add(a, b):\n    return a + b  # type: ignore[operator]\nimport os  # noqa: F401\n',
        'cmd/main.go': 'package main\n\nfunc main() {\n\tf() //nolint:errcheck\n}\n',
      });
      expect(out.code, out.stderr).toBe(1);
      expect(findingPlaces(out)).toEqual(['app/calc.py:2', 'app/calc.py:3', 'cmd/main.go:4', 'src/a.ts:1', 'src/a.ts:3', 'test/a.test.ts:2']);
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
