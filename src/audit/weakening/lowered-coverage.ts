import picomatch from 'picomatch';
import { globOptions } from '../../config/glob-check.js';
import { coverageLowered } from '../../messages/checks.js';
import type { Finding, WeakeningCheck } from './finding.js';

// Files that set coverage thresholds: Vitest/Vite and Jest configs (`vitest.config.ts`, `vitest.e2e.config.ts`,
// `vitest.config.e2e.ts` …), package.json (jest, c8, nyc keys and scripts), nyc and c8 rc files, and
// coverage.py's places (pyproject, .coveragerc, setup.cfg, tox.ini, pytest.ini). The no-lowered-coverage
// guard of guards/no-test-weakening.yaml has the same list as its `files`, matched the same way.
export const COVERAGE_CONFIG_GLOBS = [
  'vitest.config.*', 'vitest.*.config.*', 'vite.config.*', 'vite.*.config.*', 'vitest.workspace.*',
  'jest.config.*', 'jest.*.config.*', 'nyc.config.*', 'package.json', '.nycrc', '.nycrc.*', '.c8rc', '.c8rc.json',
  'pyproject.toml', '.coveragerc', 'setup.cfg', 'tox.ini', 'pytest.ini',
];
const coverageMatchers = COVERAGE_CONFIG_GLOBS.map((glob) => picomatch(glob, globOptions(glob)));

// A threshold as a key and a number: `lines: 90`, `"branches": 80`, `fail_under = 90`, and as a command-line
// flag `--lines 90`, `--fail-under=90`, `--cov-fail-under=90`; `check-coverage`/`checkCoverage` true counts as 1.
const NUM = '-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?';
const NUMBER = new RegExp(`["']?(?<![-\\w])(lines|statements|functions|branches|fail_under|fail-under|cov-fail-under)["']?\\s*[:=]\\s*(${NUM})`, 'g');
const FLAG = new RegExp(`--(lines|statements|functions|branches|fail-under|cov-fail-under)[= ](${NUM})`, 'g');
const SWITCH = /["']?\b(check-coverage|checkCoverage)["']?\s*[:=]\s*(true|false)|--(check-coverage)\b(?!\s*[:=]|-)/g;

interface Threshold {
  // The key threshold pairs are matched by (dashes as underscores), and the name as written.
  key: string;
  name: string;
  value: string;
  line: number;
}

// Is this one of the files that set coverage thresholds?
export function isCoverageConfig(path: string): boolean {
  return coverageMatchers.some((m) => m(path));
}

// The thresholds a line sets, in the order written.
export function thresholdsIn(text: string, line: number): Threshold[] {
  const found: Array<Threshold & { index: number }> = [];
  for (const m of text.matchAll(NUMBER)) found.push({ key: m[1].replace(/-/g, '_'), name: m[1], value: m[2], line, index: m.index });
  for (const m of text.matchAll(FLAG)) found.push({ key: m[1].replace(/-/g, '_'), name: `--${m[1]}`, value: m[2], line, index: m.index });
  for (const m of text.matchAll(SWITCH)) found.push({ key: 'check_coverage', name: m[1] ?? `--${m[3]}`, value: m[2] ?? 'true', line, index: m.index });
  return found.sort((a, b) => a.index - b.index).map(({ index: _, ...t }) => t);
}

const numeric = (value: string): number => (value === 'true' ? 1 : value === 'false' ? 0 : Number(value));
// A threshold as the finding prints it: the number it means (`9e1` is 90), a switch as written.
const shown = (value: string): string => (value === 'true' || value === 'false' ? value : String(Number(value)));

// no-lowered-coverage: a threshold the diff removes comes back lower, or doesn't come back (paired by
// key, in the order written, within each coverage config file).
export const loweredCoverageCheck: WeakeningCheck = {
  name: 'no-lowered-coverage',
  run(diff) {
    const findings: Finding[] = [];
    for (const file of diff.files) {
      if (!file.oldPath || !isCoverageConfig(file.oldPath) || file.binary) continue;
      const before = file.removed.flatMap((l) => thresholdsIn(l.text, l.at));
      const after = file.added.flatMap((l) => thresholdsIn(l.text, l.line));
      const path = file.newPath ?? file.oldPath;
      for (const key of new Set(before.map((t) => t.key))) {
        const was = before.filter((t) => t.key === key);
        const now = after.filter((t) => t.key === key);
        was.forEach((old, i) => {
          const next = now[i];
          if (!next) findings.push({ path, line: old.line, message: coverageLowered(old.name, shown(old.value), null) });
          else if (numeric(next.value) < numeric(old.value)) findings.push({ path, line: next.line, message: coverageLowered(old.name, shown(old.value), shown(next.value)) });
        });
      }
    }
    return findings;
  },
};
