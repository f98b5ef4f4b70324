import { describe, expect, it } from 'vitest';
import type { ChainFacts } from '../../src/learn/trace.js';
import { parseWhere, WHERE_FIELDS } from '../../src/learn/where.js';
import { GuardloopError } from '../../src/errors/guardloop-error.js';
import { WhereSyntaxError } from '../../src/errors/where-syntax-error.js';
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
  WHERE_EXAMPLE,
  expectChoice,
  expectCloseParen,
  expectClosingQuote,
  expectEquality,
  expectField,
  expectWord,
} from '../../src/messages/where.js';

// `--where` as a pure function: facts in, a boolean out; every malformed expression a
// WhereSyntaxError that points at its column.
const NOW = Date.parse('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function facts(over: Partial<ChainFacts> = {}): ChainFacts {
  return {
    status: 'ACCEPTED',
    source: 'GENERATOR',
    agent: 'claude-code',
    hook: 'stop',
    retry: 2,
    ts: NOW - HOUR,
    guards: ['tsc', 'lint'],
    layers: ['type', 'lint'],
    refinement: true,
    ...over,
  };
}

// Which of `cases` the expression keeps.
function kept(expr: string, cases: Record<string, Partial<ChainFacts>>): string[] {
  const p = parseWhere(expr, NOW);
  return Object.entries(cases)
    .filter(([, over]) => p(facts(over)))
    .map(([name]) => name);
}

function whereError(expr: string): WhereSyntaxError {
  try {
    parseWhere(expr, NOW);
  } catch (e) {
    expect(e).toBeInstanceOf(WhereSyntaxError);
    return e as WhereSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(expr)} to be rejected`);
}

// The error's column and expectation, and its message showing the expression with a caret under that column.
function expectErrorAt(expr: string, column: number, expected: string): WhereSyntaxError {
  const e = whereError(expr);
  expect(e.data).toEqual({ expr, column, expected });
  const lines = e.message.split('\n');
  expect(lines[0]).toContain(`--where: invalid expression at column ${column}: expected ${expected}`);
  expect(lines[1]).toBe(`  ${expr}`);
  expect(lines[2]).toBe(`${' '.repeat(column + 1)}^`);
  return e;
}

describe('parseWhere: fields and operators', () => {
  it('status compares any case with the record (= and !=)', () => {
    const cases = { acc: { status: 'ACCEPTED' as const }, rej: { status: 'REJECTED' as const } };
    expect(kept('status=ACCEPTED', cases)).toEqual(['acc']);
    expect(kept('status=accepted', cases)).toEqual(['acc']);
    expect(kept('status != Rejected', cases)).toEqual(['acc']);
    expect(kept('status=SKIPPED', cases)).toEqual([]);
  });

  it('source compares any case; CI is a source too', () => {
    const cases = { gen: { source: 'GENERATOR' as const }, human: { source: 'HUMAN' as const }, ci: { source: 'CI' as const } };
    expect(kept('source=GENERATOR', cases)).toEqual(['gen']);
    expect(kept('source=human', cases)).toEqual(['human']);
    expect(kept('source=ci', cases)).toEqual(['ci']);
    expect(kept('source!=HUMAN', cases)).toEqual(['gen', 'ci']);
  });

  it('hook compares the record hook', () => {
    const cases = { stop: { hook: 'stop' as const }, pre: { hook: 'pre-commit' as const }, ci: { hook: 'ci' as const } };
    expect(kept('hook=pre-commit', cases)).toEqual(['pre']);
    expect(kept('hook != stop', cases)).toEqual(['pre', 'ci']);
  });

  it('agent compares the value; none and null (bare) match a record without an agent, quoted they are names', () => {
    const cases = { claude: { agent: 'claude-code' }, person: { agent: null }, named: { agent: 'none' } };
    expect(kept('agent=claude-code', cases)).toEqual(['claude']);
    expect(kept('agent=none', cases)).toEqual(['person']);
    expect(kept('agent=NULL', cases)).toEqual(['person']);
    expect(kept('agent!=none', cases)).toEqual(['claude', 'named']);
    expect(kept('agent="none"', cases)).toEqual(['named']);
  });

  it('retry is numeric with every operator', () => {
    const cases = { r0: { retry: 0 }, r2: { retry: 2 }, r3: { retry: 3 }, r10: { retry: 10 } };
    expect(kept('retry=3', cases)).toEqual(['r3']);
    expect(kept('retry!=3', cases)).toEqual(['r0', 'r2', 'r10']);
    expect(kept('retry<3', cases)).toEqual(['r0', 'r2']);
    expect(kept('retry<=3', cases)).toEqual(['r0', 'r2', 'r3']);
    expect(kept('retry>3', cases)).toEqual(['r10']);
    expect(kept('retry>=3', cases)).toEqual(['r3', 'r10']);
    // numbers compare as numbers, not strings ("10" < "3" as text)
    expect(kept('retry >= 10', cases)).toEqual(['r10']);
  });

  it('ts against a duration means now minus the duration, with every operator', () => {
    const cases = { hourAgo: { ts: NOW - HOUR }, dayAgo: { ts: NOW - DAY }, weekAgo: { ts: NOW - 7 * DAY }, monthAgo: { ts: NOW - 30 * DAY } };
    expect(kept('ts>=7d', cases)).toEqual(['hourAgo', 'dayAgo', 'weekAgo']);
    expect(kept('ts>7d', cases)).toEqual(['hourAgo', 'dayAgo']);
    expect(kept('ts<7d', cases)).toEqual(['monthAgo']);
    expect(kept('ts<=7d', cases)).toEqual(['weekAgo', 'monthAgo']);
    expect(kept('ts=24h', cases)).toEqual(['dayAgo']);
    expect(kept('ts!=24h', cases)).toEqual(['hourAgo', 'weekAgo', 'monthAgo']);
    expect(kept('ts>=30m', cases)).toEqual([]);
    expect(kept('ts>=2w', cases)).toEqual(['hourAgo', 'dayAgo', 'weekAgo']);
  });

  it('ts against a date covers that UTC day; against a date-time, that moment', () => {
    const day = Date.parse('2026-03-01T00:00:00.000Z');
    const cases = { before: { ts: day - 1 }, start: { ts: day }, noon: { ts: day + 12 * HOUR }, last: { ts: day + DAY - 1 }, after: { ts: day + DAY } };
    expect(kept('ts=2026-03-01', cases)).toEqual(['start', 'noon', 'last']);
    expect(kept('ts!=2026-03-01', cases)).toEqual(['before', 'after']);
    expect(kept('ts<2026-03-01', cases)).toEqual(['before']);
    expect(kept('ts<=2026-03-01', cases)).toEqual(['before', 'start', 'noon', 'last']);
    expect(kept('ts>2026-03-01', cases)).toEqual(['after']);
    expect(kept('ts>=2026-03-01', cases)).toEqual(['start', 'noon', 'last', 'after']);
    expect(kept('ts=2026-03-01T12:00:00Z', cases)).toEqual(['noon']);
    expect(kept('ts>2026-03-01T12:00:00.000Z', cases)).toEqual(['last', 'after']);
    expect(kept('ts<="2026-03-01T12:00:00+00:00"', cases)).toEqual(['before', 'start', 'noon']);
  });

  it('ts against a date-time without an offset reads it as UTC (as the records are), whatever the local zone; an offset moves it', () => {
    const noon = Date.parse('2026-03-01T12:00:00.000Z');
    const cases = { before: { ts: noon - 1 }, noon: { ts: noon }, after: { ts: noon + 1 }, twoHoursLater: { ts: noon + 2 * HOUR } };
    const tz = process.env.TZ;
    // A zone far from UTC: Date.parse would read these as New York's noon.
    process.env.TZ = 'America/New_York';
    try {
      expect(new Date(noon).getHours()).not.toBe(12);
      expect(kept('ts=2026-03-01T12:00', cases)).toEqual(['noon']);
      expect(kept('ts=2026-03-01T12:00:00', cases)).toEqual(['noon']);
      expect(kept('ts="2026-03-01 12:00"', cases)).toEqual(['noon']);
      expect(kept('ts>=2026-03-01T12:00:00.001', cases)).toEqual(['after', 'twoHoursLater']);
      expect(kept('ts="2026-03-01T12:00:00-02:00"', cases)).toEqual(['twoHoursLater']);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('ts rejects what is no ISO date, date-time or duration, however Date.parse would read it', () => {
    for (const value of ['7', '2026', '2026-02-30', '2026-13-01', '2026-03-01T25:00', '"March 1 2026"', '"Sun, 01 Mar 2026 12:00:00 GMT"', '2026-3-1']) {
      const e = whereError(`ts>=${value}`);
      expect(e.data.expected, value).toBe(EXPECT_TS);
    }
  });

  it('guard and layer: = when a failed guard (its layer) equals the value, != when none does', () => {
    const cases = { lintFailed: { guards: ['lint'], layers: ['lint'] }, both: { guards: ['tsc', 'lint'], layers: ['type', 'lint'] }, testFailed: { guards: ['vitest'], layers: ['test'] }, none: { guards: [], layers: [] } };
    expect(kept('guard=lint', cases)).toEqual(['lintFailed', 'both']);
    expect(kept('guard!=lint', cases)).toEqual(['testFailed', 'none']);
    expect(kept('layer=type', cases)).toEqual(['both']);
    expect(kept('layer!=lint', cases)).toEqual(['testFailed', 'none']);
    expect(kept('guard=vitest or layer=type', cases)).toEqual(['both', 'testFailed']);
  });

  it('refinement alone, negated, or compared with true/false', () => {
    const cases = { yes: { refinement: true }, no: { refinement: false } };
    expect(kept('refinement', cases)).toEqual(['yes']);
    expect(kept('not refinement', cases)).toEqual(['no']);
    expect(kept('refinement=true', cases)).toEqual(['yes']);
    expect(kept('refinement=FALSE', cases)).toEqual(['no']);
    expect(kept('refinement!=true', cases)).toEqual(['no']);
  });

  it('field names and keywords take any case', () => {
    const cases = { a: { status: 'ACCEPTED' as const, retry: 5 }, b: { status: 'REJECTED' as const, retry: 5 } };
    expect(kept('Status=ACCEPTED AND Retry>3', cases)).toEqual(['a']);
    expect(kept('NOT STATUS=ACCEPTED Or retry<1', cases)).toEqual(['b']);
  });
});

describe('parseWhere: precedence, parentheses, quoting', () => {
  // Three independent conditions A, B, C over all 8 combinations, to compare with JavaScript's own precedence.
  const A = 'status=ACCEPTED';
  const B = 'source=HUMAN';
  const C = 'retry>=3';
  const combos = Array.from({ length: 8 }, (_, i) => ({ a: Boolean(i & 4), b: Boolean(i & 2), c: Boolean(i & 1) }));
  const of = (x: { a: boolean; b: boolean; c: boolean }) => facts({ status: x.a ? 'ACCEPTED' : 'REJECTED', source: x.b ? 'HUMAN' : 'GENERATOR', retry: x.c ? 3 : 1 });
  const table = (expr: string) => combos.map((x) => parseWhere(expr, NOW)(of(x)));

  it('and binds tighter than or', () => {
    expect(table(`${A} or ${B} and ${C}`)).toEqual(combos.map(({ a, b, c }) => a || (b && c)));
    expect(table(`${A} and ${B} or ${C}`)).toEqual(combos.map(({ a, b, c }) => (a && b) || c));
  });

  it('not binds tighter than and, and stacks', () => {
    expect(table(`not ${A} and ${B}`)).toEqual(combos.map(({ a, b }) => !a && b));
    expect(table(`not ${A} or ${B}`)).toEqual(combos.map(({ a, b }) => !a || b));
    expect(table(`not not ${A}`)).toEqual(combos.map(({ a }) => a));
    expect(table(`${A} and not ${B} or not ${C}`)).toEqual(combos.map(({ a, b, c }) => (a && !b) || !c));
  });

  it('parentheses override precedence and nest', () => {
    expect(table(`(${A} or ${B}) and ${C}`)).toEqual(combos.map(({ a, b, c }) => (a || b) && c));
    expect(table(`not (${A} and ${B})`)).toEqual(combos.map(({ a, b }) => !(a && b)));
    expect(table(`((${A}) or (not (${B} or ${C})))`)).toEqual(combos.map(({ a, b, c }) => a || !(b || c)));
    expect(table(`${A} and (${B} or ${C}) and not (${A} and ${B} and ${C})`)).toEqual(combos.map(({ a, b, c }) => a && (b || c) && !(a && b && c)));
  });

  it("the issue's example: refinement and (source=GENERATOR or retry>=3) and not guard=lint", () => {
    const cases = {
      genNoLint: { refinement: true, source: 'GENERATOR' as const, retry: 1, guards: ['tsc'] },
      humanRetry3: { refinement: true, source: 'HUMAN' as const, retry: 3, guards: ['vitest'] },
      humanRetry1: { refinement: true, source: 'HUMAN' as const, retry: 1, guards: ['tsc'] },
      genLint: { refinement: true, source: 'GENERATOR' as const, retry: 4, guards: ['tsc', 'lint'] },
      notRefinement: { refinement: false, source: 'GENERATOR' as const, retry: 0, guards: [] },
      ciRetry5: { refinement: true, source: 'CI' as const, retry: 5, guards: [] },
    };
    expect(kept(WHERE_EXAMPLE, cases)).toEqual(['genNoLint', 'humanRetry3', 'ciRetry5']);
    expect(kept('refinement and (source=GENERATOR or retry>=3) and not guard=lint', cases)).toEqual(['genNoLint', 'humanRetry3', 'ciRetry5']);
  });

  it('whitespace is optional around operators and parentheses, and may be any whitespace', () => {
    const p = parseWhere('(refinement)and(retry>=3)', NOW);
    expect(p(facts({ retry: 3 }))).toBe(true);
    expect(p(facts({ retry: 2 }))).toBe(false);
    expect(parseWhere('refinement\n\tand  retry >= 3 ', NOW)(facts({ retry: 3 }))).toBe(true);
  });

  it('quoted values: double or single quotes, spaces, the other quote, keywords and operators inside', () => {
    const cases = { spaced: { guards: ['unit tests'] }, quote: { guards: ["it's"] }, kw: { guards: ['and'] }, ops: { guards: ['a>=b (x)'] }, dq: { guards: ['say "hi"'] } };
    expect(kept('guard="unit tests"', cases)).toEqual(['spaced']);
    expect(kept("guard='unit tests'", cases)).toEqual(['spaced']);
    expect(kept(`guard="it's"`, cases)).toEqual(['quote']);
    expect(kept(`guard='say "hi"'`, cases)).toEqual(['dq']);
    expect(kept('guard="and" or guard=\'a>=b (x)\'', cases)).toEqual(['kw', 'ops']);
    // a bare keyword after an operator is a value, not a keyword
    expect(kept('guard=and', cases)).toEqual(['kw']);
    expect(kept("guard=''", { empty: { guards: [''] }, other: {} })).toEqual(['empty']);
  });

  it('bare words take letters, digits and _ . : / @ -', () => {
    expect(kept('guard=a_b.c:d/e@f-9', { hit: { guards: ['a_b.c:d/e@f-9'] }, miss: {} })).toEqual(['hit']);
    expect(kept('agent=team/bot@v1.2', { hit: { agent: 'team/bot@v1.2' }, miss: {} })).toEqual(['hit']);
  });

  it('every field listed in WHERE_FIELDS is accepted', () => {
    expect([...WHERE_FIELDS]).toEqual(['status', 'source', 'agent', 'hook', 'retry', 'ts', 'guard', 'layer', 'refinement']);
    const exprs = ['status=ACCEPTED', 'source=HUMAN', 'agent=x', 'hook=stop', 'retry=1', 'ts>=1d', 'guard=x', 'layer=test', 'refinement'];
    for (const e of exprs) expect(typeof parseWhere(e, NOW), e).toBe('function');
  });

  it('the predicate decides from its argument alone: the same facts always give the same answer', () => {
    const p = parseWhere('ts>=7d and retry>1', NOW);
    const f = facts({ ts: NOW - DAY, retry: 2 });
    expect([p(f), p(f), p({ ...f })]).toEqual([true, true, true]);
  });
});

describe('parseWhere: errors point at the column', () => {
  it('is a usage error: WhereSyntaxError, code WHERE_INVALID, exit 2, data {expr, column, expected}', () => {
    const e = whereError('retry>>3');
    expect(e).toBeInstanceOf(GuardloopError);
    expect(e.code).toBe('WHERE_INVALID');
    expect(e.exitCode).toBe(2);
    expect(e.name).toBe('WhereSyntaxError');
    expect(Object.keys(e.data).sort()).toEqual(['column', 'expected', 'expr']);
    expect(e.toJSON()).toMatchObject({ code: 'WHERE_INVALID', data: { expr: 'retry>>3', column: 7 } });
  });

  it('every message ends with a fix: a valid example, or the expression corrected', () => {
    const plain = whereError('refinement and');
    expect(plain.message.split('\n')[3]).toContain(`--where "${WHERE_EXAMPLE}"`);
    const near = whereError('stauts=ACCEPTED and retry>1');
    expect(near.message.split('\n')[3]).toBe('Did you mean status? Run it as: --where "status=ACCEPTED and retry>1"');
    // the corrected expression is quoted for a shell whatever quotes it holds
    expect(whereError(`guard="x" and stauts=ACCEPTED`).message).toContain(`--where 'guard="x" and status=ACCEPTED'`);
    expect(whereError(`guard='say "hi"' and stauts=ACCEPTED`).message).toContain(`--where "guard='say \\"hi\\"' and status=ACCEPTED"`);
  });

  it('an empty expression', () => {
    expectErrorAt('', 1, EXPECT_CONDITION);
    expect(whereError('').message.split('\n')[0]).toMatch(/; the expression ends there\.$/);
    expectErrorAt('   ', 4, EXPECT_CONDITION);
  });

  it('tokenizer errors: a character outside the language, a lone !', () => {
    const amp = expectErrorAt('refinement && retry>1', 12, expectWord('and'));
    expect(amp.message).toContain("found '&'");
    expectErrorAt('refinement || retry>1', 12, expectWord('or'));
    expectErrorAt('status=ACCEPTED; retry>1', 16, EXPECT_TOKEN);
    expectErrorAt('retry>1 or #x', 12, EXPECT_TOKEN);
    expectErrorAt('refinement and !guard=lint', 16, EXPECT_NOT_EQUAL);
    expectErrorAt('guard ! lint', 7, EXPECT_NOT_EQUAL);
  });

  it('an unterminated quote points at the opening quote', () => {
    const e = expectErrorAt('guard="lint', 7, expectClosingQuote('"'));
    expect(e.message).not.toContain('found');
    expectErrorAt("refinement and agent='claude", 22, expectClosingQuote("'"));
    // the other quote does not close it
    expectErrorAt(`guard="it's`, 7, expectClosingQuote('"'));
  });

  it("a missing ')' is reported where it was due, naming the '(' it closes", () => {
    expectErrorAt('(refinement or retry>1', 23, expectCloseParen(1));
    expectErrorAt('refinement and ((retry>1) or status=ACCEPTED', 45, expectCloseParen(16));
    expectErrorAt('(refinement status=ACCEPTED)', 13, expectCloseParen(1));
  });

  it('a dangling and / or / not, and an empty pair of parentheses', () => {
    expectErrorAt('refinement and', 15, EXPECT_CONDITION);
    expectErrorAt('refinement or ', 15, EXPECT_CONDITION);
    expectErrorAt('not', 4, EXPECT_CONDITION);
    expectErrorAt('and refinement', 1, EXPECT_CONDITION);
    expectErrorAt('refinement and or retry>1', 16, EXPECT_CONDITION);
    expectErrorAt('refinement and ()', 17, EXPECT_CONDITION);
    expectErrorAt('refinement and "x"', 16, EXPECT_CONDITION);
  });

  it('something after a complete condition that joins nothing, or a stray )', () => {
    expectErrorAt('refinement retry>1', 12, EXPECT_CONNECTIVE);
    expectErrorAt('refinement)', 11, EXPECT_CONNECTIVE);
    expectErrorAt('(refinement))', 13, EXPECT_CONNECTIVE);
  });

  it('an unknown field, with the nearest one and the expression corrected', () => {
    const e = expectErrorAt('refinement and stauts=ACCEPTED', 16, expectField(WHERE_FIELDS));
    expect(e.message).toContain("found 'stauts'");
    expect(e.message).toContain('Run it as: --where "refinement and status=ACCEPTED"');
    const far = expectErrorAt('colour=red', 1, expectField(WHERE_FIELDS));
    expect(far.message).not.toContain('Did you mean');
    expectErrorAt('retyr>=3', 1, expectField(WHERE_FIELDS));
    expect(whereError('retyr>=3').message).toContain('--where "retry>=3"');
  });

  it('a field without an operator, and an operator without a value', () => {
    expectErrorAt('status', 7, EXPECT_OPERATOR);
    expectErrorAt('status ACCEPTED', 8, EXPECT_OPERATOR);
    expectErrorAt('retry>=', 8, EXPECT_VALUE);
    expectErrorAt('retry>=) ', 8, EXPECT_VALUE);
    expectErrorAt('status==ACCEPTED', 8, EXPECT_VALUE);
  });

  it('an ordering operator on a field compared by equality only points at the operator', () => {
    expectErrorAt('guard>lint', 6, expectEquality('guard'));
    expectErrorAt('refinement and status <= ACCEPTED', 23, expectEquality('status'));
    for (const field of ['source', 'agent', 'hook', 'layer', 'refinement']) {
      expectErrorAt(`${field}>=x`, field.length + 1, expectEquality(field));
    }
  });

  it('values outside a field\'s set, with the nearest one', () => {
    const status = expectErrorAt('status=ACCEPT', 8, expectChoice('status', ['ACCEPTED', 'REJECTED', 'SKIPPED']));
    expect(status.message).toContain('--where "status=ACCEPTED"');
    expectErrorAt('source=GENERATR', 8, expectChoice('source', ['HUMAN', 'GENERATOR', 'CI']));
    const layer = whereError('not layer=lnt');
    expect(layer.data.column).toBe(11);
    expect(layer.data.expected).toBe('a layer (type, primitive, lint, test, review, other)');
    expect(layer.message).toContain('--where "not layer=lint"');
    expect(whereError('layer=LINT').message).toContain('--where "layer=lint"');
    const hook = whereError('hook="pre-comit"');
    expect(hook.data.column).toBe(6);
    expect(hook.data.expected).toContain('pre-commit');
    expect(hook.message).toContain('Did you mean pre-commit?');
  });

  it('retry, ts and refinement values of the wrong kind', () => {
    expectErrorAt('retry>=three', 8, EXPECT_RETRY);
    expectErrorAt('retry=-1', 7, EXPECT_RETRY);
    expectErrorAt('retry=1.5', 7, EXPECT_RETRY);
    expectErrorAt('ts>=yesterday', 5, EXPECT_TS);
    expectErrorAt('ts>=7y', 5, EXPECT_TS);
    expectErrorAt('ts>=2026-13-45', 5, EXPECT_TS);
    expectErrorAt('refinement=maybe', 12, EXPECT_BOOLEAN);
  });

  it('the caret sits under the column when the expression holds tabs or newlines', () => {
    const e = whereError('refinement\tand\nstauts=x');
    expect(e.data.column).toBe(16);
    const lines = e.message.split('\n');
    expect(lines[1]).toBe('  refinement and stauts=x');
    expect(lines[2].indexOf('^')).toBe(2 + 15);
  });

  it('an expression given as something other than a string is a TypeError', () => {
    expect(() => parseWhere(42 as unknown as string)).toThrow(TypeError);
  });
});
