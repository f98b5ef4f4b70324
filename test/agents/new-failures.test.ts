import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, turnStart } from './helpers.js';

// A test guard like a real suite's: each src/*.txt holding "bad" is a failing test, printed `FAIL <name>`;
// every run appends the tree it ran in to a log outside the repository (how many runs, and where).
const CHECK = `
const fs = require('fs');
fs.appendFileSync(process.env.RUN_LOG, process.cwd() + '\\n');
let bad = 0;
for (const f of fs.readdirSync('src').sort()) {
  if (fs.readFileSync('src/' + f, 'utf8').includes('bad')) { console.log('FAIL ' + f + ' (' + Math.random() + 'ms)'); bad++; }
  else console.log('ok ' + f);
}
console.log(bad + ' failed');
process.exit(bad ? 1 : 0);
`;

function setUp(repo: TestRepo, log: string): void {
  repo.installPackage();
  repo.write('check.cjs', CHECK);
  repo.config(`env:\n  RUN_LOG: ${JSON.stringify(log)}\nguards:\n${guardYaml('tests', 'node check.cjs', "    layer: test\n    inputs: ['src/**', 'check.cjs']\n    failures: '^FAIL (\\S+)'\n")}`);
  repo.write('README.md', '# demo\n');
  repo.write('src/old.txt', 'bad: a test that already fails\n');
  repo.write('src/a.txt', 'good\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'a base with one failing test');
  installTranscript(repo);
}


const runs = (log: string) => readFileSync(log, 'utf8').split('\n').filter(Boolean);

async function stop(repo: TestRepo) {
  const res = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
  expect(res.code).toBe(0);
  return { ...res, reply: res.stdout ? JSON.parse(res.stdout) : {} };
}

describe('an agent is blocked only for the failures it introduced', () => {
  it('docs only: not run; a pre-existing failure: let through and named; a new one: blocked, the old one listed as such; the same again: said once', () =>
    withGitRepo(async (repo) => {
      const log = join(repo.dir, '..', `runs-${process.pid}-${Date.now()}.log`);
      writeFileSync(log, '');
      setUp(repo, log);
      await turnStart(repo);

      // 1. Only the docs changed: the test guard's inputs are the base's own, it doesn't run.
      repo.write('README.md', '# demo\n\nMore words.\n');
      const s1 = await stop(repo);
      expect(s1.reply.decision).toBeUndefined();
      expect(runs(log)).toHaveLength(0);
      const r1 = records(repo).at(-1)!;
      expect(r1.status).toBe('ACCEPTED');
      expect(r1.verdicts[0]).toMatchObject({ guard: 'tests', status: 'skipped', baseline: { same: true } });

      // 2. Code changed, the base's failure still there: run on the candidate and once on the base; not blocked.
      repo.write('src/b.txt', 'good\n');
      const s2 = await stop(repo);
      expect(s2.reply.decision).toBeUndefined();
      expect(s2.stderr).toContain('old.txt');
      const where2 = runs(log);
      expect(where2).toHaveLength(2);
      expect(where2[1]).not.toBe(where2[0]);
      const r2 = records(repo).at(-1)!;
      expect(r2.status).toBe('ACCEPTED');
      expect(r2.verdicts[0]).toMatchObject({ status: 'fail', tolerated: true, failures: ['old.txt'], baseline: { status: 'fail', failures: ['old.txt'] } });

      // 2b. Only the docs changed after that: the tolerated failure on the same inputs stands (not run again).
      repo.write('README.md', '# demo\n\nMore words, and more.\n');
      const s2b = await stop(repo);
      expect(s2b.reply.decision).toBeUndefined();
      expect(runs(log)).toHaveLength(2);
      expect(records(repo).at(-1)!.verdicts[0]).toMatchObject({ status: 'fail', tolerated: true, reused: r2.id, ms: 0 });

      // 3. A new failure: blocked; the base is found in ℛ (no second base run); the old failure is listed as not blocking.
      repo.write('src/c.txt', 'bad: the agent broke this\n');
      const s3 = await stop(repo);
      expect(s3.reply.decision).toBe('block');
      expect(runs(log)).toHaveLength(3);
      expect(s3.reply.reason).toMatch(/New in this turn \(blocking\), 1:\n {2}- c\.txt/);
      expect(s3.reply.reason).toMatch(/Already failing on the turn's base[^\n]*, 1:\n {2}- old\.txt/);
      const r3 = records(repo).at(-1)!;
      expect(r3.verdicts[0]).toMatchObject({ status: 'fail', failures: ['c.txt', 'old.txt'], baseline: { failures: ['old.txt'], from: r2.id } });
      expect(r3.verdicts[0].tolerated).toBeUndefined();

      // 4. The same failures again: checked (the guard runs), counted, and said in a few lines.
      const s4 = await stop(repo);
      expect(s4.reply.decision).toBe('block');
      expect(runs(log)).toHaveLength(4);
      expect(s4.reply.reason).toContain('the same 2 failures as attempt 1');
      expect(s4.reply.reason).not.toContain('ok a.txt');
      expect(s4.reply.reason.length).toBeLessThan(s3.reply.reason.length);
      const r4 = records(repo).at(-1)!;
      expect(r4).toMatchObject({ status: 'REJECTED', retry: 1 });
      expect(r4.verdicts[0].repeat).toEqual({ attempt: 1, record: r3.id });

      // 5. The new failure fixed: the pre-existing one doesn't block.
      repo.write('src/c.txt', 'good now\n');
      const s5 = await stop(repo);
      expect(s5.reply.decision).toBeUndefined();
      expect(runs(log)).toHaveLength(5);
      const r5 = records(repo).at(-1)!;
      expect(r5).toMatchObject({ status: 'ACCEPTED', retry: 2 });
      expect(r5.verdicts[0]).toMatchObject({ tolerated: true, failures: ['old.txt'] });
    }));

  it('a stop that changed nothing on a failing base is not blocked and runs nothing', () =>
    withGitRepo(async (repo) => {
      const log = join(repo.dir, '..', `runs-${process.pid}-${Date.now()}-n.log`);
      writeFileSync(log, '');
      setUp(repo, log);
      await turnStart(repo);
      const s = await stop(repo);
      expect(s.reply.decision).toBeUndefined();
      expect(runs(log)).toHaveLength(0);
      expect(records(repo).at(-1)).toMatchObject({ status: 'ACCEPTED', verdicts: [{ status: 'skipped', baseline: { same: true } }] });
    }));

  it("a person's commit of the same tree is not answered by the agent's tolerated acceptance", () =>
    withGitRepo(async (repo) => {
      const log = join(repo.dir, '..', `runs-${process.pid}-${Date.now()}-p.log`);
      writeFileSync(log, '');
      setUp(repo, log);
      await turnStart(repo);
      repo.write('src/b.txt', 'good\n');
      const s = await stop(repo);
      expect(s.reply.decision).toBeUndefined();
      repo.git('add', '-A');
      const res = await repo.cli(['run', '--hook', 'pre-commit']);
      expect(res.code).toBe(1);
      expect(records(repo).at(-1)).toMatchObject({ source: 'HUMAN', status: 'REJECTED' });
    }));

  it('without a trusted base (no turn start, nothing a person checked) every guard runs on an agent\'s stop: HEAD may hold its own commits', () =>
    withGitRepo(async (repo) => {
      const log = join(repo.dir, '..', `runs-${process.pid}-${Date.now()}-u.log`);
      writeFileSync(log, '');
      setUp(repo, log);
      const s = await stop(repo);
      expect(s.reply.decision).toBe('block');
      expect(runs(log)).toHaveLength(1);
      expect(records(repo).at(-1)).toMatchObject({ status: 'REJECTED', baseline: { how: 'unverified' } });
    }));
});
