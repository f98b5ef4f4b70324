import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { PACKAGE_DIR, removeTempTrees, tempTree, yamlLines } from './temp-tree.js';

afterAll(removeTempTrees);

const INV = 'In this codebase, broken builds must never be committed, because it causes red CI for everyone.';

describe('extends', () => {
  it('includes guardloop/typescript from the package guards/ folder and lets a local guard override it', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('extends: [guardloop/typescript]', 'guards:', '  - id: typescript', '    run: npx --no -- tsc --noEmit -p tsconfig.build.json', '    timeout: 2m'),
    });
    const { config, errors, warnings } = await loadConfig({ root, packageDir: PACKAGE_DIR });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    const shipped = path.relative(root, path.join(PACKAGE_DIR, 'guards/typescript.yaml'));
    expect(config!.files).toEqual(['.loop/config.yaml', shipped]);
    expect(config!.guards).toHaveLength(1);
    expect(config!.guards[0]).toMatchObject({
      id: 'typescript',
      run: 'npx --no -- tsc --noEmit -p tsconfig.build.json',
      layer: 'type',
      timeout: 120_000,
      source: '.loop/config.yaml',
    });
    expect(config!.guards[0].invariant).toMatch(/^In this codebase, .* must never .*, because it causes /);
    expect(config!.guards[0].files).toContain('**/*.ts');
  });

  it('finds the package guards/ folder on its own when packageDir is not given', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('extends: [guardloop/eslint]') });
    const { config, errors } = await loadConfig({ root });
    expect(errors).toEqual([]);
    expect(config!.guards.map((g) => g.id)).toEqual(['eslint']);
  });

  it('resolves a relative path against the including file, nested extends first, a file reached twice once', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('extends: [../shared/a.yaml, ../shared/b.yaml]', 'guards:', '  - id: own', '    run: "true"', `    invariant: ${INV}`),
      'shared/a.yaml': yamlLines('extends: [./common/c.yaml]', 'guards:', '  - id: from-a', '    run: "true"', `    invariant: ${INV}`),
      'shared/b.yaml': yamlLines('extends: [./common/c.yaml]', 'guards:', '  - id: from-b', '    run: "true"', `    invariant: ${INV}`),
      'shared/common/c.yaml': yamlLines('guards:', '  - id: from-c', '    run: "true"', `    invariant: ${INV}`),
    });
    const { config, errors } = await loadConfig({ root, packageDir: PACKAGE_DIR });
    expect(errors).toEqual([]);
    expect(config!.guards.map((g) => `${g.id}@${g.source}`)).toEqual([
      'from-c@shared/common/c.yaml',
      'from-a@shared/a.yaml',
      'from-b@shared/b.yaml',
      'own@.loop/config.yaml',
    ]);
    expect(config!.files).toEqual(['.loop/config.yaml', 'shared/common/c.yaml', 'shared/a.yaml', 'shared/b.yaml']);
  });

  it('reports a cycle at the extends entry that closes it, with the chain', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('extends: [./a.yaml]'),
      '.loop/a.yaml': yamlLines('extends: [./b.yaml]'),
      '.loop/b.yaml': yamlLines('guards: []', 'extends:', '  - ./a.yaml'),
    });
    const { config, errors } = await loadConfig({ root });
    expect(config).toBeNull();
    expect(errors).toEqual([
      {
        file: '.loop/b.yaml',
        line: 3,
        col: 5,
        path: 'extends.0',
        message: 'extends cycle: .loop/a.yaml → .loop/b.yaml → .loop/a.yaml',
        hint: 'remove one of these extends so that no file includes itself',
        severity: 'error',
      },
    ]);
  });

  it('a file extending itself is a cycle too', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('extends: [./config.yaml]') });
    const { errors } = await loadConfig({ root });
    expect(errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual(['1:11 extends cycle: .loop/config.yaml → .loop/config.yaml']);
  });

  it('reports missing files with a did-you-mean for ready-made names, and malformed names', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('extends: [guardloop/typscript, ./nope.yaml, guardloop/Bad_Name]') });
    const { errors } = await loadConfig({ root, packageDir: PACKAGE_DIR });
    const shipped = path.relative(root, path.join(PACKAGE_DIR, 'guards/typscript.yaml'));
    expect(errors).toEqual([
      {
        file: '.loop/config.yaml',
        line: 1,
        col: 11,
        path: 'extends.0',
        message: `cannot find "guardloop/typscript" (looked for ${shipped})`,
        hint: 'did you mean "guardloop/typescript"?',
        severity: 'error',
      },
      {
        file: '.loop/config.yaml',
        line: 1,
        col: 32,
        path: 'extends.1',
        message: 'cannot find "./nope.yaml" (looked for .loop/nope.yaml)',
        hint: 'check the path: a relative path is relative to the file that contains the extends',
        severity: 'error',
      },
      {
        file: '.loop/config.yaml',
        line: 1,
        col: 45,
        path: 'extends.2',
        message: 'invalid ready-made guard name "guardloop/Bad_Name"',
        expected: '"guardloop/<name>" with a lowercase name such as "guardloop/typescript", or a relative path',
        severity: 'error',
      },
    ]);
  });

  it('lists the ready-made files when a name is not close to any', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('extends: [guardloop/mypy]') });
    const { errors } = await loadConfig({ root, packageDir: PACKAGE_DIR });
    expect(errors[0].hint).toBe(
      'ready-made guard files: guardloop/conflict-markers, guardloop/eslint, guardloop/no-large-files, guardloop/no-test-weakening, guardloop/prettier, guardloop/typescript, guardloop/vitest',
    );
  });

  it('validates the merged guard and points each error into the file holding the offending key', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'extends: [./base.yaml]', // 1
        'guards:', //                2
        '  - id: lint', //           3
        '    timeout: never', //     4
        '  - id: own', //            5
      ),
      '.loop/base.yaml': yamlLines(
        'guards:', //                      1
        '  - id: lint', //                 2
        '    run: eslint', //              3
        '    invariant: Lint must pass.', // 4
        '    layr: lint', //               5
      ),
    });
    const { config, errors } = await loadConfig({ root });
    expect(config).toBeNull();
    expect(errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.path}: ${e.message}`)).toEqual([
      '.loop/config.yaml:4:14 guards.0.timeout: invalid value "never"',
      '.loop/config.yaml:5:5 guards.1.run: missing required key "run"',
      '.loop/config.yaml:5:5 guards.1.invariant: missing required key "invariant"',
      '.loop/base.yaml:4:16 guards.0.invariant: the invariant must read as the sentence "In this codebase, X must never happen, because it causes Y."',
      '.loop/base.yaml:5:5 guards.0.layr: unknown key',
    ]);
    expect(errors[4].hint).toBe('did you mean "layer"?');
  });

  it('an override supplying the missing key of an extended guard makes it valid', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('extends: [./base.yaml]', 'guards:', '  - id: partial', `    invariant: ${INV}`),
      '.loop/base.yaml': yamlLines('guards:', '  - id: partial', '    run: make check'),
    });
    const { config, errors } = await loadConfig({ root });
    expect(errors).toEqual([]);
    expect(config!.guards[0]).toMatchObject({ id: 'partial', run: 'make check', invariant: INV, source: '.loop/config.yaml' });
  });

  it('two sibling extended files declaring the same id is a duplicate, not an override', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('extends: [./a.yaml, ./b.yaml]'),
      '.loop/a.yaml': yamlLines('guards:', '  - id: same', '    run: a', `    invariant: ${INV}`),
      '.loop/b.yaml': yamlLines('guards:', '  - id: same', '    run: b', `    invariant: ${INV}`),
    });
    const { errors } = await loadConfig({ root });
    expect(errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.message}`)).toEqual([
      '.loop/b.yaml:2:9 duplicate guard id "same" (first declared at .loop/a.yaml:2:9)',
    ]);
  });

  it('warns that settings other than guards in an extended file are ignored', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('extends: [./base.yaml]'),
      '.loop/base.yaml': yamlLines('parallel: false', 'guards: []'),
    });
    const { config, errors, warnings } = await loadConfig({ root });
    expect(errors).toEqual([]);
    expect(config!.parallel).toBe(true);
    expect(warnings).toEqual([
      {
        file: '.loop/base.yaml',
        line: 1,
        col: 1,
        path: 'parallel',
        message: '"parallel" in an extended file is ignored: an extended file contributes only its guards',
        hint: 'move it into .loop/config.yaml',
        severity: 'warning',
      },
    ]);
  });

  it('validates the top level of an extended file in that file', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('extends: [./base.yaml, ./list.yaml, ./scalar.yaml]'),
      '.loop/base.yaml': yamlLines('extends: ./other.yaml', 'gaurds: []'),
      '.loop/list.yaml': yamlLines('guards: { id: x }'),
      '.loop/scalar.yaml': yamlLines('just text'),
    });
    const { errors } = await loadConfig({ root });
    expect(errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.path}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`)).toEqual([
      '.loop/base.yaml:1:10 extends: expected a list, got the string "./other.yaml"',
      '.loop/base.yaml:2:1 gaurds: unknown key (did you mean "guards"?)',
      '.loop/list.yaml:1:9 guards: expected a list, got a mapping',
      '.loop/scalar.yaml:1:1 : the file must be a mapping of keys to values, got the string "just text" (start the file with `guards:` and list each guard under it as `- id: …`)',
    ]);
  });

  it('a ready-made guard is taken as shipped in the package guards/ folder', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines('extends: [guardloop/prettier]') });
    const { config } = await loadConfig({ root, packageDir: PACKAGE_DIR });
    const shipped = await readFile(path.join(PACKAGE_DIR, 'guards/prettier.yaml'), 'utf8');
    expect(shipped).toContain(config!.guards[0].invariant);
  });
});
