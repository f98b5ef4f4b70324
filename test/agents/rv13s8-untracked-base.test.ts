import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, turnStart } from './helpers.js';

// Fresh-eyes review, session 8 (rv13): a commit hook's guards run in place see untracked files the
// commit's tree doesn't hold. Such a verdict, recorded on the base's tree, must not stand for the base
// when an agent's failure is compared with it: the agent's own untracked file, seen by a commit it ran
// from its shell, would otherwise pass for a failure the base already had.
const CHECK = `
const fs = require('fs');
let bad = 0;
for (const f of fs.readdirSync('src').sort()) if (fs.readFileSync('src/' + f, 'utf8').includes('bad')) { console.log('FAIL ' + f); bad++; }
process.exitCode = bad ? 1 : 0;
`;

function setUp(repo: TestRepo): void {
  repo.installPackage();
  writeFileSync(join(repo.dir, 'check.cjs'), CHECK);
  repo.config(`guards:\n${guardYaml('tests', 'node check.cjs', "    inputs: ['src/**', 'check.cjs']\n    failures: '^FAIL (\\S+)'\n")}`);
  repo.write('src/a.txt', 'good\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'a base whose tests pass');
  installTranscript(repo);
}

describe("a commit hook's in-place verdict is not the base's (the real CLI, Claude Code's real payload)", () => {
  it("an agent's new failure, seen untracked by a commit from its shell on the base's tree, still blocks its stop", () =>
    withGitRepo(async (repo) => {
      setUp(repo);
      await turnStart(repo);
      // A first stop of the turn, passing: the guard's definition is known to the verdict index from then on
      // (so later runs key their verdicts).
      repo.write('src/b.txt', 'good too\n');
      const first = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(first.stdout).toBe('');
      expect(records(repo).at(-1)).toMatchObject({ status: 'ACCEPTED' });
      // The agent writes a failing file and, before adding anything, commits from its shell (nothing staged:
      // the index holds the base's tree): the pre-commit runs in place and sees the untracked files.
      repo.write('src/new.txt', 'bad: the agent broke this\n');
      const commit = await repo.cli(['run', '--hook', 'pre-commit'], { env: { CLAUDECODE: '1' } });
      expect(commit.code).toBe(1);
      const pre = records(repo).at(-1)!;
      expect(pre).toMatchObject({ hook: 'pre-commit', status: 'REJECTED', tree: repo.git('rev-parse', 'HEAD^{tree}') });
      expect(pre.verdicts[0]).toMatchObject({ status: 'fail', failures: ['new.txt'] });

      const res = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(res.code).toBe(0);
      const reply = res.stdout ? JSON.parse(res.stdout) : {};
      expect(reply.decision).toBe('block');
      const r = records(repo).at(-1)!;
      expect(r.status).toBe('REJECTED');
      expect(r.verdicts[0]).toMatchObject({ status: 'fail', failures: ['new.txt'], baseline: { status: 'pass', failures: [] } });
      expect(r.verdicts[0].tolerated).toBeUndefined();
    }));
});
