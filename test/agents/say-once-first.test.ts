import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, turnStart } from './helpers.js';

// Each src/*.txt holding "bad" is a failing test, printed `FAIL <name>` with a different time on every run.
const CHECK = `
const fs = require('fs');
let bad = 0;
for (const f of fs.readdirSync('src').sort()) if (fs.readFileSync('src/' + f, 'utf8').includes('bad')) { console.log('FAIL ' + f + ' (' + Math.random() + 'ms)'); bad++; }
process.exit(bad ? 1 : 0);
`;

describe('say it once, over several attempts', () => {
  it('points to the attempt whose output was sent, and lists the base\'s failures apart', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.write('check.cjs', CHECK);
      repo.config(`guards:\n${guardYaml('tests', 'node check.cjs', "    layer: test\n    inputs: ['src/**', 'check.cjs']\n    failures: '^FAIL (\\S+)'\n")}`);
      repo.write('src/old.txt', 'bad: already failing\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '--no-verify', '-m', 'base');
      installTranscript(repo);
      await turnStart(repo);
      repo.write('src/new.txt', 'bad: the agent broke this\n');
      const reasons: string[] = [];
      for (let i = 0; i < 3; i++) {
        repo.write('src/other.txt', `attempt ${i}\n`);
        const res = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
        reasons.push(JSON.parse(res.stdout).reason);
      }
      const [first] = records(repo).filter((r) => r.hook === 'stop');
      expect(reasons[0]).toContain('FAIL new.txt');
      for (const reason of reasons.slice(1)) {
        expect(reason).toContain('the same 2 failures as attempt 1');
        expect(reason).toContain(`guardloop show ${first.id.slice(0, 12)}`);
        expect(reason).toMatch(/as attempt 1\n {2}- new\.txt\nAlready failing on the turn's base[^\n]*, 1:\n {2}- old\.txt/);
      }
      expect(records(repo).at(-1)!.verdicts[0].repeat).toEqual({ attempt: 1, record: first.id });
    }));
});
