// `--where EXPR`: the filter language of `guardloop extract`, a hand-written tokenizer and
// recursive-descent parser that turns an expression into a predicate over a chain's facts.
//   expr       := or
//   or         := and ('or' and)*
//   and        := unary ('and' unary)*
//   unary      := 'not' unary | '(' or ')' | condition
//   condition  := 'refinement' | field OP value
// OP is = != < <= > >=; a value is a bare word ([A-Za-z0-9_.:/@-]+) or a quoted string ("…" or '…').
// Keywords and field names are case-insensitive. Every error is a WhereSyntaxError naming its column.
import type { ChainFacts } from './trace.js';
import { LAYERS } from '../config/constants.js';
import { closestWord } from '../config/did-you-mean.js';
import { RECORD_HOOKS, SOURCES } from '../store/record-values.js';
import { parseSince } from '../store/log-filter.js';
import { WhereSyntaxError } from '../errors/where-syntax-error.js';
import {
  EXPECT_BOOLEAN,
  EXPECT_CONDITION,
  EXPECT_CONNECTIVE,
  EXPECT_NOT_EQUAL,
  EXPECT_OPERATOR,
  EXPECT_RETRY,
  EXPECT_TOKEN,
  EXPECT_TS,
  EXPECT_VALUE,
  expectChoice,
  expectCloseParen,
  expectClosingQuote,
  expectEquality,
  expectField,
  expectWord,
  whereNotAString,
} from '../messages/where.js';

// The fields an expression may name, in the order the error messages list them.
export const WHERE_FIELDS = ['status', 'source', 'agent', 'hook', 'retry', 'ts', 'guard', 'layer', 'refinement'] as const;
type Field = (typeof WHERE_FIELDS)[number];

const STATUSES = ['ACCEPTED', 'REJECTED', 'SKIPPED'] as const satisfies ReadonlyArray<ChainFacts['status']>;
type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
const KEYWORDS = new Set(['and', 'or', 'not']);
const DAY_MS = 86_400_000;

type Predicate = (f: ChainFacts) => boolean;

// One token; `col` is 1-based, `end` the column just past it.
type Token =
  | { kind: 'word' | 'string'; text: string; col: number; end: number }
  | { kind: 'op'; text: Op; col: number; end: number }
  | { kind: '(' | ')' | 'end'; text: string; col: number; end: number };

const WORD = /[A-Za-z0-9_.:/@-]/;

// Splits `expr` into tokens, ending with an 'end' token one column past the expression.
function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    const col = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c, col, end: col + 1 });
      i++;
    } else if (c === '"' || c === "'") {
      const close = expr.indexOf(c, i + 1);
      if (close < 0) throw new WhereSyntaxError(expr, col, expectClosingQuote(c));
      tokens.push({ kind: 'string', text: expr.slice(i + 1, close), col, end: close + 2 });
      i = close + 1;
    } else if (c === '<' || c === '>' || c === '=' || c === '!') {
      const text = c !== '=' && expr[i + 1] === '=' ? `${c}=` : c;
      if (text === '!') throw new WhereSyntaxError(expr, col, EXPECT_NOT_EQUAL, `'!'`);
      const op = text as Op;
      tokens.push({ kind: 'op', text: op, col, end: col + op.length });
      i += op.length;
    } else if (WORD.test(c)) {
      let j = i;
      while (j < expr.length && WORD.test(expr[j])) j++;
      tokens.push({ kind: 'word', text: expr.slice(i, j), col, end: j + 1 });
      i = j;
    } else if (c === '&' || c === '|') {
      throw new WhereSyntaxError(expr, col, expectWord(c === '&' ? 'and' : 'or'), `'${c}'`);
    } else {
      throw new WhereSyntaxError(expr, col, EXPECT_TOKEN, `'${c}'`);
    }
  }
  tokens.push({ kind: 'end', text: '', col: expr.length + 1, end: expr.length + 1 });
  return tokens;
}

// How a token is named in an error's "got …" (null: the end of the expression).
function shown(t: Token): string | null {
  if (t.kind === 'end') return null;
  return t.kind === 'string' ? JSON.stringify(t.text) : `'${t.text}'`;
}

// Parses `expr` into a predicate over a chain's facts (ChainFacts, src/learn/trace.ts). `ts` values
// that are durations (7d) count back from `now`. Throws WhereSyntaxError (exit 2) at the first fault.
export function parseWhere(expr: string, now: number = Date.now()): Predicate {
  if (typeof expr !== 'string') throw new TypeError(whereNotAString(expr));
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = (): Token => tokens[pos];
  const next = (): Token => tokens[pos++];
  const isKeyword = (t: Token, k: string): boolean => t.kind === 'word' && t.text.toLowerCase() === k;
  const fail = (t: Token, expected: string, suggestion?: string): never => {
    const corrected = suggestion === undefined ? undefined : { word: suggestion, expr: expr.slice(0, t.col - 1) + suggestion + expr.slice(t.end - 1) };
    throw new WhereSyntaxError(expr, t.col, expected, shown(t), corrected);
  };

  const parseOr = (): Predicate => {
    const parts = [parseAnd()];
    while (isKeyword(peek(), 'or')) {
      next();
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0] : (f) => parts.some((p) => p(f));
  };
  const parseAnd = (): Predicate => {
    const parts = [parseUnary()];
    while (isKeyword(peek(), 'and')) {
      next();
      parts.push(parseUnary());
    }
    return parts.length === 1 ? parts[0] : (f) => parts.every((p) => p(f));
  };
  const parseUnary = (): Predicate => {
    const t = peek();
    if (isKeyword(t, 'not')) {
      next();
      const inner = parseUnary();
      return (f) => !inner(f);
    }
    if (t.kind === '(') {
      next();
      const inner = parseOr();
      const close = peek();
      if (close.kind !== ')') fail(close, expectCloseParen(t.col));
      next();
      return inner;
    }
    return parseCondition();
  };
  const parseCondition = (): Predicate => {
    const t = next();
    if (t.kind !== 'word' || KEYWORDS.has(t.text.toLowerCase())) return fail(t, EXPECT_CONDITION);
    const field = t.text.toLowerCase() as Field;
    if (!(WHERE_FIELDS as readonly string[]).includes(field)) return fail(t, expectField(WHERE_FIELDS), closestWord(t.text, WHERE_FIELDS));
    const opToken = peek();
    if (field === 'refinement' && opToken.kind !== 'op') return (f) => f.refinement;
    if (opToken.kind !== 'op') return fail(opToken, EXPECT_OPERATOR);
    next();
    const op = opToken.text as Op;
    if (field !== 'retry' && field !== 'ts' && op !== '=' && op !== '!=') return fail(opToken, expectEquality(field));
    const v = next();
    if (v.kind !== 'word' && v.kind !== 'string') return fail(v, EXPECT_VALUE);
    return condition(field, op, v);
  };

  // One comparison `field op value`, its value checked against what the field takes.
  const condition = (field: Field, op: Op, v: Token): Predicate => {
    const negate = op === '!=';
    const eq = (match: Predicate): Predicate => (negate ? (f) => !match(f) : match);
    const choice = (choices: readonly string[], value: string): string => {
      if (!choices.includes(value)) fail(v, expectChoice(field, choices), closestWord(v.text, choices));
      return value;
    };
    switch (field) {
      case 'status': {
        const s = choice(STATUSES, v.text.toUpperCase());
        return eq((f) => f.status === s);
      }
      case 'source': {
        const s = choice(SOURCES, v.text.toUpperCase());
        return eq((f) => f.source === s);
      }
      case 'hook': {
        const h = choice(RECORD_HOOKS, v.text);
        return eq((f) => f.hook === h);
      }
      case 'layer': {
        const l = choice(LAYERS, v.text);
        return eq((f) => f.layers.includes(l));
      }
      case 'agent': {
        const a = v.kind === 'word' && /^(none|null)$/i.test(v.text) ? null : v.text;
        return eq((f) => f.agent === a);
      }
      case 'guard':
        return eq((f) => f.guards.includes(v.text));
      case 'refinement': {
        const b = v.text.toLowerCase();
        if (b !== 'true' && b !== 'false') return fail(v, EXPECT_BOOLEAN);
        return eq((f) => f.refinement === (b === 'true'));
      }
      case 'retry': {
        if (!/^\d+$/.test(v.text)) return fail(v, EXPECT_RETRY);
        return ordered(op, Number(v.text), Number(v.text) + 1, (f) => f.retry);
      }
      case 'ts': {
        const span = timeSpan(v.text, now);
        if (!span) return fail(v, EXPECT_TS);
        return ordered(op, span[0], span[1], (f) => f.ts);
      }
    }
  };

  const predicate = parseOr();
  if (peek().kind !== 'end') fail(peek(), EXPECT_CONNECTIVE);
  return predicate;
}

// Compares a numeric fact with a value that covers [lo, hi) (integers: hi = lo + 1; a day: its 24 hours),
// so `=` means "inside", `<` "before lo", `<=` "before hi", `>` "from hi on", `>=` "from lo on".
function ordered(op: Op, lo: number, hi: number, of: (f: ChainFacts) => number): Predicate {
  switch (op) {
    case '=':
      return (f) => of(f) >= lo && of(f) < hi;
    case '!=':
      return (f) => of(f) < lo || of(f) >= hi;
    case '<':
      return (f) => of(f) < lo;
    case '<=':
      return (f) => of(f) < hi;
    case '>':
      return (f) => of(f) >= hi;
    case '>=':
      return (f) => of(f) >= lo;
  }
}

// The milliseconds a `ts` value covers: a date alone (2026-01-31) is that UTC day; a date-time is its
// millisecond (2026-01-31T12:00 without an offset is UTC, as the records' ts are); a duration (7d,
// 12h, 30m, 90s, 2w) is the moment that long before `now`. Null: none of these (parseSince is strict:
// no 2026-02-30, no bare year).
function timeSpan(value: string, now: number): [number, number] | null {
  const at = parseSince(value, now);
  if (!at) return null;
  const lo = at.getTime();
  return [lo, /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? lo + DAY_MS : lo + 1];
}
