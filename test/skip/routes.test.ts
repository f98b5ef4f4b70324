import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, exec, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { addWorktree, gitIn, leanRepo } from '../setup/helpers.js';

// One test per route around the guards, after a real `guardloop init` (lean mode): each route
// leaves a SKIPPED record where git ran post-commit, `audit` flags exactly those commits with their
// cause, the pre-push hook refuses them, and `verify` clears the ones whose guards pass — after
// which audit and the push go through.

function commitFile(repo: TestRepo, file: string, env: Record<string, string> = {}, args: string[] = []) {
  repo.write(file, `${file}\n`);
  repo.git('add', '-A');
  return repo.commit(file, args, env);
}

describe('every route around the guards is seen', () => {
  it('--no-verify, GUARDLOOP=0, core.hooksPath elsewhere and a clone without hooks are flagged by audit and refused by pre-push; a worktree is guarded; verify clears what passes', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      const bare = join(repo.dir, '.git', 'remote.git');
      repo.git('init', '-q', '--bare', '-b', 'main', bare);
      repo.git('remote', 'add', 'origin', bare);
      repo.git('-c', 'core.hooksPath=/dev/null', 'push', '-q', '-u', 'origin', 'main');

      // Through the hooks: verified.
      expect((await commitFile(repo, 'checked.txt')).code).toBe(0);
      const checked = repo.git('rev-parse', 'HEAD');
      // --no-verify: the post-commit hook notes the skip.
      const noVerify = await commitFile(repo, 'no-verify.txt', {}, ['--no-verify']);
      expect(noVerify.stderr).toContain('is unverified');
      const skipped = repo.git('rev-parse', 'HEAD');
      // GUARDLOOP=0, on content its guards reject.
      const off = await commitFile(repo, 'BAD', { GUARDLOOP: '0' });
      expect(off.code, off.stderr).toBe(0);
      expect(off.stderr).toContain('GUARDLOOP=0');
      const offSha = repo.git('rev-parse', 'HEAD');
      repo.git('rm', '-q', 'BAD');
      repo.write('dropped.txt', 'a tree no record names\n');
      repo.git('add', '-A');
      repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'drop BAD, unchecked');
      const dropped = repo.git('rev-parse', 'HEAD');
      // core.hooksPath pointed elsewhere: no hook at all, so nothing is noted as it happens.
      const elsewhere = await commitFile(repo, 'elsewhere.txt', { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.hooksPath', GIT_CONFIG_VALUE_0: '/nonexistent' });
      expect(elsewhere.code).toBe(0);
      expect(elsewhere.stderr).not.toContain('guardloop');
      const elsewhereSha = repo.git('rev-parse', 'HEAD');

      // A linked worktree made after init runs the same hooks (and finds guardloop in the main worktree).
      const wt = addWorktree(repo);
      try {
        // (a tree of its own: the same tree judged here would vouch for a main-branch commit too)
        const wtCommit = await exec('sh', ['-c', 'echo wt > wt.txt && git add wt.txt && git commit -q -m "in the worktree"'], { cwd: wt.dir, env: cleanEnv() });
        expect(wtCommit.code, wtCommit.stderr).toBe(0);
        expect((await gitIn(wt.dir, ['notes', '--ref=guardloop', 'show', 'HEAD^{tree}'])).stdout).toContain('"status":"ACCEPTED"');
      } finally {
        await gitIn(repo.dir, ['worktree', 'remove', '--force', wt.dir]);
        wt.done();
      }

      const expectFlagged = async (cwd: string, range: string, want: Record<string, string>) => {
        const audit = await exec(process.execPath, [join(repo.dir, 'node_modules', '.bin', 'guardloop'), 'audit', range, '--json'], { cwd, env: cleanEnv() });
        expect(audit.code, audit.stderr).toBe(Object.keys(want).length ? 1 : 0);
        const got = Object.fromEntries(JSON.parse(audit.stdout).commits.filter((c: any) => c.verdict === 'unverified').map((c: any) => [c.commit, c.cause.kind === 'skipped' ? c.cause.how : c.cause.kind]));
        expect(got).toEqual(want);
      };
      await expectFlagged(repo.dir, 'origin/main..HEAD', { [skipped]: 'no-pre-commit', [offSha]: 'GUARDLOOP=0', [dropped]: 'no-record', [elsewhereSha]: 'no-record' });
      expect(checked).not.toBe(skipped);

      // The pre-push hook refuses them, naming each.
      const refused = await repo.cli(['run', '--hook', 'pre-push', 'origin', bare], { input: `refs/heads/main ${repo.git('rev-parse', 'HEAD')} refs/heads/main ${repo.git('rev-parse', 'origin/main')}\n` });
      expect(refused.code, refused.stderr).toBe(1);
      for (const sha of [skipped, offSha, dropped, elsewhereSha]) expect(refused.stderr).toContain(sha.slice(0, 7));
      const push = await exec('git', ['push', '-q', 'origin', 'main'], { cwd: repo.dir, env: cleanEnv() });
      expect(push.code).not.toBe(0);

      // verify clears those whose guards pass; the one with BAD stays REJECTED.
      const verify = await repo.cli(['verify', 'origin/main..HEAD']);
      expect(verify.code, verify.stdout + verify.stderr).toBe(1);
      await expectFlagged(repo.dir, 'origin/main..HEAD', { [offSha]: 'rejected' });
      const still = await repo.cli(['run', '--hook', 'pre-push', 'origin', bare], { input: `refs/heads/main ${repo.git('rev-parse', 'HEAD')} refs/heads/main ${repo.git('rev-parse', 'origin/main')}\n` });
      expect(still.code).toBe(1);
      expect(still.stderr).toContain(offSha.slice(0, 7));
      expect(still.stderr).not.toContain(skipped.slice(0, 7));
      // Without the rejected commit on the branch, audit and the push go through.
      repo.git('reset', '-q', '--hard', skipped);
      await expectFlagged(repo.dir, 'origin/main..HEAD', {});
      const ok = await exec('git', ['push', '-q', 'origin', 'main'], { cwd: repo.dir, env: cleanEnv() });
      expect(ok.code, ok.stderr).toBe(0);

      // A clone where `npm install` never ran has no hooks at all: its commits are flagged in audit there.
      const parent = mkdtempSync(join(tmpdir(), 'guardloop-clone-'));
      try {
        const clone = join(parent, 'clone');
        await exec('git', ['clone', '-q', bare, clone], { cwd: parent, env: cleanEnv() });
        for (const [k, v] of [['user.name', 'Test User'], ['user.email', 'test@example.com']]) await gitIn(clone, ['config', k, v]);
        await gitIn(clone, ['fetch', '-q', 'origin', 'refs/notes/guardloop:refs/notes/guardloop']);
        await exec('sh', ['-c', 'echo c > c.txt && git add c.txt && git commit -q -m "in a clone without hooks"'], { cwd: clone, env: cleanEnv() });
        const cloneSha = (await gitIn(clone, ['rev-parse', 'HEAD'])).stdout.trim();
        await expectFlagged(clone, 'origin/main..HEAD', { [cloneSha]: 'no-record' });
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    }));

  it('HUSKY=0 in husky mode runs no hook at all: audit flags the commit as having no record, status names the route', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.write('.husky/post-commit', 'guardloop run --hook post-commit\n');
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      repo.git('add', '-A');
      expect((await repo.commit('through husky')).code).toBe(0);
      const base = repo.git('rev-parse', 'HEAD');
      const off = await commitFile(repo, 'a.txt', { HUSKY: '0' });
      expect(off.code).toBe(0);
      expect(off.stderr).not.toContain('guardloop');
      const sha = repo.git('rev-parse', 'HEAD');
      const audit = await repo.cli(['audit', `${base}..HEAD`, '--json']);
      expect(audit.code).toBe(1);
      expect(JSON.parse(audit.stdout).commits).toMatchObject([{ commit: sha, verdict: 'unverified', cause: { kind: 'no-record' } }]);
      const status = await repo.cli(['status', '--json'], { env: { HUSKY: '0' } });
      expect(status.code).toBe(1);
      expect(JSON.stringify(JSON.parse(status.stdout).problems)).toContain('HUSKY');
    }));
});
