import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, records, stopPayload } from '../agents/helpers.js';

// Per-guard reuse by inputs: a check-only guard whose inputs (its `files` globs' entries, its
// `inputs`, else the whole tree) are unchanged since a recorded pass is not run. Each guard appends a
// line to a marker file outside the repository (so the tree doesn't change): its line count is how
// often it ran. A definition's first run indexes it, its second records keys, the third can reuse.

// A marker directory outside the repository, removed afterwards.
async function withMarkers<T>(fn: (count: (name: string) => number, path: (name: string) => string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-reuse-'));
  const path = (name: string) => join(dir, name);
  const count = (name: string) => (existsSync(path(name)) ? readFileSync(path(name), 'utf8').split('\n').filter(Boolean).length : 0);
  try {
    return await fn(count, path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const counting = (id: string, marker: string, extra = '', tail = '') => guardYaml(id, `echo ran >> '${marker}'${tail}`, extra);

// Stages the file's new content and runs every guard by hand; returns the record (--json).
async function runWith(repo: TestRepo, changes: Record<string, string>, args: string[] = []): Promise<Record<string, any>> {
  for (const [path, content] of Object.entries(changes)) repo.write(path, content);
  repo.git('add', '-A');
  const res = await repo.cli(['run', '--json', ...args]);
  expect(res.stdout, res.stderr).not.toBe('');
  return JSON.parse(res.stdout);
}

function baseRepo(repo: TestRepo, guards: string): void {
  repo.config(`guards:\n${guards}`);
  repo.write('src/a.ts', 'a0\n');
  repo.write('docs/d.md', 'd0\n');
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'base', '--no-verify');
}

describe('per-guard reuse by inputs', () => {
  it('a guard whose files did not change is not run, one whose files changed runs; the record says which and from where', () =>
    withMarkers((count, marker) =>
      withGitRepo(async (repo) => {
        baseRepo(repo, counting('src-check', marker('src'), '    files: ["src/**"]\n') + counting('doc-check', marker('doc'), '    files: ["docs/**"]\n'));
        // Both changed against HEAD, so both are selected on every run below.
        await runWith(repo, { 'src/a.ts': 'a1\n', 'docs/d.md': 'd1\n' });
        const keyed = await runWith(repo, { 'docs/d.md': 'd2\n' });
        expect(keyed.verdicts.map((v: any) => [v.guard, typeof v.key, v.reused])).toEqual([
          ['src-check', 'string', undefined],
          ['doc-check', 'string', undefined],
        ]);
        expect([count('src'), count('doc')]).toEqual([2, 2]);

        // Only docs change: src-check's inputs are those of the keyed run.
        const third = await runWith(repo, { 'docs/d.md': 'd3\n' });
        expect([count('src'), count('doc')]).toEqual([2, 3]);
        const [src, doc] = third.verdicts;
        expect(src).toMatchObject({ guard: 'src-check', status: 'pass', exit: 0, ms: 0, key: keyed.verdicts[0].key, reused: keyed.id });
        expect(doc.reused).toBeUndefined();
        expect(doc.key).not.toBe(keyed.verdicts[1].key);
        expect(third.status).toBe('ACCEPTED');
        // The stored record is the one printed, readable through `guardloop show --json`.
        const shown = await repo.cli(['show', third.id, '--json']);
        expect(JSON.parse(shown.stdout).verdicts[0]).toMatchObject({ reused: keyed.id, key: src.key });

        // A reused verdict keeps naming the run that computed it.
        const fourth = await runWith(repo, { 'docs/d.md': 'd4\n' });
        expect(fourth.verdicts[0].reused).toBe(keyed.id);
        expect([count('src'), count('doc')]).toEqual([2, 4]);

        // src changes: src-check runs again.
        await runWith(repo, { 'src/a.ts': 'a2\n' });
        expect(count('src')).toBe(3);
        // Back to content src-check passed on: reused again (any earlier pass of the same key).
        const back = await runWith(repo, { 'src/a.ts': 'a1\n', 'docs/d.md': 'd5\n' });
        expect(back.verdicts[0].reused).toBe(keyed.id);
        expect(count('src')).toBe(3);
        // --no-cache runs everything.
        await runWith(repo, { 'docs/d.md': 'd6\n' }, ['--no-cache']);
        expect([count('src'), count('doc')]).toEqual([4, 6]);
      }),
    ));

  it('a guard without globs keys on the whole tree: a rerun of a REJECTED tree runs only the failed guard', () =>
    withMarkers((count, marker) =>
      withGitRepo(async (repo) => {
        baseRepo(repo, counting('ok', marker('ok')) + counting('flaky', marker('flaky'), '', ' && test -f ' + marker('fixed')));
        await runWith(repo, { 'src/a.ts': 'a1\n' });
        await runWith(repo, { 'src/a.ts': 'a2\n' });
        const rejected = await runWith(repo, { 'src/a.ts': 'a3\n' });
        expect(rejected.status).toBe('REJECTED');
        expect([count('ok'), count('flaky')]).toEqual([3, 3]);
        // The same tree again (the cache never serves a REJECTED): ok's pass stands, flaky runs.
        const again = await runWith(repo, {});
        expect(again.verdicts[0]).toMatchObject({ guard: 'ok', reused: rejected.id });
        expect([count('ok'), count('flaky')]).toEqual([3, 4]);
        // A failure is never reused: it runs again and can pass now (what it needed was outside the tree).
        writeFileSync(marker('fixed'), '');
        const passed = await runWith(repo, {});
        expect(passed.status).toBe('ACCEPTED');
        expect(passed.verdicts.map((v: any) => [v.guard, v.status, v.reused ?? null])).toEqual([
          ['ok', 'pass', rejected.id],
          ['flaky', 'pass', null],
        ]);
        expect([count('ok'), count('flaky')]).toEqual([3, 5]);
      }),
    ));

  it('a deleted index just means no reuse, until two runs have indexed and keyed the guards again', () =>
    withMarkers((count, marker) =>
      withGitRepo(async (repo) => {
        baseRepo(repo, counting('src-check', marker('src'), '    files: ["src/**"]\n') + counting('doc-check', marker('doc'), '    files: ["docs/**"]\n'));
        await runWith(repo, { 'src/a.ts': 'a1\n', 'docs/d.md': 'd1\n' });
        await runWith(repo, { 'docs/d.md': 'd2\n' });
        await runWith(repo, { 'docs/d.md': 'd3\n' });
        expect(count('src')).toBe(2);
        rmSync(join(repo.dir, '.git', 'guardloop', 'verdict-index'));
        const fresh = await runWith(repo, { 'docs/d.md': 'd4\n' });
        expect(count('src')).toBe(3);
        expect(fresh.verdicts[0].key).toBeUndefined();
        await runWith(repo, { 'docs/d.md': 'd5\n' });
        expect(count('src')).toBe(4);
        await runWith(repo, { 'docs/d.md': 'd6\n' });
        expect(count('src')).toBe(4);
        // A torn index (a writer killed mid-line) is read up to what parses.
        const file = join(repo.dir, '.git', 'guardloop', 'verdict-index');
        appendFileSync(file, '\nbed7b2b3b3cc');
        await runWith(repo, { 'docs/d.md': 'd7\n' });
        expect(count('src')).toBe(4);
        expect(count('doc')).toBe(7);
      }),
    ));

  it('an index entry is trusted only when ℛ holds its record on its tree with that key', () =>
    withMarkers((count, marker) =>
      withGitRepo(async (repo) => {
        baseRepo(repo, counting('src-check', marker('src'), '    files: ["src/**"]\n') + counting('doc-check', marker('doc'), '    files: ["docs/**"]\n'));
        await runWith(repo, { 'src/a.ts': 'a1\n', 'docs/d.md': 'd1\n' });
        const keyed = await runWith(repo, { 'docs/d.md': 'd2\n' });
        // The index points src-check's key at a record ℛ doesn't hold on that tree.
        const file = join(repo.dir, '.git', 'guardloop', 'verdict-index');
        const key = keyed.verdicts[0].key as string;
        const lines = readFileSync(file, 'utf8').split('\n');
        writeFileSync(file, lines.map((l) => (l.startsWith(key) ? l.replace(keyed.id, '0'.repeat(32)) : l)).join('\n'));
        expect(readFileSync(file, 'utf8')).toContain(`${key}\t${'0'.repeat(32)}`);
        await runWith(repo, { 'docs/d.md': 'd3\n' });
        expect(count('src')).toBe(3);
        // Pointed back at the record, the entry is trusted again.
        writeFileSync(file, lines.join('\n'));
        await runWith(repo, { 'docs/d.md': 'd4\n' });
        expect(count('src')).toBe(3);
      }),
    ));

  it('a fix guard always runs, and a guard after a fix that changed the tree runs unkeyed', () =>
    withMarkers((count, marker) =>
      withGitRepo(async (repo) => {
        const fixer = guardYaml('fixer', `echo ran >> '${marker('fix')}' && printf 'fixed\\n' > docs/d.md`, '    fix: true\n    files: ["docs/**"]\n');
        baseRepo(repo, counting('before', marker('before'), '    files: ["src/**"]\n') + fixer + counting('after', marker('after'), '    files: ["src/**"]\n'));
        for (const d of ['d1', 'd2', 'd3', 'd4']) await runWith(repo, { 'src/a.ts': 'a1\n', 'docs/d.md': `${d}\n` });
        // `before` (ahead of the fix) is reused from the third run on; the fix and `after` always run.
        expect([count('before'), count('fix'), count('after')]).toEqual([2, 4, 4]);
        const last = records(repo).at(-1)!;
        expect(last.verdicts.map((v: any) => [v.guard, Boolean(v.key), Boolean(v.reused)])).toEqual([
          ['before', true, true],
          ['fixer', false, false],
          ['after', false, false],
        ]);
      }),
    ));

  it('`inputs:` globs key a guard on what they name: a change elsewhere reuses its pass', () =>
    withMarkers((count, marker) =>
      withGitRepo(async (repo) => {
        baseRepo(repo, counting('tests', marker('tests')) + counting('all', marker('all')));
        const { loadConfig } = await import('../../src/config/load.js');
        const { run } = await import('../../src/engine/run.js');
        const loaded = (await loadConfig({ root: repo.dir })).config!;
        // `inputs` is read through the engine's accessor until the config schema declares it.
        const config = { ...loaded, guards: loaded.guards.map((g) => (g.id === 'tests' ? { ...g, inputs: ['src/**', '*.test.ts'] } : g)) };
        const once = async (changes: Record<string, string>) => {
          for (const [path, content] of Object.entries(changes)) repo.write(path, content);
          repo.git('add', '-A');
          return run({ cwd: repo.dir, config, env: cleanEnv(), source: 'HUMAN' });
        };
        await once({ 'docs/d.md': 'd1\n' });
        await once({ 'docs/d.md': 'd2\n' });
        const third = await once({ 'docs/d.md': 'd3\n' });
        expect(third.record!.verdicts[0].reused).toBeDefined();
        expect([count('tests'), count('all')]).toEqual([2, 3]);
        // A file named by a glob without a slash, in any folder, is an input too.
        await once({ 'lib/x.test.ts': 't\n' });
        expect([count('tests'), count('all')]).toEqual([3, 4]);
        await once({ 'src/a.ts': 'a9\n' });
        expect([count('tests'), count('all')]).toEqual([4, 5]);
        await once({ 'docs/d.md': 'd4\n' });
        expect([count('tests'), count('all')]).toEqual([4, 6]);
      }),
    ));
});

describe('reuse and protected paths', () => {
  it("an agent's candidate that touches protected paths reuses nothing and keys nothing", () =>
    withMarkers((count, marker) =>
      withGitRepo(async (repo) => {
        repo.installPackage();
        baseRepo(repo, counting('src-check', marker('src'), '    files: ["src/**"]\n    on: [stop]\n') + counting('doc-check', marker('doc'), '    files: ["docs/**"]\n    on: [stop]\n'));
        const stop = () => hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
        // Each edit changes the file's size: the stop's candidate is read from a copy of the index,
        // whose stat cache can't see a same-size edit made within the index's own second.
        repo.write('src/a.ts', 'a-one\n');
        for (const d of ['d-1', 'd--2', 'd---3']) {
          repo.write('docs/d.md', `${d}\n`);
          expect((await stop()).code).toBe(0);
        }
        expect(count('src')).toBe(2);
        // The agent now also edits the guards' config: src-check runs, its verdict unkeyed.
        repo.write('docs/d.md', 'd----4\n');
        repo.write('.loop/config.yaml', `${repo.read('.loop/config.yaml')}# weakened\n`);
        const blocked = JSON.parse((await stop()).stdout);
        expect(blocked.decision).toBe('block');
        expect(count('src')).toBe(3);
        const last = records(repo).at(-1)!;
        expect(last.verdicts.filter((v: any) => v.key || v.reused)).toEqual([]);
      }),
    ));
});
