import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, exec, withGitRepo } from '../helpers/git-repo.js';
import { addRemote, NO_BAD, verifiedCommit } from './helpers.js';

const git = (cwd: string, ...args: string[]) => exec('git', args, { cwd, env: cleanEnv() }).then((r) => r.stdout.trim());

describe('guardloop sync in a fresh clone', () => {
  it('with no ℛ of its own takes the remote\'s as it is: no one-parent merge commit, nothing pushed', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      const bare = addRemote(repo);
      await verifiedCommit(repo, 'a.txt', 'one');
      await verifiedCommit(repo, 'b.txt', 'two');
      repo.git('push', '-q', '--no-verify', 'origin', 'main');
      expect((await repo.cli(['sync'])).code).toBe(0);
      const remoteTip = repo.git('--git-dir', bare, 'rev-parse', 'refs/notes/guardloop');

      const parent = mkdtempSync(join(tmpdir(), 'guardloop-clone-'));
      try {
        const clone = join(parent, 'clone');
        await exec('git', ['clone', '-q', bare, clone], { cwd: parent, env: cleanEnv() });
        expect(await git(clone, 'for-each-ref', 'refs/notes/')).toBe('');
        const res = await exec(process.execPath, [CLI, 'sync', '--json'], { cwd: clone, env: cleanEnv() });
        expect(res.code, res.stderr).toBe(0);
        expect(JSON.parse(res.stdout)).toMatchObject({ remote: 'origin', merged: 2, pushed: false });
        expect(await git(clone, 'rev-parse', 'refs/notes/guardloop')).toBe(remoteTip);
        expect(repo.git('--git-dir', bare, 'rev-parse', 'refs/notes/guardloop')).toBe(remoteTip);
        expect(await git(clone, 'log', '--format=%s', '-1', 'refs/notes/guardloop')).not.toContain('merge');
        const log = await exec(process.execPath, [CLI, 'log', '--json'], { cwd: clone, env: cleanEnv() });
        expect(log.stdout.trim().split('\n')).toHaveLength(2);
        // A second sync finds nothing to do.
        const again = await exec(process.execPath, [CLI, 'sync', '--json'], { cwd: clone, env: cleanEnv() });
        expect(JSON.parse(again.stdout)).toMatchObject({ merged: 0, pushed: false });
        expect(await git(clone, 'rev-parse', 'refs/notes/guardloop')).toBe(remoteTip);
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    }));
});
