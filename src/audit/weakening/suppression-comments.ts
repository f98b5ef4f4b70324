import { suppressionAdded } from '../../messages/checks.js';
import { commentStart, commentStyle, type CommentStyle } from './code-text.js';
import { isSource, isTestFile } from './file-kinds.js';
import type { Finding, WeakeningCheck } from './finding.js';

// Directives that switch a checker off, as they start a comment: TypeScript, ESLint (and a rule switched
// off inline, `eslint no-console: off`) and other linters, mypy, pyright, ruff and flake8, golangci-lint
// and staticcheck, pylint, Biome, Deno, ShellCheck, RuboCop, and coverage tools. A directive ends at a word
// boundary that is not `-` (`noqa-style` is a word, not a directive).
const DIRECTIVE =
  /(?:@ts-ignore|@ts-expect-error|@ts-nocheck|(?:es|ox|ts)lint[-:]disable(?:-next-line|-line)?|eslint\s+["']?[@\w/-]+["']?\s*:\s*["']?(?:off|0)\b|type:\s*ignore|(?:ruff|flake8):\s*noqa|noqa|mypy:\s*ignore-errors|pyright:\s*ignore|nolint|lint:(?:file-)?ignore|pylint:\s*disable|biome-ignore|deno-lint-ignore|shellcheck\s+disable|rubocop:\s*disable|(?:istanbul|c8|v8)\s+ignore|pragma:\s*no\s*cover)(?![\w-])/;

// The openers of the file's language that can start a directive comment (JSX's `{/*` is `/*`).
function openers(style: CommentStyle): RegExp {
  const parts: string[] = [];
  if (style.slash) parts.push('//+', '/\\*+');
  if (style.hash) parts.push('#+');
  if (style.dashes) parts.push('--');
  if (style.html) parts.push('<!--');
  return new RegExp(`(?:${parts.join('|')})\\s*(${DIRECTIVE.source})`, 'g');
}

// The suppression directive a line adds in a comment, or null: it must come right after a comment opener
// of the file's language, on the line's comment (not inside a string, not a block comment's `*` continuation
// line, where a directive is prose).
export function suppressionIn(text: string, path: string): string | null {
  const style = commentStyle(path);
  if (style.slash && /^\s*\*/.test(text)) return null;
  const start = commentStart(text, style);
  if (start < 0) return null;
  const re = openers(style);
  re.lastIndex = start;
  const m = re.exec(text);
  return m ? m[1].replace(/\s+/g, ' ') : null;
}

// no-suppression-comments: a comment that suppresses a type, lint or coverage check on an added line of
// source. `@ts-expect-error` in a test file is the idiom for testing that a call is rejected: allowed.
export const suppressionCommentsCheck: WeakeningCheck = {
  name: 'no-suppression-comments',
  run(diff) {
    const findings: Finding[] = [];
    for (const file of diff.files) {
      if (!file.newPath || !isSource(file.newPath) || file.binary) continue;
      const path = file.newPath;
      const test = isTestFile(path);
      for (const added of file.added) {
        const directive = suppressionIn(added.text, path);
        if (!directive || (test && directive === '@ts-expect-error')) continue;
        findings.push({ path, line: added.line, message: suppressionAdded(directive) });
      }
    }
    return findings;
  },
};
