import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { removeTempTrees, tempTree, yamlLines } from './temp-tree.js';

afterAll(removeTempTrees);

describe('YAML syntax errors', () => {
  it('reports every syntax error of a file at once, each with line:col, and runs nothing', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'guards:', //            1
        '  - id: a', //          2
        '    id: b', //          3  duplicate key
        '    run: x', //         4
        '  - id: c', //          5
        '   bad: 1', //          6  neither in the mapping nor a new item
      ),
    });
    const { config, errors, warnings } = await loadConfig({ root });
    expect(config).toBeNull();
    expect(warnings).toEqual([]);
    expect(errors).toEqual([
      {
        file: '.loop/config.yaml',
        line: 3,
        col: 5,
        path: '',
        message: 'YAML syntax error: Map keys must be unique',
        hint: 'remove or rename one of the two keys',
        severity: 'error',
      },
      {
        file: '.loop/config.yaml',
        line: 6,
        col: 1,
        path: '',
        message: 'YAML syntax error: Sequence item without - indicator',
        hint: 'start each list item with "- " at the same column as the items before it',
        severity: 'error',
      },
    ]);
  });

  it('reports indentation and flow-collection errors in one pass', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('guards:', '  - id: a', '    run: x', '  bad indent: 1', 'foo: {a: 1') });
    const { errors } = await loadConfig({ root });
    expect(errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual([
      '4:1 YAML syntax error: All mapping items must start at the same column',
      '6:1 YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
  });

  it('reports syntax errors of an extended file in that file', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('extends: [./shared/guards.yaml]'),
      '.loop/shared/guards.yaml': yamlLines('guards:', "  - id: 'open"),
    });
    const { config, errors } = await loadConfig({ root });
    expect(config).toBeNull();
    expect(errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.message}`)).toEqual([".loop/shared/guards.yaml:3:1 YAML syntax error: Missing closing 'quote"]);
  });

  it('says what it got when the file is not a mapping', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('- id: a') });
    const { errors } = await loadConfig({ root });
    expect(errors).toEqual([
      {
        file: '.loop/config.yaml',
        line: 1,
        col: 1,
        path: '',
        message: 'the file must be a mapping of keys to values, got a list',
        expected: 'a mapping such as "guards:" followed by a list of guards',
        hint: 'start the file with `guards:` and list each guard under it as `- id: …`',
        severity: 'error',
      },
    ]);
  });
});
