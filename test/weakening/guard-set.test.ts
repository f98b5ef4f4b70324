import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_NAMES } from '../../src/audit/weakening/checks.js';
import { SOURCE_EXTENSIONS } from '../../src/audit/weakening/file-kinds.js';
import { COVERAGE_CONFIG_GLOBS } from '../../src/audit/weakening/lowered-coverage.js';
import { loadConfig } from '../../src/config/load.js';
import { TEST_FILE_GLOBS } from '../../src/engine/protect.js';
import { PROJECT, withGitRepo } from '../helpers/git-repo.js';
import { hook, records, stopPayload } from '../agents/helpers.js';
import { call, commitBase } from './helpers.js';

const TEST_TS = 'import { expect, it } from "vitest";\nit("adds", () => {\n  expect(1 + 1).toBe(2);\n});\n';

describe('guards/no-test-weakening.yaml', async () => {
  const { config, errors } = await loadConfig({ root: PROJECT, file: path.join(PROJECT, 'guards', 'no-test-weakening.yaml'), packageDir: PROJECT });

  it('declares one guard per built-in check, each running `guardloop check <its id>` on pre-commit and stop', () => {
    expect(errors).toEqual([]);
    expect(config!.guards.map((g) => g.id)).toEqual([...CHECK_NAMES]);
    for (const guard of config!.guards) {
      expect(guard).toMatchObject({ run: `guardloop check ${guard.id}`, on: ['pre-commit', 'stop'], layer: 'review' });
      expect(guard.invariant).toMatch(/^In this codebase, .+ must never .+, because it causes .+\.$/);
    }
  });

  it('its `files` say what the checks read: the engine’s test globs, the source extensions, snapshots', () => {
    const files = Object.fromEntries(config!.guards.map((g) => [g.id, g.files]));
    for (const id of ['no-focused-or-skipped-tests', 'no-deleted-tests', 'no-removed-assertions']) expect(files[id]).toEqual(TEST_FILE_GLOBS);
    expect(files['no-suppression-comments']).toEqual([`**/*.{${SOURCE_EXTENSIONS.join(',')}}`]);
    expect(files['no-snapshot-with-code']).toEqual(['**/*.snap']);
    expect(files['no-lowered-coverage']).toEqual(COVERAGE_CONFIG_GLOBS);
  });

  it('through `extends: [guardloop/no-test-weakening]`, a real `git commit` that adds a skip is refused with the invariant and the finding; `enabled: false` switches that guard off', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config('extends: [guardloop/no-test-weakening]\n');
      repo.write('test/a.test.ts', TEST_TS);
      repo.git('add', '-A');
      const first = await repo.commit('first: a test');
      expect(first.code, first.stderr + first.stdout).toBe(0);

      repo.write('test/a.test.ts', TEST_TS.replace('it(', call('it', 'skip')));
      repo.git('add', '-A');
      const refused = await repo.commit('skip the failing test');
      const out = refused.stdout + refused.stderr;
      expect(refused.code).not.toBe(0);
      expect(repo.git('log', '--format=%s')).toBe('first: a test');
      expect(out).toContain('no-focused-or-skipped-tests');
      expect(out).toContain('In this codebase, a focused or skipped test (.only, .skip, xit, xdescribe, test.todo, @pytest.mark.skip, t.Skip, @Disabled) must never be added');
      expect(out).toContain('test/a.test.ts:2: adds "it.skip"');

      repo.config('extends: [guardloop/no-test-weakening]\nguards:\n  - id: no-focused-or-skipped-tests\n    enabled: false\n');
      repo.git('add', '-A');
      const allowed = await repo.commit('skip, with the guard switched off');
      expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
      expect(repo.git('log', '-1', '--format=%s')).toBe('skip, with the guard switched off');
    }));

  it('an agent that skips a test to go green is rejected at its stop, the reason carrying the invariant and the finding', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      commitBase(repo, { '.loop/config.yaml': 'extends: [guardloop/no-test-weakening]\n', 'src/add.ts': 'export const add = (a: number, b: number) => a + b;\n', 'test/add.test.ts': TEST_TS });
      repo.write('src/add.ts', 'export const add = (a: number, b: number) => a - b;\n');
      repo.write('test/add.test.ts', TEST_TS.replace('it(', call('it', 'skip')));
      const res = await hook(repo, 'claude', stopPayload('claude', repo.dir));
      expect(res.code, res.stderr).toBe(0);
      const { decision, reason } = JSON.parse(res.stdout);
      expect(decision).toBe('block');
      expect(reason).toContain('## no-focused-or-skipped-tests failed (exit 1)');
      expect(reason).toContain('Invariant: In this codebase, a focused or skipped test (.only, .skip, xit, xdescribe, test.todo, @pytest.mark.skip, t.Skip, @Disabled) must never be added, because it causes tests to stop running while the suite still reports green.');
      expect(reason).toContain('test/add.test.ts:2: adds "it.skip" — a focused or skipped test stops tests from running');
      const [rejected] = records(repo);
      expect(rejected).toMatchObject({ status: 'REJECTED', hook: 'stop', source: 'GENERATOR', agent: 'claude' });
    }));
});
