import { describe, expect, it } from 'vitest';
import { FAILURE_LIMIT, compareFailures, failuresOf } from '../../src/engine/failures.js';
import { looksLikeFailure, normalizeFailureLine } from '../../src/engine/failure-normalize.js';
import { withoutRoot } from '../../src/engine/failure-paths.js';

const E = '\u001b';
const ids = (output: string, pattern?: string | null) => failuresOf(output, pattern).failures.map((f) => f.id);

describe('failuresOf without a pattern: what changes between two runs of one failure is taken out', () => {
  it.each([
    ['ANSI colours and links', `${E}[31m✖${E}[39m ${E}]8;;file:///x${E}\\src/a.ts${E}]8;;${E}\\ failed`, '✖ src/a.ts failed'],
    ['durations in ms', 'FAIL adds (12ms)', 'FAIL adds ()'],
    ['durations in seconds, with and without a space', 'test timed out after 1.2s and 3 s', 'test timed out after and'],
    ['a sequence of units', 'Error: took 1m 2.5s', 'Error: took'],
    ['a key and its duration', 'failed: duration_ms: 64.515685', 'failed: duration_ms:'],
    ['hex addresses', 'Error: <Foo object at 0x7f8bcc95ba90> failed', 'Error: <Foo object at 0x> failed'],
    ['hashes and uuids', 'error in build 3f9a2c1b7e and run 123e4567-e89b-12d3-a456-426614174000', 'error in build <hex> and run <hex>'],
    ['temp paths', 'Error: ENOENT /tmp/guardloop-xYz12/src/a.ts', 'Error: ENOENT <tmp>/src/a.ts'],
    ['macOS temp paths', 'Error at /private/var/folders/ab/cd_ef/T/vitest-1234/x.js', 'Error at <tmp>/x.js'],
    ['Windows temp paths', 'Error at C:\\Users\\me\\AppData\\Local\\Temp\\jest_abc\\x.js', 'Error at <tmp>\\x.js'],
    ['ISO timestamps', '2024-05-01T12:30:05.123Z ERROR boom', '<time> ERROR boom'],
    ['clock times', '[12:30:05] error: boom', '[<time>] error: boom'],
    ['file:line:col positions', 'src/a.ts:12:5 - error TS2322: x', 'src/a.ts - error TS2322: x'],
    ['tsc positions', 'src/a.ts(12,5): error TS2322: x', 'src/a.ts: error TS2322: x'],
    ['worded positions', 'SyntaxError at line 12, column 5', 'SyntaxError at line, column'],
    ['counts', 'Tests:  3 failed, 4 passed, 7 total', 'Tests: failed, passed, total'],
    ['a trailing count', '⎯⎯ Failed Tests 3 ⎯⎯', '⎯⎯ Failed Tests ⎯⎯'],
    ['TAP numbers', 'not ok 14 - adds', 'not ok - adds'],
    ['progress', 'tests/test_a.py F [ 66%] failed [1/3]', 'tests/test_a.py F [] failed []'],
    ['process ids', '(node:11760) Error: x', '(node) Error: x'],
  ])('%s', (_, line, id) => {
    expect(ids(line)).toEqual([id]);
  });

  it('keeps the numbers that tell one failure from another', () => {
    expect(ids('FAIL test 2 > expected 3 to be 4\nFAIL test 3 > expected 3 to be 4')).toEqual(['FAIL test 2 > expected 3 to be 4', 'FAIL test 3 > expected 3 to be 4']);
  });

  it('gives the same failure on two runs one id, in another directory, time and position', () => {
    const first = ' FAIL  /tmp/tmp.AAAA/src/a.test.ts:10:3 > adds (12ms) at 2024-05-01T12:30:05Z\n';
    const second = ` ${E}[41mFAIL${E}[49m  /tmp/tmp.BBBB/src/a.test.ts:14:3 > adds (1.5s) at 2024-05-02T08:00:00Z\r\n`;
    expect(ids(first)).toEqual(ids(second));
    expect(ids(first)).toHaveLength(1);
  });

  it('reads only the lines that look like a failure; a passing test, a stack frame or a code frame is none', () => {
    const output = [
      ' RUN  v4.1.12 /tmp/guardloop-failures-run1/vitest',
      '   ✓ rejects invalid input 3ms',
      '   × adds 2ms',
      'AssertionError: expected 2 to be 3',
      '    at Object.<anonymous> (src/a.test.ts:3:34)',
      '    > 3 |   expect(add(1, 1)).toBe(3); // expected',
      '      4 | // an error in a comment',
      'ok 3 - handles errors',
      '',
      'Done.',
    ].join('\n');
    expect(ids(output)).toEqual(['× adds', 'AssertionError: expected 2 to be 3']);
    expect(looksLikeFailure('Duration 1.10s')).toBe(false);
    expect(looksLikeFailure('E       assert 1 == 2')).toBe(true);
  });

  it('of a line redrawn with carriage returns reads what was drawn last', () => {
    expect(ids('progress 10%\rprogress 90%\rFAIL adds\nrunning\r\n')).toEqual(['FAIL adds']);
  });

  it('normalizes a line without deciding whether it is a failure', () => {
    expect(normalizeFailureLine('  ok  1 -  a  (3ms)  ')).toBe('ok - a ()');
  });
});

describe('failuresOf with a pattern', () => {
  it('names each match by its capture groups joined with a space, leaving out groups that matched nothing', () => {
    const pattern = '^(?:(\\S+)\\(\\d+,\\d+\\): )?error (TS\\d+): (.*)$';
    expect(ids('a.ts(1,2): error TS1: first\nerror TS5023: no file\n  detail line\n', pattern)).toEqual(['a.ts TS1 first', 'TS5023 no file']);
  });

  it('names a match by the whole match when the pattern has no group, trimmed', () => {
    expect(ids('x\n  FAILED a::b  \nFAILED c::d\n', '^\\s*FAILED \\S+\\s*$')).toEqual(['FAILED a::b', 'FAILED c::d']);
  });

  it('keeps the line a failure was found on, ANSI codes removed', () => {
    expect(failuresOf(`${E}[31m FAIL ${E}[39m a.test.ts > adds\n`, 'FAIL (.+)$').failures).toEqual([{ id: 'a.test.ts > adds', line: 'FAIL  a.test.ts > adds' }]);
  });

  it('has the multiline flag on, and reads ANSI-coloured output as plain', () => {
    expect(ids(`${E}[1mFAILED${E}[22m a\nFAILED b`, '^FAILED (\\w)$')).toEqual(['a', 'b']);
  });

  it('skips a match that names nothing, and does not loop on an empty match', () => {
    expect(ids('a\n\nb\n', '^(\\w*)$')).toEqual(['a', 'b']);
  });

  it('deduplicates by id, in order of first appearance', () => {
    expect(ids('FAIL b\nFAIL a\nFAIL b\nFAIL  a \n', '^FAIL (.+)$')).toEqual(['b', 'a']);
  });

  it('an empty or missing pattern means none', () => {
    expect(ids('FAIL x', '')).toEqual(['FAIL x']);
    expect(ids('FAIL x', null)).toEqual(['FAIL x']);
  });

  it('reads an output as without a pattern when the pattern does not compile', () => {
    expect(ids('FAIL x (12ms)', '^FAIL (x')).toEqual(['FAIL x ()']);
  });
});

describe('the cap', () => {
  it(`keeps the first ${FAILURE_LIMIT} distinct failures and counts the rest`, () => {
    const output = Array.from({ length: FAILURE_LIMIT + 25 }, (_, i) => `FAILED t::case_${i}`).join('\n') + '\nFAILED t::case_0\n';
    const { failures, more } = failuresOf(output, '^FAILED (.+)$');
    expect(failures).toHaveLength(FAILURE_LIMIT);
    expect(failures[0].id).toBe('t::case_0');
    expect(failures[FAILURE_LIMIT - 1].id).toBe(`t::case_${FAILURE_LIMIT - 1}`);
    expect(more).toBe(25);
  });

  it('has nothing more to count when the output is within it', () => {
    expect(failuresOf('FAIL a', null).more).toBe(0);
    expect(failuresOf('', null)).toEqual({ failures: [], more: 0 });
  });
});

describe('compareFailures', () => {
  const f = (id: string) => ({ id, line: `line of ${id}` });

  it('splits the failures of now into introduced and pre-existing, and lists those of before that are gone', () => {
    expect(compareFailures([f('a'), f('b'), f('c')], [f('c'), f('d'), f('a')])).toEqual({
      introduced: [f('d')],
      preexisting: [f('c'), f('a')],
      fixed: [f('b')],
    });
  });

  it('compares by id only: the line a failure was shown on may differ', () => {
    const cmp = compareFailures([{ id: 'a', line: 'a.ts:1' }], [{ id: 'a', line: 'a.ts:9' }]);
    expect(cmp.introduced).toEqual([]);
    expect(cmp.preexisting).toEqual([{ id: 'a', line: 'a.ts:9' }]);
  });

  it('with no failures before, every failure is introduced; with none now, every one is fixed', () => {
    expect(compareFailures([], [f('a')])).toEqual({ introduced: [f('a')], preexisting: [], fixed: [] });
    expect(compareFailures([f('a')], [])).toEqual({ introduced: [], preexisting: [], fixed: [f('a')] });
  });
});

describe('withoutRoot', () => {
  it('takes the directory a guard ran in out of its paths and file URLs', () => {
    const out = '/work/tree/src/a.js\n  1:1 error x\nat file:///work/tree/test/a.mjs:3:4\ncwd /work/tree\n/work/tree2/b.js\n';
    expect(withoutRoot(out, '/work/tree/')).toBe('src/a.js\n  1:1 error x\nat test/a.mjs:3:4\ncwd .\n/work/tree2/b.js\n');
  });

  it('matches a Windows root with either separator', () => {
    expect(withoutRoot('C:\\w\\t\\src\\a.js and C:/w/t/b.js and file:///C:/w/t/c.js', 'C:\\w\\t')).toBe('src\\a.js and b.js and c.js');
  });

  it('treats the root as text, not as a pattern', () => {
    expect(withoutRoot('/a.b/x /axb/y', '/a.b')).toBe('x /axb/y');
  });
});
