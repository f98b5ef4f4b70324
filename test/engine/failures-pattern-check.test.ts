import { describe, expect, it } from 'vitest';
import { checkFailurePattern } from '../../src/engine/failures.js';

// What the config loader is told about a guard's `failures:` pattern.
describe('checkFailurePattern', () => {
  it.each([
    ['^FAILED (.+?)(?: - .*)?$'],
    ['(?<=^(\\S.*)\\n(?:[ \\t]+\\d+:\\d+.*\\n)*)^[ \\t]+\\d+:\\d+[ \\t]+error[ \\t]+(.+)$'],
    ['(?:.*\\n)*?FAIL (\\S+)'],
    ['^(\\w+)\\s+(\\d+)$'],
    ['(a|b)+c'],
    ['[(]+x'],
  ])('accepts %s', (pattern) => {
    expect(checkFailurePattern(pattern)).toBeNull();
  });

  it('refuses an empty pattern, saying what to write', () => {
    for (const p of ['', '   ']) expect(checkFailurePattern(p)).toMatch(/empty.*\^FAILED/);
  });

  it("refuses a pattern JavaScript can't compile, with the engine's reason", () => {
    expect(checkFailurePattern('^FAILED (\\S+')).toMatch(/not a valid JavaScript regular expression \(\/\^FAILED \(\\S\+\/m?: Unterminated group\)/);
    expect(checkFailurePattern('(?i)fail')).toMatch(/Invalid group/);
    expect(checkFailurePattern('*x')).toMatch(/Nothing to repeat/);
  });

  it('refuses a pattern that matches the empty string', () => {
    for (const p of ['.*', '^', '(FAIL)?', 'x*|y']) expect(checkFailurePattern(p), p).toMatch(/matches the empty string/);
  });

  it('refuses a repeated group that repeats inside, naming the part', () => {
    expect(checkFailurePattern('^(a+)+$')).toMatch(/\(\(a\+\)\+\)/);
    expect(checkFailurePattern('FAIL (\\w+\\s?)*!')).toMatch(/\(\\w\+\\s\?\)\*/);
    expect(checkFailurePattern('x(?:.*)+y')).toMatch(/repeats a group that itself repeats/);
    expect(checkFailurePattern('x(?:[a-z]+|\\n)*y')).toMatch(/repeats a group/);
    expect(checkFailurePattern('x(?:a{2,}){3,}y')).toMatch(/repeats a group/);
  });
});
