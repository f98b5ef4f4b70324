import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exec, cleanEnv, type TestRepo, withGitRepo } from '../helpers/git-repo.js';
import { addRemote, installPushHook, NO_BAD, unverifiedCommit, verifiedCommit } from './helpers.js';

const push = (repo: TestRepo, args: string[]) => exec('git', ['push', ...args], { cwd: repo.dir, env: cleanEnv() });
const remoteRef = (bare: string, repo: TestRepo, ref: string) => {
  try {
    return repo.git('--git-dir', bare, 'rev-parse', '--verify', '-q', ref);
  } catch {
    return null;
  }
};

describe('the pre-push gate, pushing to a URL', () => {
  it('a URL that is a remote\'s URL counts only what that remote lacks, and sync.onPush pushes ℛ to it', () =>
    withGitRepo(async (repo) => {
      installPushHook(repo);
      repo.config(`${NO_BAD}sync:\n  onPush: true\n`);
      const bare = addRemote(repo);
      // An unverified commit already on the remote (pushed past the gate).
      await unverifiedCommit(repo, 'old.txt', 'old, unverified');
      expect((await exec('git', ['push', '-q', '--no-verify', 'origin', 'main'], { cwd: repo.dir, env: cleanEnv() })).code).toBe(0);
      repo.git('checkout', '-q', '-b', 'feat');
      const f = await verifiedCommit(repo, 'f.txt', 'feature');
      const res = await push(repo, [bare, 'feat']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain(`guardloop pre-push: 1 commit to push to ${bare}, every one verified.`);
      expect(res.stderr).toContain('guardloop pre-push: ℛ pushed to origin (sync.onPush)');
      expect(remoteRef(bare, repo, 'refs/heads/feat')).toBe(f);
      expect(repo.git('--git-dir', bare, 'notes', '--ref=guardloop', 'show', `${f}^{tree}`)).toContain('"status":"ACCEPTED"');
    }));

  it('a URL no remote has: ℛ not pushed, the warning names the git push that does it; guardloop sync <url> says the same', () =>
    withGitRepo(async (repo) => {
      installPushHook(repo);
      repo.config(`${NO_BAD}sync:\n  onPush: true\n`);
      const other = join(repo.dir, '.git', 'other.git');
      repo.git('init', '-q', '--bare', other);
      const a = await verifiedCommit(repo, 'a.txt', 'verified');
      const res = await push(repo, [other, 'main']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain(`ℛ was not pushed to ${other}`);
      expect(res.stderr).toContain(`Push ℛ with: git push ${other} refs/notes/guardloop`);
      expect(remoteRef(other, repo, 'refs/heads/main')).toBe(a);
      expect(remoteRef(other, repo, 'refs/notes/guardloop')).toBeNull();

      const sync = await repo.cli(['sync', other]);
      expect(sync.code).not.toBe(0);
      expect(sync.stderr).toContain(`is a URL, not a remote`);
      expect(sync.stderr).toContain(`git push ${other} refs/notes/guardloop`);
      expect(sync.stderr).not.toMatch(/refspec/i);
      // The command it names works.
      expect((await exec('git', ['push', '-q', '--no-verify', other, 'refs/notes/guardloop'], { cwd: repo.dir, env: cleanEnv() })).code).toBe(0);
      expect(remoteRef(other, repo, 'refs/notes/guardloop')).toBe(repo.git('rev-parse', 'refs/notes/guardloop'));
      // A URL that is a remote's: sync uses that remote.
      repo.git('remote', 'add', 'other', other);
      const named = await repo.cli(['sync', other, '--json']);
      expect(named.code, named.stderr).toBe(0);
      expect(JSON.parse(named.stdout)).toMatchObject({ remote: 'other', pushed: false });
      expect(repo.git('rev-parse', 'refs/notes/remotes/other/guardloop')).toBe(repo.git('rev-parse', 'refs/notes/guardloop'));
    }));

  it('a push that carries refs/notes/guardloop itself is not followed by a second ℛ push', () =>
    withGitRepo(async (repo) => {
      installPushHook(repo);
      repo.config(`${NO_BAD}sync:\n  onPush: true\n`);
      const bare = addRemote(repo);
      const a = await verifiedCommit(repo, 'a.txt', 'verified');
      const res = await push(repo, ['origin', 'main', 'refs/notes/guardloop']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).not.toContain('ℛ pushed to origin (sync.onPush)');
      expect(res.stderr).not.toContain('warning');
      expect(remoteRef(bare, repo, 'refs/heads/main')).toBe(a);
      expect(remoteRef(bare, repo, 'refs/notes/guardloop')).toBe(repo.git('rev-parse', 'refs/notes/guardloop'));
    }));
});
