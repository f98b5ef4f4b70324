import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, turnStart } from './helpers.js';

// Fresh-eyes review, session 8 (rv13): a stop that is rejected for a protected path still tells the agent
// which failures its turn's base already had, instead of sending it after them as if they were its own.
const CHECK = `
const fs = require('fs');
fs.appendFileSync(process.env.RUN_LOG, process.cwd() + '\\n');
let bad = 0;
for (const f of fs.readdirSync('src').sort()) if (fs.readFileSync('src/' + f, 'utf8').includes('bad')) { console.log('FAIL ' + f); bad++; }
process.exitCode = bad ? 1 : 0;
`;

function setUp(repo: TestRepo, log: string): void {
  repo.installPackage();
  repo.write('check.cjs', CHECK);
  repo.config(`env:\n  RUN_LOG: ${JSON.stringify(log)}\nprotected: ['.loop/**', 'docs/locked.md']\nguards:\n${guardYaml('tests', 'node check.cjs', "    inputs: ['src/**', 'check.cjs']\n    failures: '^FAIL (\\S+)'\n")}`);
  repo.write('docs/locked.md', '# locked\n');
  repo.write('src/old.txt', 'bad: a test that already fails\n');
  repo.write('src/a.txt', 'good\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'a base with one failing test');
  installTranscript(repo);
}

async function stop(repo: TestRepo) {
  const res = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
  expect(res.code).toBe(0);
  return { ...res, reply: res.stdout ? JSON.parse(res.stdout) : {} };
}

describe('a protected path changed and the base failing: the base is still compared (the real CLI, Claude Code\'s real payload)', () => {
  it("blocked for the protected path only; the base's failure is named as the base's, not sent as the agent's to fix", () =>
    withGitRepo(async (repo) => {
      const log = join(repo.dir, '..', `runs-${process.pid}-${Date.now()}-prot.log`);
      writeFileSync(log, '');
      setUp(repo, log);
      await turnStart(repo);
      repo.write('docs/locked.md', '# locked, edited by the agent\n');
      repo.write('src/b.txt', 'good\n');
      const s = await stop(repo);
      expect(s.reply.decision).toBe('block');
      expect(s.reply.reason).toContain('protected path changed');
      // Only the protected path blocks; the test guard's failure is the base's.
      expect(s.reply.reason).toMatch(/\(attempt 1 of 5\): 1 guard failed/);
      expect(s.reply.reason).toMatch(/failing as on the turn's base\ntests:\n {2}- old\.txt/);
      const r = records(repo).at(-1)!;
      expect(r.status).toBe('REJECTED');
      expect(r.verdicts[0]).toMatchObject({ guard: 'tests', status: 'fail', tolerated: true, baseline: { failures: ['old.txt'] } });
      // Nothing of a run on content with a protected change is keyed (so nothing of it is reused later).
      expect(r.verdicts[0].key).toBeUndefined();
      const runs = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      expect(runs).toHaveLength(2);

      // The protected change undone: let through, the base's run found in ℛ (not run again).
      repo.write('docs/locked.md', '# locked\n');
      const s2 = await stop(repo);
      expect(s2.reply.decision).toBeUndefined();
      expect(records(repo).at(-1)!).toMatchObject({ status: 'ACCEPTED', verdicts: [{ tolerated: true, baseline: { from: r.id } }] });
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    }));
});
