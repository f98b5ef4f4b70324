import type { Diagnostic } from '../config/diagnostic.js';

// The wording of every config problem guardloop reports; each one says what to do about it.
export type ConfigMessage = Pick<Diagnostic, 'message' | 'expected' | 'hint'>;

// The sentence every guard's invariant must read as; quoted in errors, init templates and docs.
export const INVARIANT_FORM = 'In this codebase, X must never happen, because it causes Y.';

// Where the config lives unless told otherwise.
export const DEFAULT_CONFIG_FILE = '.loop/config.yaml';

const quote = (value: unknown) => JSON.stringify(value);
const list = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? v : quote(v))).join(', ');

const YAML_HINTS: Record<string, string> = {
  MISSING_CHAR: 'close the quote or bracket that starts before this point',
  BAD_INDENT: 'indent with spaces so that the keys of one mapping start at the same column',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  DUPLICATE_KEY: 'remove or rename one of the two keys',
  BLOCK_AS_IMPLICIT_KEY: 'put the value on its own line, indented under its key, or quote it',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: check for a missing ":" or an unclosed quote above',
  UNEXPECTED_TOKEN: 'quote values that contain ":", "#", "{", "[" or start with "-", "*", "&", "!", "|", ">" or "%"',
};

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'null',
};

// How a zod type name reads in a message ("array" → "a list").
export function describeType(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

// How a value the user wrote reads in a message.
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return String(value);
}

// What to do about a redact pattern JavaScript can't compile, by what the engine said was wrong.
function redactHint(pattern: string, reason: string): string {
  if (/\(\?[a-z]+[):]/i.test(pattern) && /invalid group/i.test(reason)) return 'JavaScript has no inline flags such as "(?i)": match both cases instead, e.g. "[Tt]oken"';
  if (/unterminated group|unmatched '\)'/i.test(reason)) return "escape a literal parenthesis with a backslash, \\( or \\) (single-quote the pattern in YAML so the backslash is kept: '\\(')";
  if (/character class/i.test(reason)) return 'escape a literal "[" as "\\[", and write a range low to high, e.g. "[a-z]"';
  if (/nothing to repeat/i.test(reason)) return 'escape a literal "*", "+", "?" or "{" with a backslash, e.g. "\\*"';
  if (/at end of pattern/i.test(reason)) return 'remove the trailing "\\", or double it ("\\\\") to match a backslash';
  return 'fix the pattern, or escape the characters meant literally with a backslash';
}

// Message builders, one per problem, used by src/config to fill in diagnostics.
export const configMessages = {
  configMissing: (file: string): ConfigMessage => ({
    message: `no guardloop config at ${file}`,
    hint: 'run `npx guardloop init` to create one, or pass the path of your config file',
  }),
  fileUnreadable: (file: string, reason: string): ConfigMessage => ({
    message: `cannot read ${file}: ${reason}`,
    hint: 'check that it is a readable file',
  }),
  yamlSyntax: (code: string, message: string): ConfigMessage => ({
    message: `YAML syntax error: ${message}`,
    hint: /without - indicator/.test(message)
      ? 'start each list item with "- " at the same column as the items before it'
      : YAML_HINTS[code],
  }),
  yamlWarning: (message: string): ConfigMessage => ({ message: `YAML: ${message}` }),
  notAMapping: (got: string): ConfigMessage => ({
    message: `the file must be a mapping of keys to values, got ${got}`,
    expected: 'a mapping such as "guards:" followed by a list of guards',
    hint: 'start the file with `guards:` and list each guard under it as `- id: …`',
  }),
  unknownKey: (key: string, suggestion: string | undefined, allowed: readonly string[]): ConfigMessage => ({
    message: 'unknown key',
    hint: suggestion ? `did you mean ${quote(suggestion)}?` : `remove ${quote(key)}; allowed keys here: ${list(allowed)}`,
  }),
  missingKey: (key: string, expected: string | undefined): ConfigMessage => ({
    message: `missing required key ${quote(key)}`,
    expected,
    hint:
      key === 'invariant'
        ? `add \`invariant: "${INVARIANT_FORM}"\` with X and Y filled in`
        : key === 'run'
          ? 'add `run:` with the command line of the check, e.g. `run: npm test`'
          : `add \`${key}:\``,
  }),
  wrongType: (expected: string, got: string): ConfigMessage => ({
    message: `expected ${expected}, got ${got}`,
    expected,
  }),
  notOneOf: (value: unknown, values: readonly unknown[], suggestion: string | undefined): ConfigMessage =>
    values.length === 1
      ? { message: `expected ${quote(values[0])}, got ${quote(value)}`, expected: quote(values[0]) }
      : {
          message: `${quote(value)} is not one of the allowed values`,
          expected: `one of: ${list(values)}`,
          hint: suggestion ? `did you mean ${quote(suggestion)}?` : undefined,
        },
  tooSmall: (what: 'string' | 'array' | 'number', minimum: number, inclusive: boolean): ConfigMessage => {
    if (what === 'string') return { message: 'must not be empty', expected: 'a non-empty string' };
    if (what === 'array') return { message: `must list at least ${minimum} item${minimum === 1 ? '' : 's'}`, expected: `a list with at least ${minimum} item${minimum === 1 ? '' : 's'}` };
    return inclusive
      ? { message: `must be at least ${minimum}`, expected: `a number >= ${minimum}` }
      : { message: `must be greater than ${minimum}`, expected: `a number > ${minimum}` };
  },
  badFormat: (value: unknown, expected: string): ConfigMessage => ({
    message: `invalid value ${quote(value)}`,
    expected,
  }),
  otherSchemaProblem: (message: string): ConfigMessage => ({ message }),
  invariantSentence: (missing: { must: boolean; because: boolean }): ConfigMessage => ({
    message: `the invariant must read as the sentence "${INVARIANT_FORM}"`,
    expected: INVARIANT_FORM,
    hint: [
      missing.must ? 'say what must never happen (a "must never", "must not" or "must always" clause)' : '',
      missing.because ? 'say why, in a "because …" clause naming what it causes' : '',
    ]
      .filter(Boolean)
      .join('; and '),
  }),
  filesPlaceholderWithoutGlobs: (): ConfigMessage => ({
    message: '`{files}` is used in run, but the guard declares no `files` globs',
    hint: 'add `files:` globs (e.g. `files: ["**/*.ts"]`) so that {files} expands to the matching changed paths',
  }),
  cwdEscapesRoot: (cwd: string): ConfigMessage => ({
    message: `cwd ${quote(cwd)} is outside the repository`,
    expected: 'a directory relative to the repository root, inside it',
    hint: 'use a path such as "." or "packages/app"',
  }),
  cwdInGitDir: (cwd: string): ConfigMessage => ({
    message: `cwd ${quote(cwd)} is inside .git`,
    expected: "a directory of the repository's files",
    hint: 'guards run on the candidate\'s files, which never include .git; use "." or a folder such as "packages/app"',
  }),
  redactInvalid: (pattern: string, reason: string): ConfigMessage => ({
    message: `redact pattern ${quote(pattern)} is not a valid JavaScript regular expression: ${reason}`,
    expected: 'a JavaScript regular expression (it is compiled with the "g" flag)',
    hint: redactHint(pattern, reason),
  }),
  redactMatchesEmpty: (pattern: string): ConfigMessage => ({
    message: `redact pattern ${quote(pattern)} matches the empty string, so it would mask between every character of every record`,
    expected: 'a regular expression that matches at least one character',
    hint: 'make it match at least one character, e.g. use "+" instead of "*", or remove an empty alternative ("a|" → "a")',
  }),
  globInvalid: (glob: string, reason: string): ConfigMessage => ({
    message: `glob ${quote(glob)} cannot be compiled (${reason}), so it would match nothing`,
    expected: 'a glob such as "src/**/*.ts" or "*.{js,ts}"',
    hint: /range out of order/i.test(reason)
      ? 'write a character range low to high, e.g. "[a-z]"'
      : /\\$/.test(glob)
        ? 'remove the trailing "\\": paths use "/" as the separator, and "\\" escapes the character after it'
        : 'close every "{", "[" and "(" the glob opens, or escape a literal one with "\\"',
  }),
  globNeverMatches: (glob: string, why: 'absolute' | 'parent' | 'folder'): ConfigMessage => ({
    message: `glob ${quote(glob)} never matches: ${
      why === 'absolute' ? 'paths are relative to the repository root' : why === 'parent' ? 'paths never leave the repository' : 'it ends in "/", and only files are matched'
    }`,
    hint:
      why === 'absolute'
        ? `drop the leading "/": ${quote(glob.replace(/^\/+/, '') || '**')}`
        : why === 'parent'
          ? 'write the glob relative to the repository root, e.g. "src/**"'
          : `match what is inside the folder: ${quote(`${glob}**`)}`,
  }),
  durationOutOfRange: (value: unknown, tooLong: boolean): ConfigMessage => ({
    message: `timeout ${quote(value)} is ${tooLong ? 'longer than 24 hours' : 'shorter than 1 millisecond'}`,
    expected: 'a duration from "1ms" to "24h" (a number is seconds)',
    hint: tooLong ? 'use at most "24h" (86400)' : 'use a positive duration such as "30s" or "5m"',
  }),
  envKeyInvalid: (key: string): ConfigMessage => ({
    message: `environment variable name ${quote(key)} is not usable: ${key === '' ? 'it is empty' : key.includes('=') ? 'it contains "="' : 'it contains a NUL character'}`,
    expected: 'a name such as NODE_ENV (no "=", no NUL character)',
    hint: 'rename the variable, e.g. to letters, digits and "_"',
  }),
  nulCharacter: (): ConfigMessage => ({
    message: 'contains a NUL character ("\\0"), which no command line, directory or environment variable can hold',
    hint: 'remove the "\\0" escape from the quoted string',
  }),
  duplicateId: (id: string, firstAt: string, sameFile: boolean): ConfigMessage => ({
    message: `duplicate guard id ${quote(id)} (first declared at ${firstAt})`,
    hint: sameFile
      ? 'give each guard its own id'
      : 'two files you extend both declare it: rename one, or redeclare it in a file that extends the one declaring it to override it',
  }),
  extendsBadName: (spec: string): ConfigMessage => ({
    message: `invalid ready-made guard name ${quote(spec)}`,
    expected: '"guardloop/<name>" with a lowercase name such as "guardloop/typescript", or a relative path',
  }),
  extendsNotFound: (spec: string, resolved: string, suggestion: string | undefined, available: readonly string[] | null): ConfigMessage => ({
    message: `cannot find ${quote(spec)} (looked for ${resolved})`,
    hint: suggestion
      ? `did you mean ${quote(suggestion)}?`
      : available === null
        ? 'check the path: a relative path is relative to the file that contains the extends'
        : available.length > 0
          ? `ready-made guard files: ${list(available)}`
          : 'no ready-made guard files found: is guardloop installed (`npm install --save-dev guardloop`)?',
  }),
  extendsCycle: (chain: readonly string[]): ConfigMessage => ({
    message: `extends cycle: ${chain.join(' → ')}`,
    hint: 'remove one of these extends so that no file includes itself',
  }),
  extendedKeyIgnored: (key: string, configFile: string): ConfigMessage => ({
    message: `${quote(key)} in an extended file is ignored: an extended file contributes only its guards`,
    hint: `move it into ${configFile}`,
  }),
};

// Prints diagnostics the way compilers do: `file:line:col: path: message`, then what was expected and a hint.
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
      const lines = [`${where}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.path ? `${d.path}: ` : ''}${d.message}`];
      if (d.expected) lines.push(`  expected: ${d.expected}`);
      if (d.hint) lines.push(`  hint: ${d.hint}`);
      return lines.join('\n');
    })
    .join('\n');
}
