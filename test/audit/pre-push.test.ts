import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exec, cleanEnv, type TestRepo, withGitRepo } from '../helpers/git-repo.js';
import { addRemote, installPushHook, NO_BAD, unverifiedCommit, verifiedCommit } from './helpers.js';

const short = (sha: string) => sha.slice(0, 7);

// `git push` through the installed pre-push hook.
const push = (repo: TestRepo, args: string[], env: Record<string, string> = {}) => exec('git', ['push', ...args], { cwd: repo.dir, env: cleanEnv(env) });
// What the bare remote's ref names, or null.
const remoteRef = (bare: string, repo: TestRepo, ref: string) => {
  try {
    return repo.git('--git-dir', bare, 'rev-parse', '--verify', '-q', ref);
  } catch {
    return null;
  }
};

async function setup(repo: TestRepo, config = NO_BAD): Promise<string> {
  installPushHook(repo);
  repo.config(config);
  return addRemote(repo);
}

describe('the pre-push gate, through a real git push to a local bare remote', () => {
  it('refuses a push that contains an unverified commit, names it with the command that fixes it, and lets a verified push through', () =>
    withGitRepo(async (repo) => {
      const bare = await setup(repo);
      const a = await verifiedCommit(repo, 'a.txt', 'verified');
      const b = await unverifiedCommit(repo, 'b.txt', 'not verified');
      let res = await push(repo, ['origin', 'main']);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('guardloop pre-push: 1 of 2 commits to push to origin unverified');
      expect(res.stderr).toContain(`✗ ${short(b)}  Test User  not verified\n      no record: hooks not installed or not run`);
      expect(res.stderr).toContain(`Push refused. Verify them, then push again:\n  guardloop verify ${short(b)}`);
      expect(res.stderr).not.toContain(`✗ ${short(a)}`);
      expect(remoteRef(bare, repo, 'refs/heads/main')).toBeNull();
      // Only the verified commit: the push goes through.
      res = await push(repo, ['origin', `${a}:refs/heads/main`]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain('guardloop pre-push: 1 commit to push to origin, every one verified.');
      expect(remoteRef(bare, repo, 'refs/heads/main')).toBe(a);
    }));

  it('audits only what is new on the remote; GUARDLOOP=0 lets a push through unaudited and says so', () =>
    withGitRepo(async (repo) => {
      const bare = await setup(repo);
      await verifiedCommit(repo, 'a.txt', 'one');
      const skipped = await unverifiedCommit(repo, 'b.txt', 'pushed unaudited');
      let res = await push(repo, ['-u', 'origin', 'main'], { GUARDLOOP: '0' });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain('guardloop pre-push: not audited because GUARDLOOP=0');
      expect(remoteRef(bare, repo, 'refs/heads/main')).toBe(skipped);
      const c = await verifiedCommit(repo, 'c.txt', 'three');
      res = await push(repo, ['origin', 'main']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain('1 commit to push to origin, every one verified.');
      expect(remoteRef(bare, repo, 'refs/heads/main')).toBe(c);
    }));

  it('a brand-new branch audits the commits on none of the remote refs; deleting a branch passes', () =>
    withGitRepo(async (repo) => {
      const bare = await setup(repo);
      const base = await unverifiedCommit(repo, 'a.txt', 'on main already');
      expect((await push(repo, ['origin', 'main'], { GUARDLOOP: '0' })).code).toBe(0);
      repo.git('checkout', '-q', '-b', 'feature');
      const f1 = await verifiedCommit(repo, 'f.txt', 'feature verified');
      const f2 = await unverifiedCommit(repo, 'g.txt', 'feature unverified');
      let res = await push(repo, ['origin', 'feature']);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('1 of 2 commits to push to origin unverified');
      expect(res.stderr).toContain(`guardloop verify ${short(f2)}`);
      expect(res.stderr).not.toContain(short(base));
      res = await push(repo, ['origin', `${f1}:refs/heads/feature`]);
      expect(res.code, res.stderr).toBe(0);
      expect(remoteRef(bare, repo, 'refs/heads/feature')).toBe(f1);
      // The unverified commit stays local; deleting the remote branch is let through.
      res = await push(repo, ['origin', '--delete', 'feature']);
      expect(res.code, res.stderr).toBe(0);
      expect(remoteRef(bare, repo, 'refs/heads/feature')).toBeNull();
    }));

  it('a tag (lightweight or annotated) audits the new history of the commit it points at', () =>
    withGitRepo(async (repo) => {
      const bare = await setup(repo);
      const a = await verifiedCommit(repo, 'a.txt', 'verified');
      repo.git('tag', 'v1');
      repo.git('tag', '-a', '-m', 'release', 'v1-annotated');
      const b = await unverifiedCommit(repo, 'b.txt', 'unverified');
      repo.git('tag', '-a', '-m', 'bad release', 'v2');
      // HEAD back on the verified commit: what is pushed is the tags' history, not the checkout.
      repo.git('checkout', '-q', '--detach', a);
      let res = await push(repo, ['origin', 'v1', 'v1-annotated']);
      expect(res.code, res.stderr).toBe(0);
      expect(remoteRef(bare, repo, 'refs/tags/v1')).toBe(a);
      res = await push(repo, ['origin', 'v2']);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain(`✗ ${short(b)}  Test User  unverified`);
      expect(res.stderr).toContain(`guardloop verify ${short(b)}`);
      expect(remoteRef(bare, repo, 'refs/tags/v2')).toBeNull();
    }));

  it('sync.onPush pushes ℛ along after the gate passes; a remote that refuses ℛ only warns', () =>
    withGitRepo(async (repo) => {
      const bare = await setup(repo, `${NO_BAD}sync:\n  onPush: true\n`);
      const a = await verifiedCommit(repo, 'a.txt', 'verified');
      let res = await push(repo, ['origin', 'main']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain('guardloop pre-push: ℛ pushed to origin (sync.onPush)');
      // The remote's ℛ holds the record of the pushed commit's tree, and the local ℛ contains the remote's.
      const remoteNotes = remoteRef(bare, repo, 'refs/notes/guardloop');
      expect(remoteNotes).not.toBeNull();
      repo.git('merge-base', '--is-ancestor', remoteNotes!, 'refs/notes/guardloop');
      expect(repo.git('--git-dir', bare, 'notes', '--ref=guardloop', 'show', `${a}^{tree}`)).toContain('"status":"ACCEPTED"');
      expect(remoteRef(bare, repo, 'refs/heads/main')).toBe(a);
      // The remote now refuses notes refs: the branch still goes through, with a warning.
      writeFileSync(join(bare, 'hooks', 'update'), '#!/bin/sh\ncase "$1" in refs/notes/*) echo "no notes here" >&2; exit 1;; esac\nexit 0\n', { mode: 0o755 });
      const b = await verifiedCommit(repo, 'b.txt', 'second');
      res = await push(repo, ['origin', 'main']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain('guardloop pre-push: warning: ℛ was not pushed to origin');
      expect(res.stderr).toContain('Push ℛ with: guardloop sync origin');
      expect(remoteRef(bare, repo, 'refs/heads/main')).toBe(b);
    }));

  it('a push that passes the gate does not make the checked-out commit verified (the pre-push guards must judge what is pushed, not the index)', () =>
    withGitRepo(async (repo) => {
      await setup(repo);
      const a = await verifiedCommit(repo, 'a.txt', 'verified');
      const b = await unverifiedCommit(repo, 'b.txt', 'unverified, checked out');
      const res = await push(repo, ['origin', `${a}:refs/heads/main`]);
      expect(res.code, res.stderr).toBe(0);
      const audit = await repo.cli(['audit', '--json']);
      expect(JSON.parse(audit.stdout).commits.find((c: any) => c.commit === b)).toMatchObject({ verdict: 'unverified' });
    }));

  it('refuses input that is not git\'s pre-push lines, and passes when there is nothing to push', () =>
    withGitRepo(async (repo) => {
      await setup(repo);
      await verifiedCommit(repo, 'a.txt', 'one');
      const bad = await repo.cli(['run', '--hook', 'pre-push', 'origin', 'url'], { input: 'not a push line\n' });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('guardloop pre-push: cannot read git\'s line "not a push line"');
      const none = await repo.cli(['run', '--hook', 'pre-push', 'origin', 'url'], { input: '' });
      expect(none.stderr).toContain('guardloop pre-push: no new commits to push to origin.');
    }));
});
