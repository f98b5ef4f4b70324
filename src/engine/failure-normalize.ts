import { tmpdir } from 'node:os';

// How a guard without a `failures:` pattern names its failures: every output line that reads like a
// failure, with what changes from run to run for the same failure (positions, durations, counts, hex
// addresses, temporary paths, timestamps, ports, random ids) taken out, so the same failure on two runs
// has one id. Numbers and names that are not of those kinds stay ("expected 2 to be 3", "test 4",
// `getUser`, `TS2322`, `Float32Array`): removing them would let a new failure pass for an old one.

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

// Temporary directories: /tmp/<one name>, /var/tmp/<name>, macOS's per-user /var/folders/…/T/<name>,
// Windows' %TEMP%\<name>, and this machine's os.tmpdir() when it is elsewhere. The first name under them is
// what differs per run; under pytest's base (`pytest-of-<user>/pytest-<n>`, n counting up per run) the
// first two. Only where a path starts (`/tmp` of `src/tmp/a.js`, `./tmp/`, `~/tmp/` is a project's folder,
// whose files are told apart).
function tempPaths(): RegExp {
  const roots = ['/tmp', '/var/tmp', '(?:/private)?/var/folders/[^/\\s]+/[^/\\s]+/T', '[A-Za-z]:\\\\Users\\\\[^\\\\\\s]+\\\\AppData\\\\Local\\\\Temp'];
  const here = tmpdir().replace(/[\\/]+$/, '');
  if (here && !['/tmp', ''].includes(here) && !here.startsWith('/var/folders/') && !here.startsWith('/private/var/folders/')) roots.push(escape(here));
  const name = `[^\\\\/\\s'"\`)\\]:,]+`;
  return new RegExp(`(?<![\\w.~$-])(?:${roots.join('|')})[\\\\/](?:pytest-of-${name}[\\\\/]pytest-\\d+(?![^\\\\/\\s'"\`)\\]:,])|${name})`, 'g');
}
const TEMP_PATHS = tempPaths();

// Whether one line (ANSI codes removed) reads like a report of a failure. A temporary directory's name
// ("/tmp/…-failures-1/") says nothing about the line.
export function looksLikeFailure(line: string): boolean {
  if (NOT_A_FAILURE.test(line)) return false;
  const text = line.replace(TEMP_PATHS, '<tmp>');
  return FAILURE_MARKS.test(text) || FAILURE_WORDS.test(text) || ERROR_CLASS.test(text);
}

// JavaScript's Date#toString ("Mon May 01 2024 12:30:05 GMT+0000 (Coordinated Universal Time)") and
// toUTCString / HTTP's ("Mon, 01 May 2024 12:30:05 GMT"), the time and zone included when there.
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const JS_DATE = new RegExp(
  `\\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\\s+(?:${MONTH}\\s+\\d{1,2}|\\d{1,2}\\s+${MONTH})\\s+\\d{4}(?:\\s+\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s*(?:GMT|UTC)(?:[+-]\\d{4})?(?:\\s+\\([^)]*\\))?)?)?`,
  'g',
);

// A word with the `_` and `-` that join a nanoid's parts (`V1StGXR8_Z5jdHi6B-myT`): judged whole by randomToken.
const TOKENS = /(?<![\w-])(?=[\w-]{8})[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*(?![\w-])/g;

// The six characters mkdtemp puts after a prefix, as the last part of a name (`…/.cache/out-AbC3xZ/`),
// and what comes before a name in a path (looked for in the 200 characters before, see inPath).
const MKDTEMP_SUFFIX = /(?<=[-_.])[A-Za-z0-9]{6}(?=[\\/'"`\s:,.)\]]|$)/g;
const PATH_NAME = /[\\/][^\\/\s'"`]*$/;
const inPath = (text: string, at: number) => PATH_NAME.test(text.slice(Math.max(0, at - 200), at));

// The letter pairs common in names, by first letter: each pair found in 8 or more distinct words of the
// camelCase and snake_case identifiers in the type declarations of guardloop's dependencies (6,740 words).
// A random token's letters mostly pair otherwise (`xq`, `zj`, `vk`).
const COMMON_PAIRS: Record<string, string> = {
  a: 'bcdfgiklmnprstuvwxy', b: 'abceijlorstuy', c: 'acdehiklorstuy', d: 'adefgilmnorstuvy', e: 'abcdefghijlmnopqrstuvwxy',
  f: 'aefilorstuy', g: 'aeghilmnorsu', h: 'aehilmorstuy', i: 'abcdefgklmnopqrstuvxz', j: 'aeosu', k: 'aeilnost',
  l: 'abcdefilmopstuvy', m: 'abdeilmopsu', n: 'abcdefghijklmnoprstuvwy', o: 'abcdefgiklmnoprstuvwxy', p: 'adehiloprstuy',
  q: 'u', r: 'abcdefgiklmnoprstuvwy', s: 'acefhiklmnoprstuwy', t: 'acdefghilmnoprstuwy', u: 'abcdefgilmnoprst', v: 'aeio',
  w: 'aehilnors', x: 'aceipt', y: 'abcefilmnopstw', z: 'aeio',
};

// A word's letters and digits at a glance: how often it switches between a letter and a digit, its
// longest run of letters, how many letters, and the share of its letter pairs within one camelCase part
// (`getUser` pairs ge, et, us, se, er) that are not common in names (1 when its letters stand alone, `8d3k29f0`).
function shape(word: string): { switches: number; longest: number; letters: number; rare: number } {
  let switches = 0;
  let run = 0;
  let longest = 0;
  let letters = 0;
  let pairs = 0;
  let rare = 0;
  let prev = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    const lower = c >= 'a' && c <= 'z';
    const upper = c >= 'A' && c <= 'Z';
    if (!lower && !upper) {
      if (i > 0 && run > 0) switches++;
      run = 0;
      prev = '';
      continue;
    }
    if (i > 0 && run === 0) switches++;
    letters++;
    longest = Math.max(longest, ++run);
    // A pair within one part: a lower-case letter after a letter, or an upper-case one after an upper-case one.
    if (prev && (lower || (upper && prev >= 'A' && prev <= 'Z'))) {
      pairs++;
      if (!COMMON_PAIRS[prev.toLowerCase()]?.includes(c.toLowerCase())) rare++;
    }
    prev = c;
  }
  return { switches, longest, letters, rare: pairs ? rare / pairs : 1 };
}

// Whether one part of a word reads as random rather than as a name: 8 characters or more, two letters or
// more, and letters and digits mixed often, or mixed and spelled unlike names (base36 from
// Math.random().toString(36), nanoids, base62 tokens), or, without digits, 10 letters or more spelled
// unlike names. Measured on 3,000 random tokens of each kind: 90% of Math.random's base36 (11 characters),
// 94% of nanoids, 77% of 10-character base62 ones; of the 26,692 words of the dependencies' type
// declarations, 43, of which 15 names (pbkdf2Sync, secp256k1, RGBA16UI, uniformMatrix2x3fv, …) and the
// rest hashes and base64. Names stay: `TS2322`, `ES2022`, `Float32Array`, `getUser2ById`, `utf8mb4`,
// `XMLHttpRequest`, `getUserByIdAndName`, `step2of3Runner`.
function randomPart(part: string): boolean {
  if (part.length < 8) return false;
  const { switches, longest, letters, rare } = shape(part);
  if (letters < 2) return false;
  if (letters < part.length) return switches >= 6 || (switches >= 4 && (rare > 0 || longest <= 3)) || (switches >= 2 && rare >= 0.25) || (switches >= 1 && rare >= 0.4);
  return part.length >= 10 && rare >= 0.45;
}

// Whether a word (parts joined by `_` or `-`) holds a random part: the whole word is then one id.
export function randomToken(word: string): boolean {
  return word.split(/[_-]/).some(randomPart);
}

// Whether the six characters after a name's prefix in a path read as mkdtemp's (random letters of both
// cases and digits): not when their letters are of one case around one number (`button`, `BUTTON`,
// `v1beta`, `crc32c`, `WIN64A`), or read as capitalized words (`Button`, `ObjDir`, `Daemon2`). Of 2,000
// suffixes mkdtemp made, 93% are taken out; of the 1,633 folder names of that shape on the machine this
// was measured on, none that mkdtemp didn't make (`google-crc32c`, `linux-armv7l`, `appengine_v1beta`).
// (Exported for failure-paths.ts: a folder right under the guard's directory loses its path there.)
export function mkdtempSuffix(suffix: string): boolean {
  return !/^(?:[a-z]*\d*[a-z]*|[A-Z]*\d*[A-Z]*|[A-Z][a-z]*\d*[a-z]*|(?:[A-Z][a-z]{2,})+\d*)$/.test(suffix);
}

// Each rewrite, in order: earlier ones remove what later ones would misread (a timestamp's "12:30:05" is
// not a position). The units of a duration are not followed by a letter ("5m" yes, "5 matches" no).
// (A function is given the match, its offset and the whole text, as String#replace gives them.)
const REWRITES: Array<[RegExp, string | ((match: string, at: number, text: string) => string)]> = [
  // Timestamps: ISO 8601 dates with a time, JavaScript's and HTTP's dates ("Mon May 01 2024 12:30:05
  // GMT+0000 (Coordinated Universal Time)", "Mon, 01 May 2024 12:30:05 GMT"), clock times, then ISO and
  // locale dates alone (a date a test prints is today's, and the base's verdict may be from another day).
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [JS_DATE, '<time>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s?[AP]M\b)?\b/g, '<time>'],
  [/\b\d{4}-\d{2}-\d{2}\b/g, '<date>'],
  // Dates as toLocaleString() writes them: 12/2/2026 (en-US), 02/12/2026 (en-GB), 2.12.2026 (de-DE), 2026/12/02.
  [/\b\d{1,2}([/.])\d{1,2}\1\d{4}\b/g, '<date>'],
  [/\b\d{4}\/\d{1,2}\/\d{1,2}\b/g, '<date>'],
  [TEMP_PATHS, '<tmp>'],
  // Hex: 0x addresses, UUIDs, and runs of 8+ hex digits holding a digit and a letter (hashes, object ids).
  [/\b0x[0-9a-f]+\b/gi, '0x'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // Random ids that are not hex (see randomToken): base36 and base62 tokens, nanoids, a mkdtemp suffix
  // in a path; then Unix times in seconds or milliseconds (2017 to 2033).
  [TOKENS, (token) => (randomToken(token) ? '<id>' : token)],
  [MKDTEMP_SUFFIX, (suffix, at: number, text: string) => (mkdtempSuffix(suffix) && inPath(text, at) ? '<id>' : suffix)],
  [/(?<![\w.])1[5-9]\d{8}(?:\d{3})?(?:\.\d+)?(?![\w.])/g, '<time>'],
  // Ports: "port 50123", "port: 50123", an IPv6 address's ":::50123" or "[::1]:50123" (a host's ":50123" is a position below).
  [/\b(port)(\s*[:=]?\s*)\d{2,5}\b/gi, '$1$2'],
  [/(:::|\]:)\d{2,5}\b/g, '$1'],
  // Positions: file(12,5), file:12:5, file:12, "line 12, column 5", "Ln 12, Col 5".
  [/\(\d+,\s*\d+\)/g, ''],
  [/(?<=[\w.)\]'"])(?::\d+)+(?![\w.])/g, ''],
  [/\b(line|ln|col|column|row|offset|position|pos)\s*:?\s*\d+/gi, '$1'],
  // Durations, alone or in a sequence ("1m 2.5s", "12ms", "(0.3 s)").
  [/(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s?(?:ms|µs|us|ns|s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?)(?![A-Za-z])/g, ''],
  [/\b(duration(?:_ms)?|elapsed|took|time)(\s*[:=]?\s*)[\d.]+/gi, '$1$2'],
  // Counts: "3 failed", "2 errors", "Tests 3", TAP's "# fail 3", "(7)", "[1/3]", "[ 66%]", TAP's "not ok 4 -", "(node:1234)"
  // (not a version: "node 20.11.1" stays).
  [/\b\d+\s+(?=(?:failed|fail(?:ures?|ing)|passed|passing|pass|errors?|warnings?|problems?|tests?|suites?|skipped|pending|todo|files?|subtests?|assertions?|snapshots?|total|more)\b)/gi, ''],
  [/\b(tests|errors|failures|problems|suites|files|warnings|fail|pass|cancelled|skipped|todo)(\s*:?\s*)\d+\b/gi, '$1$2'],
  [/\(\s*\d+\s*\)/g, '()'],
  [/\[\s*\d+\s*\/\s*\d+\s*\]/g, '[]'],
  [/\[\s*\d+%\s*\]/g, '[]'],
  [/^(\s*(?:not )?ok)\s+\d+\b/gi, '$1'],
  [/\b(node|pid|PID|process)([:\s=]+)\d+\b(?!\.\d)/g, '$1'],
];

// A failure line as the same failure reads on every run (see REWRITES), its spaces collapsed.
export function normalizeFailureLine(line: string): string {
  let text = line;
  for (const [pattern, to] of REWRITES) text = typeof to === 'string' ? text.replace(pattern, to) : text.replace(pattern, to);
  return text.replace(/\s+/g, ' ').trim();
}
