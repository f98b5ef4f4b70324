// Wording of Φ, the filter of `guardloop extract`: a malformed `--where` expression (WhereSyntaxError,
// pointing at its column) and a bad `--policy` or policy option (PolicyError). Each names the fix.

// The example every `--where` error ends with: the issue's own expression.
export const WHERE_EXAMPLE = 'refinement and (source=GENERATOR or retry>=3) and not guard=lint';

// What a `--where` parser expected where it stopped (WhereSyntaxError's data.expected).
// A condition was due: at the start, after and/or/not, after '('.
export const EXPECT_CONDITION = 'a condition (a field compared with a value, such as status=ACCEPTED or retry>=3, or refinement alone)';
// A field name stood where a condition was due, but not one Φ knows.
export function expectField(fields: readonly string[]): string {
  return `a field (${fields.join(', ')})`;
}
// A field stood alone, with no operator after it.
export const EXPECT_OPERATOR = 'an operator after the field: =, !=, <, <=, > or >=';
// An ordering operator (<, >, …) on a field compared by equality only.
export function expectEquality(field: string): string {
  return `= or != (${field} is compared by equality only; < <= > >= work on retry and ts)`;
}
// The operator had nothing after it.
export const EXPECT_VALUE = 'a value after the operator: a word such as ACCEPTED, or a quoted string';
// A value outside a closed set (status, source, hook, layer).
export function expectChoice(field: string, choices: readonly string[]): string {
  return `a ${field} (${choices.join(', ')})`;
}
// retry compared with something that is not a whole number.
export const EXPECT_RETRY = 'a whole number for retry (0 for a first attempt), such as retry>=3';
// ts compared with something that is neither a date nor a duration.
export const EXPECT_TS = 'an ISO date or date-time (2026-01-31, 2026-01-31T12:00:00Z; UTC without an offset) or a duration back from now (30m, 12h, 7d, 2w) for ts';
// refinement compared with something other than true/false.
export const EXPECT_BOOLEAN = 'true or false for refinement (or refinement alone, or not refinement)';
// A '(' was never closed.
export function expectCloseParen(openColumn: number): string {
  return `')' to close the '(' at column ${openColumn}`;
}
// A complete condition was followed by something that joins nothing (or a stray ')').
export const EXPECT_CONNECTIVE = "and, or, ')' after an open '(', or the end of the expression";
// A quoted string ran to the end of the expression.
export function expectClosingQuote(quote: string): string {
  return `a closing ${quote} for the string that starts here`;
}
// A character that is no part of the language.
export const EXPECT_TOKEN = 'a field, a value, an operator (= != < <= > >=), a parenthesis or a quoted string';
// A '!' not followed by '='.
export const EXPECT_NOT_EQUAL = '!= (negation is the word not, as in: not guard=lint)';
// A '&' or '|' where the word and/or was meant.
export function expectWord(word: 'and' | 'or'): string {
  return `the word ${word} (the words and, or, not join conditions; && and || are not part of --where)`;
}

// Quotes an expression for a shell command line.
function shellQuote(expr: string): string {
  if (!expr.includes('"')) return `"${expr}"`;
  if (!expr.includes("'")) return `'${expr}'`;
  return `"${expr.replace(/["\\$`]/g, '\\$&')}"`;
}

// `--where EXPR` is malformed (WhereSyntaxError): the expression with a caret under `column`, what
// was expected there and what was found (`got` null: the expression ended; undefined: nothing to
// name), and the fix — the expression corrected when a near word was meant, else a valid example.
export function whereInvalid(expr: string, column: number, expected: string, got: string | null | undefined, corrected?: { word: string; expr: string }): string {
  const found = got === undefined ? '' : got === null ? '; the expression ends there' : `; found ${got}`;
  const shown = expr.replace(/[\t\n\r]/g, ' ');
  const fix = corrected
    ? `Did you mean ${corrected.word}? Run it as: --where ${shellQuote(corrected.expr)}`
    : `Conditions are field OP value (or refinement alone), joined with and, or, not and parentheses; for example: --where ${shellQuote(WHERE_EXAMPLE)}`;
  return `--where: invalid expression at column ${column}: expected ${expected}${found}.\n  ${shown}\n  ${' '.repeat(Math.max(0, column - 1))}^\n${fix}`;
}

// `--policy` named no policy guardloop has (PolicyError).
export function unknownPolicy(name: string, known: readonly string[], suggestion: string | undefined): string {
  const fix = suggestion ? `Did you mean ${suggestion}? Run: guardloop extract --policy ${suggestion}` : `Example: guardloop extract --policy ${known[0]}`;
  return `--policy expects one of ${known.join(', ')}; got '${name}'. ${fix}`;
}

// `--policy recent` without `--since` (PolicyError): recent keeps the refinements after a date.
export const POLICY_NEEDS_SINCE = '--policy recent keeps the refinements recorded at or after --since, and no --since was given. Add one, a date or a duration back from now: guardloop extract --policy recent --since 7d (or --since 2026-01-31).';

// `--min-retry` is not a whole number of at least 1 (PolicyError).
export function invalidMinRetry(value: unknown): string {
  return `--min-retry expects a whole number of 1 or more (the attempts a chain needed before it was accepted), got '${String(value)}'. Example: guardloop extract --policy high-value --min-retry 3`;
}

// `--since` given to the policies as a time that is no time (PolicyError).
export function invalidPolicySince(value: unknown): string {
  return `--since expects a date such as 2026-01-31 or 2026-01-31T12:00:00Z, or a duration such as 7d or 12h, got '${String(value)}'. Example: guardloop extract --policy recent --since 7d`;
}

// parseWhere was called with something other than a string (a caller's bug, not a user's).
export function whereNotAString(value: unknown): string {
  return `parseWhere expects the --where expression as a string, got ${typeof value}. Pass the option's text as it is, e.g. parseWhere('refinement and retry>=3').`;
}
