import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, turnStart } from './helpers.js';

// A test guard that fails for each src/*.txt holding "bad", naming it (`FAIL <file>`), and a lint guard after it that passes.
const CONFIG = `guards:\n${guardYaml('tests', "for f in src/*.txt; do grep -q bad \"$f\" && echo \"FAIL $f\"; done; ! grep -q bad src/*.txt", "    layer: test\n    inputs: ['src/**']\n    failures: '^FAIL (\\S+)'\n")}${guardYaml('lint', 'true', '    layer: lint\n')}`;

// A base whose test guard already fails (src/old.txt), committed without a hook; the agent's turn starts on it.
async function failingBase(repo: TestRepo): Promise<void> {
  repo.installPackage();
  repo.config(CONFIG);
  repo.write('README.md', '# demo\n');
  repo.write('src/old.txt', 'bad: a test that already fails\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'a base that already fails');
  installTranscript(repo);
  await turnStart(repo);
}

const progress = (stderr: string) => stderr.split('\n').filter((l) => /^guardloop stop: [✓✗≈!⏱–] /.test(l));
const TOLERATED = "guardloop stop: ≈ tests tolerated (1 failure the turn's base has too, not blocking)";

describe("a stop's progress line of a failure the turn's base has too", () => {
  it('is `≈ tolerated`, told once the base judged it, in declaration order; run again on the same inputs (reused) too', () =>
    withGitRepo(async (repo) => {
      await failingBase(repo);
      repo.write('src/a.txt', 'good\n');
      const first = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(first.stdout).toBe('');
      expect(records(repo).at(-1)!.verdicts[0]).toMatchObject({ status: 'fail', tolerated: true });
      expect(progress(first.stderr)).toEqual([TOLERATED, 'guardloop stop: ✓ lint pass']);
      // A docs change after it: the tolerated verdict on the same inputs stands (reused), and says so the same way.
      repo.write('README.md', '# demo\n\nMore.\n');
      const second = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(records(repo).at(-1)!.verdicts[0]).toMatchObject({ status: 'fail', tolerated: true, reused: expect.any(String) });
      expect(progress(second.stderr)).toEqual([TOLERATED, 'guardloop stop: ✓ lint pass']);
      // A new failure: `✗ fail` (blocked), the lines still in order.
      repo.write('src/b.txt', 'bad: the agent broke this\n');
      const third = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(JSON.parse(third.stdout).decision).toBe('block');
      expect(progress(third.stderr)).toEqual(['guardloop stop: ✗ tests fail', 'guardloop stop: ✓ lint pass']);
    }));
});
