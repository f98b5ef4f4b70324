import { describe, expect, it } from 'vitest';
import { exec, cleanEnv, notesOf, type TestRepo, withGitRepo } from '../helpers/git-repo.js';
import { addRemote, installPushHook, NO_BAD, unverifiedCommit, verifiedCommit, writeRecord } from '../audit/helpers.js';

const LOCAL = { CI: undefined, GITHUB_ACTIONS: undefined };
const short = (sha: string, n = 7) => sha.slice(0, n);

// A committed config with NO_BAD (so audit judges every later commit), then a commit whose tree has
// a file `bad` committed past every hook: its guard fails, and ℛ has nothing about it.
async function failingCommit(repo: TestRepo): Promise<string> {
  repo.config(NO_BAD);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'config');
  return unverifiedCommit(repo, 'bad', 'adds bad');
}

describe('the wording of log, verify, audit and the gate', () => {
  it('guardloop log prints a CI record\'s source as CI', () =>
    withGitRepo(async (repo) => {
      const sha = await failingCommit(repo);
      await writeRecord(repo, repo.git('rev-parse', `${sha}^{tree}`), { source: 'CI', hook: 'ci' });
      const log = await repo.cli(['log']);
      expect(log.code, log.stderr).toBe(0);
      expect(log.stdout).toMatch(/ACCEPTED +ci +CI +tree/);
      expect(log.stdout).not.toContain('HUMAN');
    }));

  it('a not-reproducible verify names the ACCEPTED record it contradicts (not an earlier REJECTED re-run) and every real cause', () =>
    withGitRepo(async (repo) => {
      const sha = await failingCommit(repo);
      const tree = repo.git('rev-parse', `${sha}^{tree}`);
      // A forged ACCEPTED record of the failing tree, judged against the commit's own parent.
      await writeRecord(repo, tree, { base: repo.git('rev-parse', `${sha}^`), ts: '2020-01-01T00:00:00.000Z' });
      const forged = notesOf(repo, tree)[0].id as string;
      const first = await repo.cli(['verify', sha], { env: LOCAL });
      expect(first.code).toBe(4);
      const firstVerify = notesOf(repo, tree).find((r) => r.hook === 'verify')!.id as string;
      const again = await repo.cli(['verify', sha], { env: LOCAL });
      expect(again.code).toBe(4);
      expect(again.stdout).toContain(`ℛ holds an ACCEPTED record for this tree (${short(forged, 12)}), but its guards fail now`);
      expect(again.stdout).toContain(`Compare \`guardloop show ${short(forged, 12)}\``);
      expect(again.stdout).not.toContain(`guardloop show ${short(firstVerify, 12)}\` with`);
      expect(again.stdout).toContain('a record judged against another base (the commit was amended or squashed after it was checked)');
      expect(again.stdout).toContain('`link: [node_modules, packages/*/node_modules]`');
      expect(again.stdout).toContain('a nondeterministic guard');
    }));

  it('after a re-run REJECTED a commit, audit says to change the history, not to verify it again', () =>
    withGitRepo(async (repo) => {
      const sha = await failingCommit(repo);
      const none = await repo.cli(['audit', 'HEAD~1..HEAD']);
      expect(none.stdout).toContain(`guardloop verify ${short(sha)}`);
      expect(none.stdout).toContain('unverified (no record vouches for the commit)');
      expect((await repo.cli(['verify', sha], { env: LOCAL })).code).toBe(1);
      const res = await repo.cli(['audit', 'HEAD~1..HEAD']);
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(`${short(sha)} is rejected by its guards: fix it in a new commit and drop or amend ${short(sha)} (git rebase -i ${short(sha)}^), then run guardloop audit again`);
      expect(res.stdout).not.toContain(`guardloop verify ${short(sha)}`);
      expect(res.stdout).not.toContain('no ACCEPTED record for the tree');
    }));

  it('with audit.merges: skip the gate says how many merges it did not audit', () =>
    withGitRepo(async (repo) => {
      installPushHook(repo);
      repo.config(`${NO_BAD}audit:\n  merges: skip\n`);
      addRemote(repo);
      await verifiedCommit(repo, 'a.txt', 'first');
      repo.git('checkout', '-q', '-b', 'side');
      await verifiedCommit(repo, 's.txt', 'on side');
      repo.git('checkout', '-q', 'main');
      await verifiedCommit(repo, 'm.txt', 'on main');
      repo.git('merge', '-q', '--no-ff', '--no-verify', '-m', 'merge side', 'side');
      const res = await exec('git', ['push', 'origin', 'main'], { cwd: repo.dir, env: cleanEnv() });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain('guardloop pre-push: 4 commits to push to origin, 3 commits audited and every one verified (1 merge not audited: audit.merges is skip).');
    }));

  it('audit counts the commits from before guardloop was set up', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      await unverifiedCommit(repo, 'old1.txt', 'before guardloop');
      await unverifiedCommit(repo, 'old2.txt', 'also before');
      repo.config(NO_BAD);
      await verifiedCommit(repo, 'a.txt', 'adds the config');
      const res = await repo.cli(['audit']);
      expect(res.code, res.stdout).toBe(0);
      expect(res.stdout).toContain('2 commits from before guardloop was set up (no .loop/config.yaml), not audited');
    }));
});
