import { tmpdir } from 'node:os';

// How a guard without a `failures:` pattern names its failures: every output line that reads like a
// failure, with what changes from run to run for the same failure (positions, durations, counts, hex
// addresses, temporary paths, timestamps) taken out, so the same failure on two runs has one id.
// Numbers that are not of those kinds stay ("expected 2 to be 3", "test 4"): removing them would let a
// new failure pass for an old one.

// Words and marks of a line that reports a failure (matched after ANSI codes are removed).
const FAILURE_WORDS =
  /\b(?:errors?|err!|fail(?:s|ed|ing|ures?)?|fatal|panic(?:ked)?|exception|traceback|assert(?:ion)?(?:error)?|not ok|segmentation fault|cannot|can't|could not|unable to|undefined reference|unresolved|missing|invalid|denied|refused|timed? ?out|expected)\b/i;
const FAILURE_MARKS = /^\s*(?:[✗×✖✘❌⨯●]|FAIL\b|E {2,}|F )/;
// An error's class name: TypeError, SyntaxError, ZeroDivisionError, NullPointerException.
const ERROR_CLASS = /[a-z](?:Error|Exception)\b/;
// Lines that mention failure words but are no failure: a passing test's line, a stack frame, a code
// frame (`> 5 | …`, `  5| …`) and a TAP/YAML detail key.
const NOT_A_FAILURE = /^\s*(?:[✓✔√]|ok \d|PASS\b|at [\w$.<[]|at file:|>?\s*\d+\s*\||duration_ms:|(?:location|stack|code|name|operator|failureType):)/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Temporary directories: /tmp/<one name>, macOS's per-user /var/folders/…/T/<name>, Windows' %TEMP%\<name>,
// and this machine's os.tmpdir() when it is elsewhere. The first name under them is what differs per run.
function tempPaths(): RegExp {
  const roots = ['/tmp', '(?:/private)?/var/folders/[^/\\s]+/[^/\\s]+/T', '[A-Za-z]:\\\\Users\\\\[^\\\\\\s]+\\\\AppData\\\\Local\\\\Temp'];
  const here = tmpdir().replace(/[\\/]+$/, '');
  if (here && !['/tmp', ''].includes(here) && !here.startsWith('/var/folders/') && !here.startsWith('/private/var/folders/')) roots.push(escape(here));
  return new RegExp(`(?:${roots.join('|')})[\\\\/][^\\\\/\\s'"\`)\\]:,]+`, 'g');
}
const TEMP_PATHS = tempPaths();

// Whether one line (ANSI codes removed) reads like a report of a failure. A temporary directory's name
// ("/tmp/…-failures-1/") says nothing about the line.
export function looksLikeFailure(line: string): boolean {
  if (NOT_A_FAILURE.test(line)) return false;
  const text = line.replace(TEMP_PATHS, '<tmp>');
  return FAILURE_MARKS.test(text) || FAILURE_WORDS.test(text) || ERROR_CLASS.test(text);
}

// Each rewrite, in order: earlier ones remove what later ones would misread (a timestamp's "12:30:05" is
// not a position). The units of a duration are not followed by a letter ("5m" yes, "5 matches" no).
const REWRITES: Array<[RegExp, string]> = [
  // Timestamps: ISO 8601 dates with a time, then clock times.
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>'],
  [TEMP_PATHS, '<tmp>'],
  // Hex: 0x addresses, UUIDs, and runs of 8+ hex digits holding a digit and a letter (hashes, object ids).
  [/\b0x[0-9a-f]+\b/gi, '0x'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // Positions: file(12,5), file:12:5, file:12, "line 12, column 5", "Ln 12, Col 5".
  [/\(\d+,\s*\d+\)/g, ''],
  [/(?<=[\w.)\]'"])(?::\d+)+(?![\w.])/g, ''],
  [/\b(line|ln|col|column|row|offset|position|pos)\s*:?\s*\d+/gi, '$1'],
  // Durations, alone or in a sequence ("1m 2.5s", "12ms", "(0.3 s)").
  [/(?<![\w.])\d+(?:\.\d+)?\s?(?:ms|µs|us|ns|s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?)(?![A-Za-z])/g, ''],
  [/\b(duration(?:_ms)?|elapsed|took|time)(\s*[:=]?\s*)[\d.]+/gi, '$1$2'],
  // Counts: "3 failed", "2 errors", "Tests 3", TAP's "# fail 3", "(7)", "[1/3]", "[ 66%]", TAP's "not ok 4 -", "(node:1234)".
  [/\b\d+\s+(?=(?:failed|fail(?:ures?|ing)|passed|passing|pass|errors?|warnings?|problems?|tests?|suites?|skipped|pending|todo|files?|subtests?|assertions?|snapshots?|total|more)\b)/gi, ''],
  [/\b(tests|errors|failures|problems|suites|files|warnings|fail|pass|cancelled|skipped|todo)(\s*:?\s*)\d+\b/gi, '$1$2'],
  [/\(\s*\d+\s*\)/g, '()'],
  [/\[\s*\d+\s*\/\s*\d+\s*\]/g, '[]'],
  [/\[\s*\d+%\s*\]/g, '[]'],
  [/^(\s*(?:not )?ok)\s+\d+\b/gi, '$1'],
  [/\b(node|pid|PID|process)([:\s=]+)\d+\b/g, '$1'],
];

// A failure line as the same failure reads on every run (see REWRITES), its spaces collapsed.
export function normalizeFailureLine(line: string): string {
  let text = line;
  for (const [pattern, to] of REWRITES) text = text.replace(pattern, to);
  return text.replace(/\s+/g, ' ').trim();
}
