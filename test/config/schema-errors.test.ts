import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { formatDiagnostics } from '../../src/messages/config.js';
import { removeTempTrees, tempTree, yamlLines } from './temp-tree.js';

afterAll(removeTempTrees);

const INV = 'In this codebase, broken builds must never be committed, because it causes red CI for everyone.';
const at = (d: { line: number; col: number; path: string; message: string }) => `${d.line}:${d.col} ${d.path}: ${d.message}`;

describe('schema errors', () => {
  it('reports every schema violation at once with line:col, the dot path, what was expected and a hint', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'version: 2', //                    1
        'guards:', //                       2
        '  - id: a', //                     3
        `    invariant: ${INV}`, //         4
        '    run: 5', //                    5
        '    layer: lnt', //                6
        '    timeout: soon', //             7
        '    on: []', //                    8
        '  - just a string', //             9
        '  - id: "bad id"', //              10
        '    run: x', //                    11
        `    invariant: ${INV}`, //         12
        '  - id: no-run', //                13
        `    invariant: ${INV}`, //         14
        'agent:', //                        15
        '  maxAttempts: 0', //              16
      ),
    });
    const { config, errors } = await loadConfig({ root });
    expect(config).toBeNull();
    expect(errors.map(at)).toEqual([
      '1:10 version: expected 1, got 2',
      '5:10 guards.0.run: expected a string or a list, got the number 5',
      '6:12 guards.0.layer: "lnt" is not one of the allowed values',
      '7:14 guards.0.timeout: invalid value "soon"',
      '8:9 guards.0.on: must list at least 1 item',
      '9:5 guards.1: expected a mapping, got the string "just a string"',
      '10:9 guards.2.id: invalid value "bad id"',
      '13:5 guards.3.run: missing required key "run"',
      '16:16 agent.maxAttempts: must be greater than 0',
    ]);
    expect(errors.every((e) => e.file === '.loop/config.yaml' && e.severity === 'error')).toBe(true);
    expect(errors[2]).toMatchObject({ expected: 'one of: type, primitive, lint, test, review, other', hint: 'did you mean "lint"?' });
    expect(errors[3]).toMatchObject({ expected: 'a duration such as "30s", "5m" or "1h"' });
    expect(errors[6]).toMatchObject({ expected: 'letters, digits, ".", "_", ":" or "-", starting with a letter or digit' });
    expect(errors[7]).toMatchObject({ hint: 'add `run:` with the command line of the check, e.g. `run: npm test`' });
  });

  it('reports unknown keys at the key, with a did-you-mean from the keys allowed in that object', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'guards:', //                       1
        '  - id: a', //                     2
        '    run: "true"', //               3
        `    invariant: ${INV}`, //         4
        '  - id: b', //                     5
        '    run: "true"', //               6
        '    timout: 30s', //               7
        `    invariant: ${INV}`, //         8
        '    colour: red', //               9
        'paralel: false', //                10
        'agent: { onErorr: allow }', //     11
      ),
    });
    const { errors } = await loadConfig({ root });
    expect(errors).toEqual([
      { file: '.loop/config.yaml', line: 7, col: 5, path: 'guards.1.timout', message: 'unknown key', hint: 'did you mean "timeout"?', severity: 'error' },
      {
        file: '.loop/config.yaml',
        line: 9,
        col: 5,
        path: 'guards.1.colour',
        message: 'unknown key',
        hint: 'remove "colour"; allowed keys here: id, run, invariant, layer, on, files, inputs, failures, retries, timeout, env, cwd, fix, enabled',
        severity: 'error',
      },
      { file: '.loop/config.yaml', line: 10, col: 1, path: 'paralel', message: 'unknown key', hint: 'did you mean "parallel"?', severity: 'error' },
      { file: '.loop/config.yaml', line: 11, col: 10, path: 'agent.onErorr', message: 'unknown key', hint: 'did you mean "onError"?', severity: 'error' },
    ]);
    expect(formatDiagnostics(errors.slice(0, 1))).toBe('.loop/config.yaml:7:5: guards.1.timout: unknown key\n  hint: did you mean "timeout"?');
  });

  it('says what to write when the invariant is missing', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('guards:', '  - id: a', '    run: "true"') });
    const { errors } = await loadConfig({ root });
    expect(errors).toEqual([
      {
        file: '.loop/config.yaml',
        line: 2,
        col: 5,
        path: 'guards.0.invariant',
        message: 'missing required key "invariant"',
        expected: 'The sentence: "In this codebase, X must never happen, because it causes Y."',
        hint: 'add `invariant: "In this codebase, X must never happen, because it causes Y."` with X and Y filled in',
        severity: 'error',
      },
    ]);
  });
});
