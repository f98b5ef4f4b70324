import { beforeAll, describe, expect, it } from 'vitest';
import { constraintsSchema, type Constraint, type Constraints } from '../../src/learn/insight-schemas.js';
import { cleanEnv, exec, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { generateHistory, type GenChain, type GenConfigChange, type GenGuard } from '../helpers/history-generator.js';

// The constraint log through the real CLI on generated histories: months of records and config
// commits dated relative to now (margins of days, so the moment the test runs changes nothing).
const DAY = 86_400_000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

const g = (id: string, layer = 'lint', run = `npm run ${id}`): GenGuard => ({ id, run, layer, invariant: `In this codebase, ${id} failures must never be committed, because they break the build.` });

// One chain: a rejected attempt (by `guards`) at `days` ago, accepted an hour later.
const caught = (days: number, ...guards: string[]): GenChain => ({ attempts: [{ at: ago(days), fail: guards }, { at: ago(days - 1 / 24) }] });
const passes = (days: number, tree?: string): GenChain => ({ attempts: [{ at: ago(days), ...(tree ? { tree } : {}) }] });

async function log(repo: TestRepo, args: string[] = []): Promise<Constraints> {
  const res = await repo.cli(['constraints', '--json', ...args]);
  expect(res.code, res.stderr).toBe(0);
  const parsed = constraintsSchema.safeParse(JSON.parse(res.stdout));
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return parsed.data!;
}

const byId = (c: Constraints, id: string): Constraint => {
  const row = c.constraints.find((r) => r.id === id);
  if (!row) throw new Error(`no row ${id} in ${c.constraints.map((r) => r.id).join(', ')}`);
  return row;
};

// The config's history, oldest first: each main-file change is the whole guard list from then on.
function configPlan(): GenConfigChange[] {
  const main: GenGuard[] = [g('idle-guard', 'test'), g('old-name', 'lint', 'npm run x')];
  const changes: GenConfigChange[] = [];
  const commit = (days: number) => changes.push({ at: ago(days), guards: [...main] });
  commit(100);
  main.push(g('gone', 'review'));
  commit(70);
  main.push(g('recurring-guard', 'lint'));
  commit(60);
  main.push(g('boundary', 'type'));
  commit(50);
  changes.push({ at: ago(45), guards: [g('base-guard', 'test')], file: '.loop/base.yaml' });
  main.splice(main.findIndex((x) => x.id === 'old-name'), 1, g('new-name', 'lint', 'npm run x'));
  main.push(g('flaky-guard', 'test'));
  commit(40);
  main.splice(main.findIndex((x) => x.id === 'gone'), 1);
  commit(35);
  // A commit of the extended file alone.
  changes.push({ at: ago(25), guards: [g('base-guard', 'test'), g('base-late', 'test')], file: '.loop/base.yaml' });
  main.push(g('effective-guard', 'lint'));
  commit(20);
  main.push(g('new-guard', 'lint'));
  commit(3);
  return changes;
}

const CHAINS: GenChain[] = [
  caught(95, 'old-name'),
  caught(59, 'recurring-guard'),
  // The grace boundary: `boundary` came in 50 days ago; a catch one day before its grace period
  // (7 days) ended, and one a day after.
  caught(44, 'boundary'),
  caught(42, 'boundary'),
  caught(40, 'base-guard'),
  // The same tree passed, then failed flaky-guard.
  passes(30, 'flaky tree'),
  { attempts: [{ at: ago(29), fail: ['flaky-guard'], tree: 'flaky tree' }, { at: ago(28.9) }] },
  caught(30, 'new-name'),
  caught(19, 'effective-guard'),
  caught(15, 'effective-guard'),
  caught(10, 'recurring-guard'),
  caught(5, 'base-guard'),
  passes(4),
  caught(2, 'new-guard'),
];

describe('guardloop constraints', () => {
  let result: Constraints;
  let repo: TestRepo;
  let release: (() => void) | undefined;
  let done: Promise<void>;

  // One generated history for the verdict tests (the repository lives until the suite ends).
  beforeAll(async () => {
    let ready!: () => void;
    const made = new Promise<void>((r) => (ready = r));
    done = withGitRepo(async (r) => {
      repo = r;
      await generateHistory(r.dir, { config: configPlan(), chains: CHAINS });
      result = await log(r);
      ready();
      await new Promise<void>((end) => (release = end));
    });
    // A failure while making it ends the wait too (withGitRepo's promise rejects first).
    await Promise.race([made, done]);
    return async () => {
      release?.();
      await done;
    };
  });

  it('reaches each verdict on purpose', () => {
    expect(Object.fromEntries(result.constraints.map((c) => [c.id, c.verdict]))).toEqual({
      'idle-guard': 'idle',
      'new-name': 'recurring',
      gone: 'idle',
      'recurring-guard': 'recurring',
      boundary: 'recurring',
      'base-guard': 'recurring',
      'flaky-guard': 'flaky',
      'effective-guard': 'effective',
      'new-guard': 'new',
      'base-late': 'new',
    });
    expect(byId(result, 'base-late').why).toMatch(/^nothing caught yet, too soon to call idle \(\d+ runs of 50 and 2[45] days of 30 without a catch\)/);
    expect(byId(result, 'flaky-guard')).toMatchObject({ flakyTrees: 1, caught: 1 });
    expect(byId(result, 'flaky-guard').why).toContain('`npm run flaky-guard`');
    expect(byId(result, 'effective-guard')).toMatchObject({ caught: 2, recurrenceAfter: 0 });
    expect(byId(result, 'new-guard')).toMatchObject({ caught: 1, runs: 2 });
    expect(byId(result, 'idle-guard')).toMatchObject({ caught: 0, lastCaught: null });
    expect(byId(result, 'idle-guard').why).toMatch(/^caught nothing for 30 days \(\d+ runs; never caught\): review it\. .*delete it \(\.loop\/config\.yaml:\d+\)/);
  });

  it('counts recurrence across the grace boundary (a catch a day before it ends, one a day after)', () => {
    const row = byId(result, 'boundary');
    expect(row).toMatchObject({ caught: 2, recurrenceAfter: 1, layer: 'type', lastCaught: expect.stringMatching(new RegExp(`^${ago(42).slice(0, 10)}`)) });
    // The hint: a layer up, with the guard's sentence quoted.
    expect(row.why).toContain('too low a layer (type)');
    expect(row.why).toContain('to a primitive (layer: primitive)');
    expect(row.why).toContain('"In this codebase, boundary failures must never be committed, because they break the build."');
    expect(byId(result, 'recurring-guard').why).toContain('to a type (layer: type)');
  });

  it('follows a renamed guard (new id, same command) and keeps its date and catches', () => {
    const row = byId(result, 'new-name');
    expect(row).toMatchObject({ renamedFrom: ['old-name'], run: 'npm run x', dateSource: 'config-history', caught: 2, recurrenceAfter: 1, active: true });
    expect(row.date!.slice(0, 10)).toBe(ago(100).slice(0, 10));
    expect(result.constraints.some((c) => c.id === 'old-name')).toBe(false);
  });

  it('keeps a removed guard with its removal date', () => {
    const row = byId(result, 'gone');
    expect(row).toMatchObject({ active: false, caught: 0 });
    expect(row.removed!.slice(0, 10)).toBe(ago(35).slice(0, 10));
    expect(row.date!.slice(0, 10)).toBe(ago(70).slice(0, 10));
  });

  it('dates a guard from the history of the file the config extends', () => {
    const row = byId(result, 'base-guard');
    expect(row).toMatchObject({ dateSource: 'config-history', layer: 'test', active: true });
    expect(row.date!.slice(0, 10)).toBe(ago(45).slice(0, 10));
    expect(row.commit).toBe(repo.git('log', '--format=%H', '--', '.loop/base.yaml').split('\n')[1]);
    // A commit that changed only the extended file.
    const late = byId(result, 'base-late');
    expect(late.date!.slice(0, 10)).toBe(ago(25).slice(0, 10));
    expect(late.commit).toBe(repo.git('log', '-1', '--format=%H', '--', '.loop/base.yaml'));
    expect(repo.git('show', '--name-only', '--format=', late.commit!)).toBe('.loop/base.yaml');
  });

  it('lists the rows by date with the commit that added each', () => {
    const dates = result.constraints.map((c) => c.date!);
    expect([...dates].sort()).toEqual(dates);
    expect(result).toMatchObject({ graceDays: 7, idle: { runs: 50, days: 30 } });
    expect(byId(result, 'new-guard').commit).toBe(repo.git('rev-parse', 'HEAD'));
  });

  it('--md prints the table in the seed\'s form, ready to paste', async () => {
    const res = await repo.cli(['constraints', '--md']);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('| Date | Constraint | Layer | Invariant | Caught | Recurrence after | Last caught | Verdict |');
    expect(lines[1]).toBe('| --- | --- | --- | --- | ---: | ---: | --- | --- |');
    expect(lines).toHaveLength(2 + result.constraints.length);
    expect(lines.every((l) => l.startsWith('| ') && l.endsWith(' |') && l.split(' | ').length === 8)).toBe(true);
    expect(lines).toContain(`| ${ago(100).slice(0, 10)} | new-name (was old-name) | lint | In this codebase, new-name failures must never be committed, because they break the build. | 2 | 1 | ${ago(30).slice(0, 10)} | recurring |`);
    expect(res.stdout).toContain(`gone (removed ${ago(35).slice(0, 10)})`);
  });

  it('prints an aligned table without colour off a terminal, and the rows to act on under it', async () => {
    const res = await repo.cli(['constraints']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toContain('\x1b[');
    const [header, rule, ...rest] = res.stdout.split('\n');
    expect(header).toMatch(/^Date {8}Constraint +Layer +Invariant +Caught  Recurrence after  Last caught  Verdict$/);
    expect(rule).toMatch(/^-{10}  -+  -+/);
    const rows = rest.slice(0, result.constraints.length);
    // Every row as wide as the header up to its verdict (columns aligned, no trailing padding).
    const verdictAt = header.indexOf('Verdict');
    for (const row of rows) expect(row.slice(verdictAt)).toMatch(/^(new|effective|recurring|idle|flaky)$/);
    expect(res.stdout).toContain('\nTo do:\n');
    expect(res.stdout).toContain('  flaky-guard (flaky): 1 tree got both a pass and a rejection');
    expect(res.stdout).not.toContain('  effective-guard (effective)');
  });

  it('--json with --md is a usage error', async () => {
    const res = await repo.cli(['constraints', '--json', '--md']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--json (the figures) or --md');
  });
});

describe('guardloop constraints: settings and edges', () => {
  it('reads the grace period and the idle thresholds from the config (constraints: in .loop/config.yaml)', async () => {
    await withGitRepo(async (repo) => {
      const guards = [g('steady')];
      await generateHistory(repo.dir, {
        config: [{ at: ago(20), guards }],
        chains: [caught(19, 'steady'), caught(15, 'steady'), ...Array.from({ length: 6 }, (_, i) => passes(10 - i))],
      });
      expect(byId(await log(repo), 'steady').verdict).toBe('effective');
      const yaml = repo.read('.loop/config.yaml');
      repo.write('.loop/config.yaml', `${yaml}constraints:\n  idle:\n    runs: 5\n`);
      const idle = byId(await log(repo), 'steady');
      expect(idle.verdict).toBe('idle');
      expect(idle.why).toMatch(/^caught nothing in its last 5 runs \(of 10; last caught /);
      repo.write('.loop/config.yaml', `${yaml}constraints:\n  grace: 36h\n`);
      const short = await log(repo);
      expect(short.graceDays).toBe(1.5);
      expect(byId(short, 'steady')).toMatchObject({ verdict: 'recurring', recurrenceAfter: 1 });
    });
  });

  it('a repository with no records and no config history: an empty log, and a message on the terminal', async () => {
    await withGitRepo(async (repo) => {
      const empty = await log(repo);
      expect(empty).toEqual({ v: 1, tip: null, graceDays: 7, idle: { runs: 50, days: 30 }, constraints: [] });
      const res = await repo.cli(['constraints']);
      expect(res.code).toBe(0);
      expect(res.stdout).toBe('');
      expect(res.stderr).toContain('No constraints yet');
      const md = await repo.cli(['constraints', '--md']);
      expect(md.stdout.trimEnd().split('\n')).toHaveLength(2);
    });
  });

  it('guards not committed yet: first seen in ℛ, or unknown when no record names them', async () => {
    await withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(`guards:\n  - id: fresh\n    run: "true"\n    invariant: "In this codebase, fresh must never fail, because it causes broken builds."\n  - id: later\n    run: "true"\n    on: [manual]\n    invariant: "In this codebase, later must never fail, because it causes broken builds."\n`);
      repo.write('a.txt', 'a\n');
      repo.git('add', 'a.txt');
      const run = await repo.cli(['run', '--hook', 'pre-commit']);
      expect(run.code, run.stderr).toBe(0);
      const result = await log(repo);
      expect(byId(result, 'fresh')).toMatchObject({ dateSource: 'first-seen', commit: null, active: true, runs: 1, verdict: 'new' });
      expect(byId(result, 'later')).toMatchObject({ dateSource: 'unknown', date: null, runs: 0, verdict: 'new' });
      const text = await repo.cli(['constraints']);
      expect(text.stdout).toMatch(/\n\d{4}-\d{2}-\d{2}\* +fresh /);
      expect(text.stdout).toContain('* not in the git history of .loop/config.yaml');
    });
  });

  it('a guard added on a branch enters the config when the branch is merged (first-parent history)', async () => {
    await withGitRepo(async (repo) => {
      await generateHistory(repo.dir, { config: [{ at: ago(30), guards: [g('base')] }], chains: [] });
      repo.git('checkout', '-q', '-b', 'topic');
      const yaml = repo.read('.loop/config.yaml');
      repo.write('.loop/config.yaml', `${yaml}  - id: topic-guard\n    run: npm run topic\n    invariant: "In this codebase, topic must never fail, because it causes broken builds."\n`);
      const dated = (days: number) => ({ GIT_AUTHOR_DATE: ago(days), GIT_COMMITTER_DATE: ago(days) });
      repo.git('add', '-A');
      await repo.commit('topic guard', ['--no-verify'], dated(20));
      repo.git('checkout', '-q', 'main');
      repo.write('other.txt', 'x\n');
      repo.git('add', 'other.txt');
      await repo.commit('other', ['--no-verify'], dated(15));
      const merged = await exec('git', ['merge', '--no-ff', '-q', '-m', 'merge topic', 'topic'], { cwd: repo.dir, env: cleanEnv(dated(10)) });
      expect(merged.code, merged.stderr).toBe(0);
      const row = byId(await log(repo), 'topic-guard');
      expect(row.commit).toBe(repo.git('rev-parse', 'HEAD'));
      expect(row.date!.slice(0, 10)).toBe(ago(10).slice(0, 10));
      expect(byId(await log(repo), 'base').removed).toBeNull();
    });
  });

  it('a config that does not load is the loader\'s error at its file and line (exit 2)', async () => {
    await withGitRepo(async (repo) => {
      repo.config('constraints:\n  grace: 7 days\n');
      const res = await repo.cli(['constraints']);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('.loop/config.yaml:2');
      expect(res.stderr).toContain('a period such as "36h", "7d" or "2w"');
    });
  });
});
