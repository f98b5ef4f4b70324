import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { escapesRoot } from '../../src/config/rules.js';
import { formatDiagnostics } from '../../src/messages/config.js';
import { removeTempTrees, tempTree, yamlLines } from './temp-tree.js';

afterAll(removeTempTrees);

const INV = 'In this codebase, broken builds must never be committed, because it causes red CI for everyone.';
const guard = (id: string, ...extra: string[]) => [`  - id: ${id}`, '    run: "true"', ...extra];

describe('invariant sentence', () => {
  it('rejects an invariant that does not read as the sentence, quoting the sentence form and naming what is missing', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'guards:', //                                           1
        ...guard('vague', '    invariant: Tests should pass.'), // 2-4
        ...guard('no-why', '    invariant: Tests must not fail.'), // 5-7
        ...guard('no-rule', '    invariant: "Lint, because style matters."'), // 8-10
      ),
    });
    const { config, errors } = await loadConfig({ root });
    expect(config).toBeNull();
    const sentence = 'the invariant must read as the sentence "In this codebase, X must never happen, because it causes Y."';
    expect(errors).toEqual([
      {
        file: '.loop/config.yaml',
        line: 4,
        col: 16,
        path: 'guards.0.invariant',
        message: sentence,
        expected: 'In this codebase, X must never happen, because it causes Y.',
        hint: 'say what must never happen (a "must never", "must not" or "must always" clause); and say why, in a "because …" clause naming what it causes',
        severity: 'error',
      },
      {
        file: '.loop/config.yaml',
        line: 7,
        col: 16,
        path: 'guards.1.invariant',
        message: sentence,
        expected: 'In this codebase, X must never happen, because it causes Y.',
        hint: 'say why, in a "because …" clause naming what it causes',
        severity: 'error',
      },
      {
        file: '.loop/config.yaml',
        line: 10,
        col: 16,
        path: 'guards.2.invariant',
        message: sentence,
        expected: 'In this codebase, X must never happen, because it causes Y.',
        hint: 'say what must never happen (a "must never", "must not" or "must always" clause)',
        severity: 'error',
      },
    ]);
  });

  it('accepts "must never", "must not" and "must always" in any case, with a "because" clause', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'guards:',
        ...guard('a', '    invariant: In this codebase, secrets MUST NEVER be logged, BECAUSE it causes leaks.'),
        ...guard('b', '    invariant: In this codebase, the API must not return 500 because it causes paging.'),
        ...guard('c', '    invariant: In this codebase, migrations must always be reversible, because it causes outages otherwise.'),
      ),
    });
    const { errors } = await loadConfig({ root });
    expect(errors).toEqual([]);
  });
});

describe('duplicate ids', () => {
  it('reports a repeated id at the second declaration, pointing back at the first', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('guards:', ...guard('a', `    invariant: ${INV}`), ...guard('b', `    invariant: ${INV}`), ...guard('a', `    invariant: ${INV}`)),
    });
    const { errors } = await loadConfig({ root });
    expect(errors).toEqual([
      {
        file: '.loop/config.yaml',
        line: 8,
        col: 9,
        path: 'guards.2.id',
        message: 'duplicate guard id "a" (first declared at .loop/config.yaml:2:9)',
        hint: 'give each guard its own id',
        severity: 'error',
      },
    ]);
  });
});

describe('{files} and cwd', () => {
  it('warns when run uses {files} without files globs (the config still loads)', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('guards:', '  - id: fmt', '    run: [prettier, --check, "{files}"]', `    invariant: ${INV}`),
    });
    const { config, errors, warnings } = await loadConfig({ root });
    expect(errors).toEqual([]);
    expect(config!.guards).toHaveLength(1);
    expect(formatDiagnostics(warnings)).toBe(
      '.loop/config.yaml:3:10: warning: guards.0.run: `{files}` is used in run, but the guard declares no `files` globs\n' +
        '  hint: add `files:` globs (e.g. `files: ["**/*.ts"]`) so that {files} expands to the matching changed paths',
    );
  });

  it('rejects a cwd outside the repository, relative or absolute, and accepts one inside', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines(
        'guards:',
        ...guard('up', `    invariant: ${INV}`, '    cwd: ../elsewhere'), // 2-5
        ...guard('abs', `    invariant: ${INV}`, '    cwd: /tmp'), // 6-9
        ...guard('inside', `    invariant: ${INV}`, '    cwd: packages/../app'), // 10-13
      ),
    });
    const { errors } = await loadConfig({ root });
    expect(errors.map((e) => `${e.line}:${e.col} ${e.path}: ${e.message}`)).toEqual([
      '5:10 guards.0.cwd: cwd "../elsewhere" is outside the repository',
      '9:10 guards.1.cwd: cwd "/tmp" is outside the repository',
    ]);
    expect(errors[0].hint).toBe('use a path such as "." or "packages/app"');
  });

  it('escapesRoot treats a sibling with a common prefix as outside', () => {
    expect(escapesRoot('/repo', '../repo-other')).toBe(true);
    expect(escapesRoot('/repo', '..')).toBe(true);
    expect(escapesRoot('/repo', 'a/../..')).toBe(true);
    expect(escapesRoot('/repo', '..foo')).toBe(false);
    expect(escapesRoot('/repo', '.')).toBe(false);
  });
});
