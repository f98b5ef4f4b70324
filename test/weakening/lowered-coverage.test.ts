import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { checkCandidate, commitBase, findingPlaces } from './helpers.js';

const CHECK = 'no-lowered-coverage';
const VITEST = (lines: number, branches: number) =>
  `import { defineConfig } from "vitest/config";\n\nexport default defineConfig({\n  test: {\n    coverage: {\n      thresholds: { lines: ${lines}, branches: ${branches} },\n    },\n  },\n});\n`;
const PYPROJECT = (under: number) => `[project]\nname = "calc"\n\n[tool.coverage.report]\nfail_under = ${under}\nshow_missing = true\n`;

describe('guardloop check no-lowered-coverage', () => {
  it('fails on thresholds lowered in vitest.config, jest in package.json, pyproject and a c8 script, and on .nycrc thresholds removed', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'vitest.config.ts': VITEST(90, 80),
        'pyproject.toml': PYPROJECT(90),
        '.nycrc.json': '{\n  "check-coverage": true,\n  "branches": 80\n}\n',
        'package.json': '{\n  "scripts": { "cover": "c8 --check-coverage --lines 95 vitest run" },\n  "jest": { "coverageThreshold": { "global": { "statements": 85 } } }\n}\n',
      });
      const out = await checkCandidate(repo, CHECK, {
        'vitest.config.ts': VITEST(70, 80),
        'pyproject.toml': PYPROJECT(85.5),
        '.nycrc.json': '{\n}\n',
        'package.json': '{\n  "scripts": { "cover": "c8 --check-coverage --lines 60 vitest run" },\n  "jest": { "coverageThreshold": { "global": { "statements": 84 } } }\n}\n',
      });
      expect(out.code, out.stderr).toBe(1);
      expect(findingPlaces(out)).toEqual(['.nycrc.json:1', '.nycrc.json:1', 'package.json:2', 'package.json:3', 'pyproject.toml:5', 'vitest.config.ts:6']);
      expect(out.stdout).toContain('vitest.config.ts:6: lowers the coverage threshold "lines" from 90 to 70 — less of the code must be tested for the suite to pass; keep it at 90 and add tests for the code that is not covered.');
      expect(out.stdout).toContain('pyproject.toml:5: lowers the coverage threshold "fail_under" from 90 to 85.5');
      expect(out.stdout).toContain('.nycrc.json:1: removes the coverage threshold "check-coverage" (was true)');
      expect(out.stdout).toContain('.nycrc.json:1: removes the coverage threshold "branches" (was 80)');
      expect(out.stdout).toContain('package.json:2: lowers the coverage threshold "--lines" from 95 to 60');
      expect(out.stdout).toContain('package.json:3: lowers the coverage threshold "statements" from 85 to 84');
    }));

  it('passes on near misses: a threshold raised, an unrelated edit beside it, a "lines" number lowered in a file that sets no coverage', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'vitest.config.ts': VITEST(80, 80),
        'pyproject.toml': PYPROJECT(90),
        'src/layout.ts': 'export const grid = { lines: 12, columns: 4 };\n',
      });
      const out = await checkCandidate(repo, CHECK, {
        'vitest.config.ts': VITEST(95, 80),
        'pyproject.toml': PYPROJECT(90).replace('show_missing = true', 'show_missing = false'),
        'src/layout.ts': 'export const grid = { lines: 8, columns: 4 };\n',
      });
      expect(out.stdout).toBe('');
      expect(out.code, out.stderr).toBe(0);
    }));
});

describe('guardloop check no-lowered-coverage: the guard’s files', () => {
  it('reads the configs its guard’s `files` name (vitest.config.e2e.ts, vitest.e2e.config.ts, jest.unit.config.js) and prints thresholds as numbers (9e1 is 90)', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'vitest.config.e2e.ts': VITEST(90, 80).replace('lines: 90', 'statements: 9e1'),
        'vitest.e2e.config.ts': VITEST(90, 80),
        'jest.unit.config.js': 'module.exports = { coverageThreshold: { global: { lines: 80 } } };\n',
      });
      const out = await checkCandidate(repo, CHECK, {
        'vitest.config.e2e.ts': VITEST(90, 80).replace('lines: 90', 'statements: 8.5e1'),
        'vitest.e2e.config.ts': VITEST(50, 80),
        'jest.unit.config.js': 'module.exports = { coverageThreshold: { global: { lines: 0 } } };\n',
      });
      expect(findingPlaces(out)).toEqual(['jest.unit.config.js:1', 'vitest.config.e2e.ts:6', 'vitest.e2e.config.ts:6']);
      expect(out.stdout).toContain('vitest.config.e2e.ts:6: lowers the coverage threshold "statements" from 90 to 85 —');
      expect(out.code, out.stderr).toBe(1);
    }));
});
