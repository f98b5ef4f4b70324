import { afterAll, describe, expect, it } from 'vitest';
import { configHash, loadConfig } from '../../src/config/load.js';
import { PACKAGE_DIR, removeTempTrees, tempTree, yamlLines } from './temp-tree.js';

afterAll(removeTempTrees);

const INV = 'In this codebase, broken builds must never be committed, because it causes red CI for everyone.';

describe('loadConfig on a valid config', () => {
  it('normalizes durations to milliseconds and fills in defaults', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        '# yaml-language-server: $schema=../node_modules/guardloop/schema.json',
        'guards:',
        '  - id: minutes',
        '    run: "true"',
        `    invariant: ${INV}`,
        '    timeout: 5m',
        '  - id: seconds-number',
        '    run: [node, -e, "0"]',
        `    invariant: ${INV}`,
        '    timeout: 90',
        '  - id: ms',
        '    run: "true"',
        `    invariant: ${INV}`,
        '    timeout: 500ms',
        '    layer: lint',
        '    on: [manual]',
        '  - id: hour',
        '    run: "true"',
        `    invariant: ${INV}`,
        '    timeout: 1h',
        '  - id: fraction',
        '    run: "true"',
        `    invariant: ${INV}`,
        '    timeout: 1.5s',
      ),
    });
    const { config, errors, warnings } = await loadConfig({ root, packageDir: PACKAGE_DIR });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config!.guards.map((g) => [g.id, g.timeout])).toEqual([
      ['minutes', 300_000],
      ['seconds-number', 90_000],
      ['ms', 500],
      ['hour', 3_600_000],
      ['fraction', 1_500],
    ]);
    expect(config!.guards[0]).toEqual({
      id: 'minutes',
      run: 'true',
      invariant: INV,
      layer: 'other',
      on: ['pre-commit', 'stop'],
      timeout: 300_000,
      env: {},
      cwd: '.',
      fix: false,
      enabled: true,
      source: '.loop/config.yaml',
    });
    expect(config!.guards[1].run).toEqual(['node', '-e', '0']);
    expect(config!.guards[2]).toMatchObject({ layer: 'lint', on: ['manual'] });
    expect(config).toMatchObject({
      version: 1,
      parallel: true,
      isolation: 'auto',
      link: ['node_modules'],
      env: {},
      protected: ['.loop/**'],
      agent: { maxAttempts: 5, onError: 'block-once' },
      limits: { output: 20_000, diff: 1_048_576 },
      redact: [],
      files: ['.loop/config.yaml'],
      root,
    });
    expect(config).not.toHaveProperty('extends');
    expect(config).not.toHaveProperty('$schema');
  });

  it('puts extended guards first in declaration order, merges overrides shallowly and drops disabled guards', async () => {
    const root = await tempTree({
      '.loop/base.yaml': yamlLines(
        'extends: [./deeper.yaml]',
        'guards:',
        '  - id: lint',
        '    run: eslint .',
        `    invariant: ${INV}`,
        '    layer: lint',
        '    env: { A: "1" }',
        '  - id: slow',
        '    run: sleep 100',
        `    invariant: ${INV}`,
      ),
      '.loop/deeper.yaml': yamlLines('guards:', '  - id: deep', '    run: deep-check', `    invariant: ${INV}`, '    layer: type'),
      '.loop/config.yaml': yamlLines(
        'extends: [./base.yaml]',
        'env: { CI: "1" }',
        'guards:',
        '  - id: local',
        '    run: npm test',
        `    invariant: ${INV}`,
        '  - id: lint',
        '    run: eslint --fix .',
        '    fix: true',
        '    env: { B: "2" }',
        '  - id: slow',
        '    enabled: false',
      ),
    });
    const { config, errors, warnings } = await loadConfig({ root, packageDir: PACKAGE_DIR });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config!.guards.map((g) => [g.id, g.source])).toEqual([
      ['deep', '.loop/deeper.yaml'],
      ['lint', '.loop/config.yaml'],
      ['local', '.loop/config.yaml'],
    ]);
    // Local keys win, keys the override doesn't name are kept, objects are replaced (not deep-merged).
    expect(config!.guards[1]).toMatchObject({ run: 'eslint --fix .', fix: true, layer: 'lint', invariant: INV, env: { B: '2' } });
    expect(config!.env).toEqual({ CI: '1' });
    expect(config!.files).toEqual(['.loop/config.yaml', '.loop/deeper.yaml', '.loop/base.yaml']);
  });

  it('reads the config from another file when told to, and an empty file is a config with no guards', async () => {
    const root = await tempTree({ 'ci/guards.yaml': '' });
    const { config, errors } = await loadConfig({ root, file: 'ci/guards.yaml' });
    expect(errors).toEqual([]);
    expect(config!.guards).toEqual([]);
    expect(config!.files).toEqual(['ci/guards.yaml']);
  });

  it('reports a missing config file with the command that creates one', async () => {
    const root = await tempTree({});
    const { config, errors } = await loadConfig({ root });
    expect(config).toBeNull();
    expect(errors).toEqual([
      {
        file: '.loop/config.yaml',
        line: 0,
        col: 0,
        path: '',
        message: 'no guardloop config at .loop/config.yaml',
        hint: 'run `npx guardloop init` to create one, or pass the path of your config file',
        severity: 'error',
      },
    ]);
  });
});

describe('configHash', () => {
  const config = (run: string, root: string, source: string) => ({
    version: 1 as const,
    parallel: true,
    isolation: 'auto' as const,
    link: ['node_modules'],
    env: {},
    protected: ['.loop/**'],
    agent: { maxAttempts: 5, onError: 'block-once' as const },
    limits: { output: 20_000, diff: 1_048_576 },
    audit: { merges: 'require' as const },
    sync: { onPush: false },
    redact: [],
    guards: [{ id: 'a', run, invariant: INV, layer: 'other' as const, on: ['pre-commit' as const], timeout: 1000, env: {}, cwd: '.', fix: false, enabled: true, source }],
    files: [source],
    root,
  });

  it('is the sha256 of the resolved guard set, independent of where the config was read from and of key order', () => {
    const a = configHash(config('true', '/one', '.loop/config.yaml'));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash(config('true', '/two', '.loop/other.yaml'))).toBe(a);
    const reordered = Object.fromEntries(Object.entries(config('true', '/one', 'x')).reverse()) as ReturnType<typeof config>;
    expect(configHash(reordered)).toBe(a);
    expect(configHash(config('false', '/one', '.loop/config.yaml'))).not.toBe(a);
  });

  it('matches between two loads of the same files', async () => {
    const text = yamlLines('guards:', '  - id: a', '    run: "true"', `    invariant: ${INV}`);
    const first = await loadConfig({ root: await tempTree({ '.loop/config.yaml': text }) });
    const second = await loadConfig({ root: await tempTree({ '.loop/config.yaml': text }) });
    expect(configHash(first.config!)).toBe(configHash(second.config!));
  });
});
