// The problems of a guard's `failures:` pattern (src/engine/failures.ts checkFailurePattern), shown by the
// config loader after the file, line and guard they belong to; each ends with what to change.

// A `failures:` pattern that is empty or only spaces.
export const FAILURE_PATTERN_EMPTY =
  'the `failures:` pattern is empty: write a JavaScript regular expression whose match names one failure, e.g. \'^FAILED (\\S+)\', or remove the key to let guardloop normalize the output itself';

// A `failures:` pattern JavaScript can't compile; `reason` is the engine's own words.
export function failurePatternInvalid(reason: string): string {
  return `the \`failures:\` pattern is not a valid JavaScript regular expression (${reason}): escape the characters meant literally with a backslash and single-quote the pattern in YAML so the backslashes are kept, e.g. '^FAILED (\\S+)'`;
}

// A `failures:` pattern that matches the empty string, so it names no failure or a blank one.
export const FAILURE_PATTERN_MATCHES_EMPTY =
  'the `failures:` pattern matches the empty string, so every position of the output would be a failure: make at least one part of it required, e.g. replace a trailing `*` with `+`';

// A `failures:` pattern with a repeated group that itself repeats (`(a+)+`), which can take exponential time.
export function failurePatternBacktracks(part: string): string {
  return `the \`failures:\` pattern repeats a group that itself repeats (${part}), which can take minutes on a long output: drop the outer quantifier, or end the group with a character its inner part can't match (e.g. (?:.*\\n)*)`;
}
