import { describe, expect, it } from 'vitest';
import { closestWord, editDistance } from '../../src/config/did-you-mean.js';
import { durationToMs } from '../../src/config/duration.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { formatDiagnostics } from '../../src/messages/config.js';

describe('formatDiagnostics', () => {
  it('prints file:line:col, the key path, the message, then expected and hint lines; warnings marked', () => {
    expect(
      formatDiagnostics([
        { file: '.loop/config.yaml', line: 7, col: 5, path: 'guards.1.timout', message: 'unknown key', hint: 'did you mean "timeout"?', severity: 'error' },
        { file: '.loop/config.yaml', line: 9, col: 14, path: 'guards.1.timeout', message: 'invalid value "soon"', expected: 'a duration such as "30s", "5m" or "1h"', severity: 'error' },
        { file: '.loop/config.yaml', line: 0, col: 0, path: '', message: 'no guardloop config at .loop/config.yaml', severity: 'error' },
        { file: '.loop/base.yaml', line: 1, col: 1, path: 'parallel', message: 'ignored', severity: 'warning' },
      ]),
    ).toBe(
      [
        '.loop/config.yaml:7:5: guards.1.timout: unknown key',
        '  hint: did you mean "timeout"?',
        '.loop/config.yaml:9:14: guards.1.timeout: invalid value "soon"',
        '  expected: a duration such as "30s", "5m" or "1h"',
        '.loop/config.yaml: no guardloop config at .loop/config.yaml',
        '.loop/base.yaml:1:1: warning: parallel: ignored',
      ].join('\n'),
    );
  });
});

describe('ConfigError', () => {
  it('has the stable code CONFIG_INVALID, exit code 2, the diagnostics as data and the formatted text as message', () => {
    const errors = [{ file: 'c.yaml', line: 1, col: 2, path: 'x', message: 'unknown key', severity: 'error' as const }];
    const error = new ConfigError(errors);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.name).toBe('ConfigError');
    expect(error.data).toEqual({ errors });
    expect(error.message).toBe('c.yaml:1:2: x: unknown key');
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'ConfigError', code: 'CONFIG_INVALID', message: 'c.yaml:1:2: x: unknown key', data: { errors } });
  });
});

describe('durationToMs', () => {
  it.each([
    ['5m', 300_000],
    ['90s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['2.5m', 150_000],
    ['10 s', 10_000],
    [30, 30_000],
    [0.25, 250],
  ] as const)('%s → %i ms', (input, ms) => {
    expect(durationToMs(input)).toBe(ms);
  });

  it('throws on a string the schema would have rejected', () => {
    expect(() => durationToMs('soon')).toThrow('not a duration: "soon"');
  });
});

describe('did-you-mean', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('timeout', 'timeuot')).toBe(1);
    expect(editDistance('timout', 'timeout')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only close words', () => {
    expect(closestWord('invarient', ['id', 'run', 'invariant'])).toBe('invariant');
    expect(closestWord('Layer', ['layer', 'on'])).toBe('layer');
    expect(closestWord('colour', ['id', 'run', 'invariant', 'layer'])).toBeUndefined();
  });
});
