// Longer than ~300 lines on purpose: one catalogue of every config problem's wording (≈40 sentences,
// each with its fix), kept in one file so a reviewer sees them side by side and in one voice.
import type { Diagnostic } from '../config/diagnostic.js';

// The wording of every config problem guardloop reports; each one says what to do about it.
export type ConfigMessage = Pick<Diagnostic, 'message' | 'expected' | 'hint'>;

// The sentence every guard's invariant must read as; quoted in errors, init templates and docs.
export const INVARIANT_FORM = 'In this codebase, X must never happen, because it causes Y.';

// What a duration looks like, shown as `expected` when a timeout string doesn't parse.
export const DURATION_FORMAT = 'a duration such as "30s", "5m" or "1h"';

// What a guard id may hold, shown as `expected` when an id doesn't match.
export const GUARD_ID_FORMAT = 'letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

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

// The config file is not where guardloop looked for it.
export function configMissing(file: string): ConfigMessage {
  return {
    message: `no guardloop config at ${file}`,
    hint: 'run `npx guardloop init` to create one, or pass the path of your config file',
  };
}

// The config (or an extended file) exists but can't be read.
export function fileUnreadable(file: string, reason: string): ConfigMessage {
  return {
    message: `cannot read ${file}: ${reason}`,
    hint: 'check that it is a readable file',
  };
}

// Why a config path can't be read when it names a folder (the reason in fileUnreadable).
export const IS_A_DIRECTORY = 'it is a directory';

// The YAML parser rejected the file.
export function yamlSyntax(code: string, message: string): ConfigMessage {
  return {
    message: `YAML syntax error: ${message}`,
    hint: /without - indicator/.test(message)
      ? 'start each list item with "- " at the same column as the items before it'
      : YAML_HINTS[code],
  };
}

// The YAML parser warned about the file (it still parsed).
export function yamlWarning(message: string): ConfigMessage {
  return { message: `YAML: ${message}` };
}

// The file parsed, but its top level is not a mapping.
export function notAMapping(got: string): ConfigMessage {
  return {
    message: `the file must be a mapping of keys to values, got ${got}`,
    expected: 'a mapping such as "guards:" followed by a list of guards',
    hint: 'start the file with `guards:` and list each guard under it as `- id: …`',
  };
}

// A key the schema doesn't know, with the closest known key when there is one.
export function unknownKey(key: string, suggestion: string | undefined, allowed: readonly string[]): ConfigMessage {
  return {
    message: 'unknown key',
    hint: suggestion ? `did you mean ${quote(suggestion)}?` : `remove ${quote(key)}; allowed keys here: ${list(allowed)}`,
  };
}

// A required key is absent.
export function missingKey(key: string, expected: string | undefined): ConfigMessage {
  return {
    message: `missing required key ${quote(key)}`,
    expected,
    hint:
      key === 'invariant'
        ? `add \`invariant: "${INVARIANT_FORM}"\` with X and Y filled in`
        : key === 'run'
          ? 'add `run:` with the command line of the check, e.g. `run: npm test`'
          : `add \`${key}:\``,
  };
}

// A value of the wrong type.
export function wrongType(expected: string, got: string): ConfigMessage {
  return {
    message: `expected ${expected}, got ${got}`,
    expected,
  };
}

// A value none of the schema's alternatives accept.
export function invalidValue(got: string, expected: string | undefined): ConfigMessage {
  return { message: `invalid value: ${got}`, expected };
}

// A value outside an enumeration, with the closest allowed one when there is one.
export function notOneOf(value: unknown, values: readonly unknown[], suggestion: string | undefined): ConfigMessage {
  return values.length === 1
    ? { message: `expected ${quote(values[0])}, got ${quote(value)}`, expected: quote(values[0]) }
    : {
        message: `${quote(value)} is not one of the allowed values`,
        expected: `one of: ${list(values)}`,
        hint: suggestion ? `did you mean ${quote(suggestion)}?` : undefined,
      };
}

// An empty string, a list too short or a number too small.
export function tooSmall(what: 'string' | 'array' | 'number', minimum: number, inclusive: boolean): ConfigMessage {
  if (what === 'string') return { message: 'must not be empty', expected: 'a non-empty string' };
  if (what === 'array') return { message: `must list at least ${minimum} item${minimum === 1 ? '' : 's'}`, expected: `a list with at least ${minimum} item${minimum === 1 ? '' : 's'}` };
  return inclusive
    ? { message: `must be at least ${minimum}`, expected: `a number >= ${minimum}` }
    : { message: `must be greater than ${minimum}`, expected: `a number > ${minimum}` };
}

// A string that doesn't match its format (a duration, an id).
export function badFormat(value: unknown, expected: string): ConfigMessage {
  return {
    message: `invalid value ${quote(value)}`,
    expected,
  };
}

// Any other schema problem, in the schema library's words.
export function otherSchemaProblem(message: string): ConfigMessage {
  return { message };
}

// An invariant that doesn't read as the sentence (no "must never" clause, or no "because").
export function invariantSentence(missing: { must: boolean; because: boolean }): ConfigMessage {
  return {
    message: `the invariant must read as the sentence "${INVARIANT_FORM}"`,
    expected: INVARIANT_FORM,
    hint: [
      missing.must ? 'say what must never happen (a "must never", "must not" or "must always" clause)' : '',
      missing.because ? 'say why, in a "because …" clause naming what it causes' : '',
    ]
      .filter(Boolean)
      .join('; and '),
  };
}

// A warning: `{files}` in run without `files` globs to expand it from.
export const FILES_PLACEHOLDER_WITHOUT_GLOBS: ConfigMessage = {
  message: '`{files}` is used in run, but the guard declares no `files` globs',
  hint: 'add `files:` globs (e.g. `files: ["**/*.ts"]`) so that {files} expands to the matching changed paths',
};

// A guard's cwd that leaves the repository.
export function cwdEscapesRoot(cwd: string): ConfigMessage {
  return {
    message: `cwd ${quote(cwd)} is outside the repository`,
    expected: 'a directory relative to the repository root, inside it',
    hint: 'use a path such as "." or "packages/app"',
  };
}

// A guard's cwd inside .git.
export function cwdInGitDir(cwd: string): ConfigMessage {
  return {
    message: `cwd ${quote(cwd)} is inside .git`,
    expected: "a directory of the repository's files",
    hint: 'guards run on the candidate\'s files, which never include .git; use "." or a folder such as "packages/app"',
  };
}

// A redact pattern JavaScript can't compile.
export function redactInvalid(pattern: string, reason: string): ConfigMessage {
  return {
    message: `redact pattern ${quote(pattern)} is not a valid JavaScript regular expression: ${reason}`,
    expected: 'a JavaScript regular expression (it is compiled with the "g" flag)',
    hint: redactHint(pattern, reason),
  };
}

// A redact pattern that matches the empty string.
export function redactMatchesEmpty(pattern: string): ConfigMessage {
  return {
    message: `redact pattern ${quote(pattern)} matches the empty string, so it would mask between every character of every record`,
    expected: 'a regular expression that matches at least one character',
    hint: 'make it match at least one character, e.g. use "+" instead of "*", or remove an empty alternative ("a|" → "a")',
  };
}

// A glob picomatch can't compile.
export function globInvalid(glob: string, reason: string): ConfigMessage {
  return {
    message: `glob ${quote(glob)} cannot be compiled (${reason}), so it would match nothing`,
    expected: 'a glob such as "src/**/*.ts" or "*.{js,ts}"',
    hint: /range out of order/i.test(reason)
      ? 'write a character range low to high, e.g. "[a-z]"'
      : /\\$/.test(glob)
        ? 'remove the trailing "\\": paths use "/" as the separator, and "\\" escapes the character after it'
        : 'close every "{", "[" and "(" the glob opens, or escape a literal one with "\\"',
  };
}

// A warning: a glob that compiles but can never match a changed path.
export function globNeverMatches(glob: string, why: 'absolute' | 'parent' | 'folder'): ConfigMessage {
  return {
    message: `glob ${quote(glob)} never matches: ${
      why === 'absolute' ? 'paths are relative to the repository root' : why === 'parent' ? 'paths never leave the repository' : 'it ends in "/", and only files are matched'
    }`,
    hint:
      why === 'absolute'
        ? `drop the leading "/": ${quote(glob.replace(/^\/+/, '') || '**')}`
        : why === 'parent'
          ? 'write the glob relative to the repository root, e.g. "src/**"'
          : `match what is inside the folder: ${quote(`${glob}**`)}`,
  };
}

// A timeout outside 1ms..24h.
export function durationOutOfRange(value: unknown, tooLong: boolean): ConfigMessage {
  return {
    message: `timeout ${quote(value)} is ${tooLong ? 'longer than 24 hours' : 'shorter than 1 millisecond'}`,
    expected: 'a duration from "1ms" to "24h" (a number is seconds)',
    hint: tooLong ? 'use at most "24h" (86400)' : 'use a positive duration such as "30s" or "5m"',
  };
}

// An `env` key no process environment can hold.
export function envKeyInvalid(key: string): ConfigMessage {
  return {
    message: `environment variable name ${quote(key)} is not usable: ${key === '' ? 'it is empty' : key.includes('=') ? 'it contains "="' : 'it contains a NUL character'}`,
    expected: 'a name such as NODE_ENV (no "=", no NUL character)',
    hint: 'rename the variable, e.g. to letters, digits and "_"',
  };
}

// A NUL character in a command line, cwd or environment value.
export const NUL_CHARACTER: ConfigMessage = {
  message: 'contains a NUL character ("\\0"), which no command line, directory or environment variable can hold',
  hint: 'remove the "\\0" escape from the quoted string',
};

// Two guards with one id.
export function duplicateId(id: string, firstAt: string, sameFile: boolean): ConfigMessage {
  return {
    message: `duplicate guard id ${quote(id)} (first declared at ${firstAt})`,
    hint: sameFile
      ? 'give each guard its own id'
      : 'two files you extend both declare it: rename one, or redeclare it in a file that extends the one declaring it to override it',
  };
}

// An `extends: [guardloop/…]` name that can't be a ready-made guard file.
export function extendsBadName(spec: string): ConfigMessage {
  return {
    message: `invalid ready-made guard name ${quote(spec)}`,
    expected: '"guardloop/<name>" with a lowercase name such as "guardloop/typescript", or a relative path',
  };
}

// An extended file that isn't there, with the closest name or the files that are.
export function extendsNotFound(spec: string, resolved: string, suggestion: string | undefined, available: readonly string[] | null): ConfigMessage {
  return {
    message: `cannot find ${quote(spec)} (looked for ${resolved})`,
    hint: suggestion
      ? `did you mean ${quote(suggestion)}?`
      : available === null
        ? 'check the path: a relative path is relative to the file that contains the extends'
        : available.length > 0
          ? `ready-made guard files: ${list(available)}`
          : 'no ready-made guard files found: is guardloop installed (`npm install --save-dev guardloop`)?',
  };
}

// Files that extend each other in a circle.
export function extendsCycle(chain: readonly string[]): ConfigMessage {
  return {
    message: `extends cycle: ${chain.join(' → ')}`,
    hint: 'remove one of these extends so that no file includes itself',
  };
}

// A warning: a top-level key other than guards in an extended file.
export function extendedKeyIgnored(key: string, configFile: string): ConfigMessage {
  return {
    message: `${quote(key)} in an extended file is ignored: an extended file contributes only its guards`,
    hint: `move it into ${configFile}`,
  };
}

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
