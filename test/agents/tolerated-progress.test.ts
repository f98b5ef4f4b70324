import { describe, expect, it } from 'vitest';
import { guardLine, failureDetail } from '../../src/messages/run.js';
import { stopProgress } from '../../src/messages/agents.js';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, turnStart } from './helpers.js';

// A test guard that fails for each src/*.txt holding "bad", naming it (`FAIL <file>`).
const CONFIG = `guards:\n${guardYaml('tests', "for f in src/*.txt; do grep -q bad \"$f\" && echo \"FAIL $f\"; done; ! grep -q bad src/*.txt", "    layer: test\n    inputs: ['src/**']\n    failures: '^FAIL (\\S+)'\n")}`;

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

// The progress lines a run printed (stderr), one per guard.
const progress = (stderr: string) => stderr.split('\n').filter((l) => /^guardloop stop: [✓✗≈!⏱–] /.test(l));

describe("the progress line of a failure the turn's base has too", () => {
  it('has its own mark and says it does not block; a new failure stays ✗ fail', () => {
    const base = { guard: 'tests', status: 'fail' as const, exit: 1, ms: 1234, feedback: 'FAIL src/old.txt\n', failures: ['src/old.txt'] };
    expect(guardLine({ ...base, tolerated: true }, 5)).toBe("  ≈ tests  tolerated 1.2s (1 failure the turn's base has too, not blocking)");
    expect(guardLine({ ...base, tolerated: true, failures: ['a', 'b'], ms: 0, reused: 'f'.repeat(32) }, 5)).toBe(
      "  ≈ tests  tolerated reused (inputs unchanged since record ffffffffffff) (2 failures the turn's base has too, not blocking)",
    );
    expect(guardLine(base, 5)).toBe('  ✗ tests  fail    1.2s');
    expect(failureDetail({ ...base, tolerated: true }, { invariant: 'In this codebase, tests must never fail.' } as never)).toContain("tests failed as on the turn's base (not blocking) (exit 1)");
    expect(failureDetail(base, { invariant: 'x' } as never)).toContain('tests failed (exit 1)');
    expect(stopProgress('tests', 'fail', { tolerated: true, failures: ['a', 'b'] })).toBe("guardloop stop: ≈ tests tolerated (2 failures the turn's base has too, not blocking)");
    expect(stopProgress('tests', 'fail', { failures: ['a'] })).toBe('guardloop stop: ✗ tests fail');
    expect(stopProgress('tests', 'fail')).toBe('guardloop stop: ✗ tests fail');
  });

  it("an agent's stop that adds a failure: its line stays `✗ fail`", () =>
    withGitRepo(async (repo) => {
      await failingBase(repo);
      repo.write('src/b.txt', 'bad: the agent broke this\n');
      const stop = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(JSON.parse(stop.stdout).decision).toBe('block');
      expect(records(repo).at(-1)!.verdicts[0]).toMatchObject({ status: 'fail', failures: ['src/b.txt', 'src/old.txt'] });
      expect(progress(stop.stderr)).toEqual(['guardloop stop: ✗ tests fail']);
    }));
});
