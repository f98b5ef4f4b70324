import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, exec, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { fakeBinary, leanRepo } from './helpers.js';

// Commits made by git's sequencer (rebase, cherry-pick, revert) are not skips: the lean post-commit
// hook exits at once for them — no SKIPPED record, no "unverified" line, no Node started. Git 2.39
// does not export GIT_REFLOG_ACTION to the hook, so this is what the hook's other checks catch.

const UNVERIFIED = /is unverified/;
const seq = (repo: TestRepo, args: string[], env: Record<string, string | undefined> = {}) =>
  exec('git', args, { cwd: repo.dir, env: cleanEnv({ GIT_EDITOR: 'true', GIT_SEQUENCE_EDITOR: 'true', ...env }) });

// Commits without any hook (their setup is not what is tested).
function quietCommit(repo: TestRepo, file: string, message: string): void {
  repo.write(file, `${file}\n`);
  repo.git('add', file);
  repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', message);
}

// A lean-mode repository whose guardloop is a stand-in that writes `mark` when started, with a
// branch `side` of three commits forked from main before main's own commit.
async function setUp(repo: TestRepo): Promise<string> {
  await leanRepo(repo);
  repo.git('checkout', '-q', '-b', 'side');
  for (const n of [1, 2, 3]) quietCommit(repo, `s${n}.txt`, `s${n}`);
  repo.git('checkout', '-q', 'main');
  quietCommit(repo, 'm.txt', 'm');
  const mark = join(repo.dir, '.git', 'started');
  fakeBinary(repo.dir, mark);
  return mark;
}

function noRecordsOn(repo: TestRepo, revs: string[]): void {
  for (const rev of revs) expect(repo.git('notes', '--ref=guardloop', 'list').split('\n')).not.toContainEqual(expect.stringContaining(repo.git('rev-parse', `${rev}^{tree}`)));
}

describe('post-commit under git rebase, cherry-pick and revert', () => {
  it('a 3-commit `git rebase` (and `rebase -i`) writes no record and starts no guardloop; a plain --no-verify commit does (control)', () =>
    withGitRepo(async (repo) => {
      const mark = await setUp(repo);
      repo.git('branch', 'side-i', 'side');
      repo.git('checkout', '-q', 'side');
      const rebase = await seq(repo, ['rebase', 'main']);
      expect(rebase.code, rebase.stderr).toBe(0);
      expect(repo.git('rev-list', '--count', 'main..side')).toBe('3');
      expect(existsSync(mark)).toBe(false);
      expect(rebase.stderr + rebase.stdout).not.toMatch(UNVERIFIED);
      noRecordsOn(repo, ['side', 'side~1', 'side~2']);

      repo.git('checkout', '-q', 'side-i');
      const interactive = await seq(repo, ['rebase', '-i', '--exec', 'true', 'main']);
      expect(interactive.code, interactive.stderr).toBe(0);
      expect(repo.git('rev-list', '--count', 'main..side-i')).toBe('3');
      expect(existsSync(mark)).toBe(false);

      // An exported GIT_REFLOG_ACTION (newer git, or a script) is honoured before anything else.
      repo.write('x.txt', 'x\n');
      repo.git('add', 'x.txt');
      const scripted = await repo.commit('x', ['--no-verify'], { GIT_REFLOG_ACTION: 'rebase (pick)' });
      expect(scripted.code, scripted.stderr).toBe(0);
      expect(existsSync(mark)).toBe(false);

      repo.write('y.txt', 'y\n');
      repo.git('add', 'y.txt');
      const plain = await repo.commit('y', ['--no-verify']);
      expect(plain.code, plain.stderr).toBe(0);
      expect(readFileSync(mark, 'utf8').split('\n')[0]).toBe('run --hook post-commit');
    }));

  it('`git cherry-pick` of one commit and of several, and `git revert`, write no record and start no guardloop', () =>
    withGitRepo(async (repo) => {
      const mark = await setUp(repo);
      const one = await seq(repo, ['cherry-pick', 'side~2']);
      expect(one.code, one.stderr).toBe(0);
      expect(repo.git('log', '--format=%s', '-1')).toBe('s1');
      expect(existsSync(mark)).toBe(false);
      expect(one.stderr).not.toMatch(UNVERIFIED);

      const two = await seq(repo, ['cherry-pick', 'side~1', 'side']);
      expect(two.code, two.stderr).toBe(0);
      expect(repo.git('log', '--format=%s', '-2').split('\n')).toEqual(['s3', 's2']);
      expect(existsSync(mark)).toBe(false);

      const revert = await seq(repo, ['revert', '--no-edit', 'HEAD']);
      expect(revert.code, revert.stderr).toBe(0);
      expect(repo.git('log', '--format=%s', '-1')).toBe('Revert "s3"');
      expect(existsSync(mark)).toBe(false);
      noRecordsOn(repo, ['HEAD', 'HEAD~1', 'HEAD~2', 'HEAD~3']);

      // The stand-in does start for an ordinary commit afterwards (no state left behind).
      rmSync(mark, { force: true });
      repo.write('z.txt', 'z\n');
      repo.git('add', 'z.txt');
      expect((await repo.commit('z', ['--no-verify'])).code).toBe(0);
      expect(existsSync(mark)).toBe(true);
    }));
});
