import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, turnStart } from './helpers.js';

// A test guard whose first run on the base (a clean checkout: no ignored `here.flag`) hangs until the
// guard's timeout kills it, as when the stop's time runs out there; every other run checks src/*.txt.
const CHECK = `
const fs = require('fs');
if (!fs.existsSync('here.flag') && !fs.existsSync(process.env.MARK)) { fs.writeFileSync(process.env.MARK, ''); setInterval(() => {}, 1000); return; }
let bad = 0;
for (const f of fs.readdirSync('src').sort()) if (fs.readFileSync('src/' + f, 'utf8').includes('bad')) { console.log('FAIL ' + f); bad++; }
process.exit(bad ? 1 : 0);
`;

function setUp(repo: TestRepo, mark: string): void {
  repo.installPackage();
  repo.write('check.cjs', CHECK);
  repo.config(`env:\n  MARK: ${JSON.stringify(mark)}\nguards:\n${guardYaml('tests', 'node check.cjs', "    layer: test\n    timeout: 2s\n    inputs: ['src/**', 'check.cjs']\n    failures: '^FAIL (\\S+)'\n")}`);
  repo.write('.gitignore', 'node_modules\nhere.flag\n');
  repo.write('src/old.txt', 'bad: a test that already fails\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'a base with one failing test');
  repo.write('here.flag', '');
  installTranscript(repo);
}

async function stop(repo: TestRepo) {
  const res = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
  expect(res.code).toBe(0);
  return { ...res, reply: res.stdout ? JSON.parse(res.stdout) : {} };
}

describe('a base run that timed out says nothing lasting about the base', () => {
  it('blocks that once, says why, is not indexed, and the next stop runs the guard on the base again', () =>
    withGitRepo(async (repo) => {
      const mark = join(repo.dir, '..', `base-hung-${process.pid}-${Date.now()}`);
      setUp(repo, mark);
      await turnStart(repo);
      repo.write('src/b.txt', 'good\n');
      const s1 = await stop(repo);
      expect(existsSync(mark)).toBe(true);
      expect(s1.reply.decision).toBe('block');
      expect(s1.reply.reason).toContain("Not compared with the turn's base: this guard timed out there");
      expect(records(repo).at(-1)!.verdicts[0]).toMatchObject({ status: 'fail', baseline: { status: 'timeout' } });
      expect(readFileSync(join(repo.dir, '.git', 'guardloop', 'verdict-index'), 'utf8')).not.toContain('\ttimeout');

      const s2 = await stop(repo);
      expect(s2.reply.decision).toBeUndefined();
      const r2 = records(repo).at(-1)!;
      expect(r2.status).toBe('ACCEPTED');
      expect(r2.verdicts[0]).toMatchObject({ tolerated: true, baseline: { status: 'fail', failures: ['old.txt'] } });
      expect(r2.verdicts[0].baseline.from).toBeUndefined();
    }));
});
