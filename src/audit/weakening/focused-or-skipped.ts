import { focusedOrSkipped, testRenamedUncollected } from '../../messages/checks.js';
import { codePart, commentStyle, inString } from './code-text.js';
import { isTestFile } from './file-kinds.js';
import type { Finding, WeakeningCheck } from './finding.js';
import type { DiffFile } from './parse-diff.js';
import { blobAt } from './read-diff.js';

// One way to focus or skip a test: the pattern and the marker it names (as the finding shows it); `todo`
// markers count only in a file the base had (a new file of `it.todo` placeholders skips nothing); `goSkip`
// is Go's `t.Skip(`, which `testing.Short()` on the line before makes a short-mode switch.
interface Marker {
  re: RegExp;
  name: (m: RegExpExecArray) => string;
  todo?: (m: RegExpExecArray) => boolean;
  goSkip?: boolean;
}

const TEST_API = '(?<![\\w$.])(?:it|test|describe|suite|context|specify|bench)(?:\\.\\w+)*';
const bare = (m: RegExpExecArray): string => m[0].replace(/\s+/g, '');

// What focuses or skips a test, per framework: Jest/Vitest/Mocha/Jasmine/node:test/Deno (`it.only`,
// `describe.skip`, `it.skipIf(…)(`, `it['skip']`, `xit(`, `fit.each`, `{ skip: true }`), pytest and unittest,
// Go's testing package, JUnit, Rust. Each is looked for in a line's code (comments and strings don't count).
const MARKERS: Marker[] = [
  { re: new RegExp(`${TEST_API}\\.(only|skip|todo|skipIf|runIf)\\b`, 'g'), name: bare, todo: (m) => m[1] === 'todo' },
  { re: /(?<![\w$.])Deno\.test\.(?:only|ignore)\b/g, name: bare },
  { re: new RegExp(`${TEST_API}\\[\\s*(['"\`])(only|skip|todo|skipIf|runIf)\\1\\s*\\]`, 'g'), name: bare, todo: (m) => m[2] === 'todo' },
  { re: /(?<![\w$.])(xit|xdescribe|xtest|xcontext|xspecify|xsuite|fit|fdescribe|fcontext)(?:\s*\(\s*['"`]|\.each\b)/g, name: (m) => (m[0].endsWith('.each') ? `${m[1]}.each` : `${m[1]}(`) },
  {
    re: new RegExp(`${TEST_API}\\s*\\(.*?[{,]\\s*(skip|todo|only)\\s*:\\s*(true|(['"\`])(?:\\\\.|(?!\\3).)*\\3)`, 'g'),
    name: (m) => `{ ${m[1]}: ${m[2]} }`,
    todo: (m) => m[1] === 'todo',
  },
  { re: /@pytest\.mark\.(?:skip(?:if)?|xfail)\b/g, name: bare },
  { re: /\bpytestmark\s*=.*?\bpytest\.mark\.(skip(?:if)?|xfail)\b/g, name: (m) => `pytestmark = pytest.mark.${m[1]}` },
  { re: /\bpytest\.skip\s*\(/g, name: bare },
  { re: /\bself\.skipTest\s*\(/g, name: bare },
  { re: /@unittest\.(?:skip(?:If|Unless)?|expectedFailure)\b/g, name: bare },
  { re: /\b[tb]\.Skip(?:f|Now)?\s*\(/g, name: bare, goSkip: true },
  { re: /@(?:Disabled|Ignore)\b/g, name: bare },
  { re: /#\[ignore\b[^\]]*\]/g, name: () => '#[ignore]' },
];

// The first focus or skip marker in a line's code, or null.
export function skipMarker(text: string, path = 'x.test.ts'): { marker: string; todo: boolean; goSkip: boolean } | null {
  const code = codePart(text, commentStyle(path));
  for (const { re, name, todo, goSkip } of MARKERS) {
    re.lastIndex = 0;
    for (let m = re.exec(code); m; m = re.exec(code)) {
      if (!inString(code, m.index)) return { marker: name(m), todo: todo?.(m) ?? false, goSkip: goSkip ?? false };
    }
  }
  return null;
}

// A test function's declaration: pytest's `def test_x(`, Go's `func TestX(` (the name test runners collect),
// and any function declaration of those languages (where a renamed test lands).
const PY_DEF = /^\s*(?:async\s+)?def\s+(\w+)\s*\(/;
const GO_FUNC = /^\s*func\s+(\w+)\s*\(/;
const collected = (name: string, go: boolean): boolean => (go ? /^Test(?![a-z])/.test(name) : /^test/.test(name));
const stem = (name: string): string => name.replace(/^_+/, '').replace(/^test_?/i, '').toLowerCase();

// Tests the diff renames so the runner no longer collects them (`def test_x` → `def _test_x`, `func TestX` →
// `func testX`): a removed declaration of a test whose name, the prefix changed, an added declaration has.
function renamedTests(file: DiffFile, path: string): Finding[] {
  const go = path.endsWith('.go');
  const decl = go ? GO_FUNC : /\.pyi?$/.test(path) ? PY_DEF : null;
  if (!decl) return [];
  const addedNames = file.added.flatMap((l) => {
    const m = decl.exec(l.text);
    return m ? [{ name: m[1], line: l.line }] : [];
  });
  const findings: Finding[] = [];
  for (const removed of file.removed) {
    const from = decl.exec(removed.text)?.[1];
    if (!from || !collected(from, go) || !stem(from) || addedNames.some((a) => a.name === from)) continue;
    const to = addedNames.find((a) => !collected(a.name, go) && stem(a.name) === stem(from));
    if (to) findings.push({ path, line: to.line, message: testRenamedUncollected(from, to.name) });
  }
  return findings;
}

// Does `testing.Short()` guard this Go line (on it, or on the previous non-blank line of the candidate's file)?
function shortModeGuard(lines: string[], line: number): boolean {
  if (lines[line - 1]?.includes('testing.Short()')) return true;
  for (let i = line - 2; i >= 0; i--) if (lines[i].trim()) return lines[i].includes('testing.Short()');
  return false;
}

// no-focused-or-skipped-tests: a focus or skip marker on an added line of a test file, a `//go:build` line
// added to a Go test file, or a test renamed so that its runner no longer collects it.
export const focusedOrSkippedCheck: WeakeningCheck = {
  name: 'no-focused-or-skipped-tests',
  async run(diff) {
    const findings: Finding[] = [];
    for (const file of diff.files) {
      if (!file.newPath || file.binary || !isTestFile(file.newPath)) continue;
      const path = file.newPath;
      const fileFindings: Finding[] = [];
      let candidate: string[] | null = null;
      for (const added of file.added) {
        if (path.endsWith('_test.go') && /^\s*\/\/go:build\b/.test(added.text) && (file.oldPath || /\bignore\b/.test(added.text))) {
          fileFindings.push({ path, line: added.line, message: focusedOrSkipped(added.text.trim()) });
          continue;
        }
        const found = skipMarker(added.text, path);
        if (!found || (found.todo && !file.oldPath)) continue;
        if (found.goSkip) {
          candidate ??= ((await blobAt(diff, diff.tree, path)) ?? '').split('\n');
          if (shortModeGuard(candidate, added.line)) continue;
        }
        fileFindings.push({ path, line: added.line, message: focusedOrSkipped(found.marker) });
      }
      if (file.oldPath) fileFindings.push(...renamedTests(file, path));
      findings.push(...fileFindings.sort((a, b) => a.line - b.line));
    }
    return findings;
  },
};
