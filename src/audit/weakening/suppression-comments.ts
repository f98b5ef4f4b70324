import { suppressionAdded } from '../../messages/checks.js';
import { isSource } from './file-kinds.js';
import type { Finding, WeakeningCheck } from './finding.js';

// Directives that switch a checker off, as they start a comment: TypeScript, ESLint and other
// linters, mypy and flake8, golangci-lint, pylint, Biome, Deno, ShellCheck, RuboCop, and coverage tools.
const DIRECTIVE =
  /@ts-ignore|@ts-expect-error|@ts-nocheck|(?:es|ox|ts)lint[-:]disable(?:-next-line|-line)?|type:\s*ignore|noqa|nolint|pylint:\s*disable|biome-ignore|deno-lint-ignore|shellcheck\s+disable|rubocop:\s*disable|(?:istanbul|c8|v8)\s+ignore|pragma:\s*no\s*cover/;

// A comment opener (`//`, `/*`, `#`, `--`, a block comment's `*` line), then the directive right after it.
const COMMENTED = new RegExp(`(?://+|/\\*+|#+|--|^\\s*\\*+|<!--)\\s*(${DIRECTIVE.source})`);

// The suppression directive a line adds in a comment, or null (a directive named inside a string or
// in prose is not one).
export function suppressionIn(text: string): string | null {
  const m = COMMENTED.exec(text);
  return m ? m[1] : null;
}

// no-suppression-comments: a comment that suppresses a type, lint or coverage check on an added line of source.
export const suppressionCommentsCheck: WeakeningCheck = {
  name: 'no-suppression-comments',
  run(diff) {
    const findings: Finding[] = [];
    for (const file of diff.files) {
      if (!file.newPath || !isSource(file.newPath) || file.binary) continue;
      for (const added of file.added) {
        const directive = suppressionIn(added.text);
        if (directive) findings.push({ path: file.newPath, line: added.line, message: suppressionAdded(directive) });
      }
    }
    return findings;
  },
};
