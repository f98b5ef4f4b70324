import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configHash } from '../../src/config/config-hash.js';
import { PACKAGE_DIR, removeTempTrees, tempTree, yamlLines } from './temp-tree.js';

afterAll(removeTempTrees);

const at = (d: { line: number; col: number; path: string; message: string }) => `${d.line}:${d.col} ${d.path}: ${d.message}`;

// `constraints:` in .loop/config.yaml: the constraint log's grace period and idle thresholds.
describe('constraints settings', () => {
  it('loads the grace period and the idle thresholds, defaulting what is left out', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('constraints:', '  grace: 36h', '  idle:', '    runs: 20') });
    const { config, errors } = await loadConfig({ root });
    expect(errors).toEqual([]);
    expect(config!.constraints).toEqual({ grace: '36h', idle: { runs: 20, period: '30d' } });
    const two = await tempTree({ '.loop/config.yaml': yamlLines('constraints: {}') });
    expect((await loadConfig({ root: two })).config!.constraints).toEqual({ grace: '7d', idle: { runs: 50, period: '30d' } });
  });

  it('a config without the key has no settings and hashes as before the key existed', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('guards: []') });
    const { config } = await loadConfig({ root });
    expect(config!.constraints).toBeUndefined();
    expect('constraints' in config!).toBe(false);
    expect(configHash(config!)).toBe(configHash({ ...config! }));
  });

  it('reports bad values at their line and column, with the expected form', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'constraints:', //      1
        '  grace: 7', //        2
        '  idle:', //           3
        '    runs: 0', //       4
        '    period: 1 month', // 5
        '    after: 3', //      6
      ),
    });
    const { config, errors } = await loadConfig({ root });
    expect(config).toBeNull();
    expect(errors.map(at)).toEqual([
      '2:10 constraints.grace: expected a string, got the number 7',
      '4:11 constraints.idle.runs: must be greater than 0',
      '5:13 constraints.idle.period: invalid value "1 month"',
      '6:5 constraints.idle.after: unknown key',
    ]);
    expect(errors[2]).toMatchObject({ expected: 'a period such as "36h", "7d" or "2w"' });
  });

  it('is in schema.json', async () => {
    const schema = JSON.parse(await readFile(path.join(PACKAGE_DIR, 'schema.json'), 'utf8'));
    const c = schema.properties.constraints;
    expect(Object.keys(c.properties)).toEqual(['grace', 'idle']);
    expect(c.properties.grace.default).toBe('7d');
    expect(c.properties.idle.properties.runs.default).toBe(50);
    expect(new RegExp(c.properties.grace.pattern).test('2w')).toBe(true);
    expect(new RegExp(c.properties.grace.pattern).test('2 weeks')).toBe(false);
  });
});
