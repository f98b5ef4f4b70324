import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';
import { addRemote, NO_BAD, unverifiedCommit, verifiedCommit, writeRecord } from './helpers.js';

const short = (sha: string) => sha.slice(0, 7);

describe('guardloop audit', () => {
  it('with no upstream audits the whole branch: a --no-verify commit has no record, a commit whose tree was only rejected names the guards', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      const a = await verifiedCommit(repo, 'a.txt', 'verified one');
      const b = await unverifiedCommit(repo, 'b.txt', 'skipped the hook');
      // Rejected by the pre-commit hook, then committed with --no-verify: the tree has only a REJECTED record.
      repo.write('bad', 'bad one\n');
      repo.git('add', '-A');
      expect((await repo.commit('bad one')).code).not.toBe(0);
      const c = await unverifiedCommit(repo, 'bad', 'bad one');
      const res = await repo.cli(['audit']);
      expect(res.code, res.stderr).toBe(1);
      expect(res.stdout).toContain(`✗ ${short(b)}  Test User  skipped the hook\n      no record: hooks not installed or not run`);
      expect(res.stdout).toContain(`✗ ${short(c)}  Test User  bad one\n      rejected by no-bad`);
      expect(res.stdout).not.toContain(short(a));
      expect(res.stdout).toContain('2 of 3 commits in main (no upstream: every commit of the branch) unverified');
      // Re-running a rejected commit's guards changes nothing: its fix is a changed history.
      expect(res.stdout).toContain(`guardloop verify ${short(b)}\n`);
      expect(res.stdout).toContain(`${short(c)} is rejected by its guards: fix it in a new commit and drop or amend ${short(c)} (git rebase -i ${short(c)}^)`);
      expect(res.stdout).toContain('In CI: guardloop ci');
    }));

  it('with an upstream audits only the commits not on it, and exits 0 when each has an ACCEPTED record', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      addRemote(repo);
      const old = await unverifiedCommit(repo, 'a.txt', 'already pushed');
      repo.git('push', '-q', '--no-verify', '-u', 'origin', 'main');
      const fresh = await verifiedCommit(repo, 'b.txt', 'new and verified');
      let res = await repo.cli(['audit']);
      expect(res.code, res.stdout + res.stderr).toBe(0);
      expect(res.stdout).toContain('guardloop audit: 1 commit in origin/main..HEAD, every one with an ACCEPTED record for its tree.');
      const late = await unverifiedCommit(repo, 'c.txt', 'new, unverified');
      res = await repo.cli(['audit']);
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(short(late));
      expect(res.stdout).not.toContain(short(old));
      expect(res.stdout).not.toContain(short(fresh));
      expect(res.stdout).toContain('1 of 2 commits in origin/main..HEAD unverified');
      // A range named on the command line replaces the default one.
      res = await repo.cli(['audit', 'HEAD~2..HEAD~1']);
      expect(res.code).toBe(0);
      res = await repo.cli(['audit', 'main~2']);
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(short(old));
    }));

  it('names how a commit was skipped from its SKIPPED record (GUARDLOOP=0, no pre-commit), and what rejected its tree before', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      const a = await unverifiedCommit(repo, 'a.txt', 'env skip', { GUARDLOOP: '0' });
      const b = await unverifiedCommit(repo, 'b.txt', 'no hook');
      const tree = (rev: string) => repo.git('rev-parse', `${rev}^{tree}`);
      const skipped = (how: 'GUARDLOOP=0' | 'no-pre-commit', commit: string) => ({ hook: 'post-commit' as const, status: 'SKIPPED' as const, reward: 0 as const, verdicts: [], skip: { how, commit } });
      await writeRecord(repo, tree(a), skipped('GUARDLOOP=0', a));
      await writeRecord(repo, tree(b), skipped('no-pre-commit', b));
      await writeRecord(repo, tree(b), { status: 'REJECTED', reward: -1, verdicts: [{ guard: 'lint', status: 'fail', exit: 1, ms: 3, feedback: 'no' }] });
      const res = await repo.cli(['audit']);
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(`✗ ${short(a)}  Test User  env skip\n      committed with GUARDLOOP=0`);
      expect(res.stdout).toContain(`✗ ${short(b)}  Test User  no hook\n      no pre-commit ran: --no-verify, or hooks not installed; rejected by lint before`);
      // A later ACCEPTED record of the same tree (verify) clears it.
      await writeRecord(repo, tree(a), {});
      const json = JSON.parse((await repo.cli(['audit', '--json'])).stdout);
      expect(json.commits.find((c: any) => c.commit === a)).toMatchObject({ verdict: 'verified', cause: null });
      expect(json.commits.find((c: any) => c.commit === b).cause).toEqual({ kind: 'skipped', how: 'no-pre-commit', rejectedBy: ['lint'] });
    }));

  it('requires a record for a merge commit by default, and leaves merges out with audit.merges: skip', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      await verifiedCommit(repo, 'a.txt', 'base');
      repo.git('checkout', '-q', '-b', 'side');
      await verifiedCommit(repo, 'side.txt', 'on side');
      repo.git('checkout', '-q', 'main');
      await verifiedCommit(repo, 'main.txt', 'on main');
      repo.git('merge', '-q', '--no-ff', '--no-verify', '-m', 'merge side', 'side');
      const merge = repo.git('rev-parse', 'HEAD');
      let res = await repo.cli(['audit']);
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(`✗ ${short(merge)}  Test User  merge side (merge)\n      no record: hooks not installed or not run`);
      expect(res.stdout).toContain('1 of 4 commits');
      // Settings come from the config committed at HEAD: the change is committed through the hook.
      repo.config(`${NO_BAD}audit:\n  merges: skip\n`);
      repo.git('add', '-A');
      expect((await repo.commit('merges: skip')).code).toBe(0);
      res = await repo.cli(['audit']);
      expect(res.code, res.stdout + res.stderr).toBe(0);
      expect(res.stdout).toContain('5 commits in main (no upstream: every commit of the branch), every one with an ACCEPTED record for its tree (1 merge not audited: audit.merges is skip).');
      const json = JSON.parse((await repo.cli(['audit', '--json'])).stdout);
      expect(json.merges).toBe('skip');
      expect(json.commits[1]).toMatchObject({ commit: merge, merge: true, verdict: 'merge-skipped', cause: null });
    }));

  it('--json: one object with every commit, its verdict and cause; exit codes 1 and 0 as without it', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      const a = await verifiedCommit(repo, 'a.txt', 'ok');
      const b = await unverifiedCommit(repo, 'b.txt', 'skip');
      const res = await repo.cli(['audit', '--json']);
      expect(res.code).toBe(1);
      expect(res.stdout.trim().split('\n')).toHaveLength(1);
      const json = JSON.parse(res.stdout);
      expect(json).toEqual({
        range: 'main (no upstream: every commit of the branch)',
        merges: 'require',
        total: 2,
        unverified: 1,
        commits: [
          { commit: b, short: short(b), tree: repo.git('rev-parse', 'HEAD^{tree}'), parents: [a], author: 'Test User', subject: 'skip', merge: false, verdict: 'unverified', cause: { kind: 'no-record' } },
          { commit: a, short: short(a), tree: repo.git('rev-parse', 'HEAD~1^{tree}'), parents: [], author: 'Test User', subject: 'ok', merge: false, verdict: 'verified', cause: null },
        ],
      });
      const clean = await repo.cli(['audit', 'HEAD~1', '--json']);
      expect(clean.code).toBe(0);
      expect(JSON.parse(clean.stdout)).toMatchObject({ range: 'HEAD~1', total: 1, unverified: 0 });
    }));

  it('counts records still in the journal (not yet on the ref) and exits 2 on a range git cannot read', () =>
    withGitRepo(async (repo) => {
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'one');
      const tree = repo.git('rev-parse', 'HEAD^{tree}');
      await writeRecord(repo, '1'.repeat(40), {});
      const before = repo.git('rev-parse', 'refs/notes/guardloop');
      await writeRecord(repo, tree, {});
      // A native writer drops guardloop's last notes commit: the record is only in the journal now.
      repo.git('update-ref', 'refs/notes/guardloop', before);
      expect(() => repo.git('notes', '--ref=guardloop', 'show', tree)).toThrow();
      const res = await repo.cli(['audit']);
      expect(res.code, res.stdout).toBe(0);
      expect(res.stdout).toContain('1 commit in main (no upstream: every commit of the branch), every one with an ACCEPTED record');
      const empty = await repo.cli(['audit', 'HEAD..HEAD']);
      expect(empty.code).toBe(0);
      expect(empty.stdout).toContain('guardloop audit: no commits in HEAD..HEAD.');
      const bad = await repo.cli(['audit', 'no-such-branch..HEAD']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('"no-such-branch..HEAD" is not a revision range git can read');
    }));
});
