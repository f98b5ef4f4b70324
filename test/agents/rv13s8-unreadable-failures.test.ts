import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, turnStart } from './helpers.js';

// Fresh-eyes review, session 8 (rv13): failures guardloop can't read from a guard's output. A guard that
// fails on the turn's base and says nothing that names its failures can't tell a new failure from the
// base's: it must not let the new one through, and the reason must say why it blocks (not "0 new").

function setUp(repo: TestRepo, run: string, extra = ''): void {
  repo.installPackage();
  repo.config(`${extra}guards:\n${guardYaml('check', run, "    inputs: ['src/**', 'check.cjs']\n")}`);
  repo.write('src/old.txt', 'bad: fails on the base\n');
  repo.write('src/a.txt', 'good\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'a base whose check fails');
  installTranscript(repo);
}

async function stop(repo: TestRepo) {
  const res = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
  expect(res.code).toBe(0);
  return { ...res, reply: res.stdout ? JSON.parse(res.stdout) : {} };
}

describe("failures a guard's output doesn't name (the real CLI, Claude Code's real payload)", () => {
  it('a guard that prints nothing and exits 1 on the base: a new failure the agent made still blocks, and the reason says why', () =>
    withGitRepo(async (repo) => {
      // Exits 1 when any src file holds "bad", printing nothing (as `grep -q`, `cmp -s`, `git diff --quiet` do).
      writeFileSync(join(repo.dir, 'check.cjs'), "const fs = require('fs');\nprocess.exitCode = fs.readdirSync('src').some((f) => fs.readFileSync('src/' + f, 'utf8').includes('bad')) ? 1 : 0;\n");
      setUp(repo, 'node check.cjs');
      await turnStart(repo);
      repo.write('src/new.txt', 'bad: the agent broke this\n');
      const s = await stop(repo);
      expect(s.reply.decision).toBe('block');
      expect(s.reply.reason).toContain('printed nothing');
      expect(s.reply.reason).not.toMatch(/New in this turn \(blocking\), 0/);
      const r = records(repo).at(-1)!;
      expect(r.status).toBe('REJECTED');
      expect(r.verdicts[0].tolerated).toBeUndefined();
    }));

  it('an output longer than 10 × limits.output on the base and the candidate: blocked, the reason names the limit to raise and lists no "0 new"', () =>
    withGitRepo(async (repo) => {
      // 3,000 passing lines (about 90,000 characters, past 10 × 1,000), then one FAIL line per bad file.
      writeFileSync(
        join(repo.dir, 'check.cjs'),
        "const fs = require('fs');\nfor (let i = 0; i < 3000; i++) console.log('  ok case ' + i + ' passes');\nlet bad = 0;\nfor (const f of fs.readdirSync('src').sort()) if (fs.readFileSync('src/' + f, 'utf8').includes('bad')) { console.log('FAIL ' + f); bad++; }\nprocess.exitCode = bad ? 1 : 0;\n",
      );
      setUp(repo, 'node check.cjs', 'limits:\n  output: 1000\n');
      await turnStart(repo);
      repo.write('src/b.txt', 'good too\n');
      const s = await stop(repo);
      expect(s.reply.decision).toBe('block');
      expect(s.reply.reason).toContain('limits.output');
      expect(s.reply.reason).not.toMatch(/New in this turn \(blocking\), 0/);
      // The note about the cut output is not listed as a failure the base already had.
      expect(s.reply.reason).not.toMatch(/Already failing on the turn's base[^\n]*\n(?: {2}- .*\n)* {2}- \(output longer/);
      expect(records(repo).at(-1)!.verdicts[0].tolerated).toBeUndefined();
    }));
});
