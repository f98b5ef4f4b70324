import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, turnStart } from './helpers.js';

// Two guards that must not run together. On the base (a clean checkout: no ignored `here.flag`) each logs
// its start and end; `a` waits (at most 2 s) for `b` to start, which it only can when they run at once.
const GUARD = `
const fs = require('fs');
const [id, log] = [process.argv[2], process.env.LOG];
if (!fs.existsSync('here.flag')) {
  fs.appendFileSync(log, 'start ' + id + '\\n');
  const until = Date.now() + 2000;
  while (id === 'a' && Date.now() < until && !fs.readFileSync(log, 'utf8').includes('start b')) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  fs.appendFileSync(log, 'end ' + id + '\\n');
}
const bad = fs.readdirSync('src').filter((f) => fs.readFileSync('src/' + f, 'utf8').includes('bad'));
for (const f of bad) console.log('FAIL ' + f);
process.exit(bad.length ? 1 : 0);
`;

describe('the base run keeps `parallel: false`', () => {
  it('runs the guards on the base one after the other', () =>
    withGitRepo(async (repo) => {
      const log = join(repo.dir, '..', `base-order-${process.pid}-${Date.now()}.log`);
      writeFileSync(log, '');
      repo.installPackage();
      repo.write('g.cjs', GUARD);
      const extra = "    inputs: ['src/**']\n    failures: '^FAIL (\\S+)'\n";
      repo.config(`parallel: false\nenv:\n  LOG: ${JSON.stringify(log)}\nguards:\n${guardYaml('a', 'node g.cjs a', extra)}${guardYaml('b', 'node g.cjs b', extra)}`);
      repo.write('.gitignore', 'node_modules\nhere.flag\n');
      repo.write('src/old.txt', 'bad\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '--no-verify', '-m', 'base');
      repo.write('here.flag', '');
      installTranscript(repo);
      await turnStart(repo);
      repo.write('src/b.txt', 'good\n');
      const res = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(res.code).toBe(0);
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['start a', 'end a', 'start b', 'end b']);
      expect(records(repo).at(-1)).toMatchObject({ status: 'ACCEPTED' });
    }));
});
