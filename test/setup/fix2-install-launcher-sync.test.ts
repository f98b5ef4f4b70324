import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, exec, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { stopPayload } from '../agents/helpers.js';
import { leanRepo, removeBinary } from './helpers.js';

describe('guardloop install in a husky-mode project', () => {
  it('says husky runs the hooks and leaves core.hooksPath as husky set it (no advice to point it at .loop/hooks)', () =>
    withGitRepo(async (repo) => {
      repo.installPackage({ devDependencies: { husky: '^9.1.7' } });
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      expect((await repo.cli(['init'])).code).toBe(0);
      expect(repo.git('config', 'core.hooksPath')).toBe('.husky/_');
      const res = await repo.cli(['install']);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('this project runs its git hooks through husky (core.hooksPath=.husky/_)');
      expect(res.stdout).not.toContain('git config core.hooksPath .loop/hooks');
      expect(repo.git('config', 'core.hooksPath')).toBe('.husky/_');
      // Before husky ran (a fresh clone before `npm install` ends): still husky's, nothing set.
      repo.git('config', '--unset', 'core.hooksPath');
      const fresh = await repo.cli(['install']);
      expect(fresh.stdout).toContain('this project runs its git hooks through husky,');
      expect(spawnSync('git', ['config', 'core.hooksPath'], { cwd: repo.dir, env: cleanEnv() }).status).toBe(1);
    }));
});

describe('guardloop init where another tool owns the hooks', () => {
  it('.git/hooks with another tool\'s hook: init\'s step gives the chaining advice, not `guardloop install`, and status agrees', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(`guards:\n${guardYaml('no-bad', '! test -e BAD')}`);
      writeFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 0\n');
      chmodSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), 0o755);
      const res = await repo.cli(['init']);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('.git/hooks holds other hooks (pre-commit); core.hooksPath left unset');
      expect(res.stdout).toContain('.loop/hooks/pre-commit');
      const status = await repo.cli(['status', '--json']);
      const problems = JSON.parse(status.stdout).problems as Array<{ route: string; message: string }>;
      expect(problems.map((p) => p.route)).toEqual(['hooks-not-chained', 'hooks-not-chained', 'hooks-not-chained', 'hooks-not-chained']);
      expect(problems.map((p) => p.message).join('\n')).not.toContain('guardloop install`');
    }));
});

// Runs .loop/hooks/agent as an agent runs its stop hook: through a shell, in the project, payload on stdin.
function stop(repo: TestRepo, agent: string, payload: string) {
  return spawnSync('/bin/sh', ['-c', `.loop/hooks/agent run --hook stop --agent ${agent}`], { cwd: repo.dir, env: cleanEnv(), input: payload, encoding: 'utf8' });
}

describe('the agents\' launcher where guardloop is missing', () => {
  it('answers `{}` to a Cursor stop the person aborted (never blocks it, leaves no marker), and still blocks a normal stop once', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      expect((await repo.cli(['init', '--agent', 'cursor'])).code).toBe(0);
      removeBinary(repo.dir);
      const payload = { ...stopPayload('cursor', repo.dir), status: 'aborted' };
      const aborted = stop(repo, 'cursor', JSON.stringify(payload, null, 2));
      expect(aborted.status).toBe(0);
      expect(aborted.stdout).toBe('{}\n');
      expect(aborted.stderr).toContain("The agent's work was let through unchecked.");
      expect(existsSync(join(repo.dir, '.git', 'guardloop', 'hook-errors'))).toBe(false);
      const normal = stop(repo, 'cursor', JSON.stringify({ ...payload, status: 'completed' }));
      expect(JSON.parse(normal.stdout)).toEqual({ followup_message: expect.stringContaining('guardloop is not installed in this worktree') });
      expect(readdirSync(join(repo.dir, '.git', 'guardloop', 'hook-errors'))).toHaveLength(1);
    }));

  it('reads the payload bounded: `timeout 3 cat` where timeout exists, plain cat where it does not (both answer)', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      const launcher = readFileSync(join(repo.dir, '.loop', 'hooks', 'agent'), 'utf8');
      expect(launcher).toContain('if command -v timeout >/dev/null 2>&1; then in=$(timeout 3 cat); else in=$(cat); fi');
      removeBinary(repo.dir);
      const payload = JSON.stringify({ ...stopPayload('claude', repo.dir), session_id: 'bounded-1' });
      const withTimeout = stop(repo, 'claude', payload);
      expect(JSON.parse(withTimeout.stdout).decision).toBe('block');
      // A PATH with sh, git, sed, grep, mkdir but no timeout: the else branch answers the same way.
      const bin = join(repo.dir, '.git', 'bin');
      spawnSync('mkdir', ['-p', bin]);
      for (const tool of ['sh', 'git', 'sed', 'grep', 'mkdir', 'cat']) {
        const where = spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
        spawnSync('ln', ['-s', where, join(bin, tool)]);
      }
      const env = { ...cleanEnv(), PATH: bin };
      const noTimeout = spawnSync('/bin/sh', ['-c', '.loop/hooks/agent run --hook stop --agent claude'], { cwd: repo.dir, env, input: payload.replace('bounded-1', 'bounded-2'), encoding: 'utf8' });
      expect(noTimeout.status, noTimeout.stderr).toBe(0);
      expect(JSON.parse(noTimeout.stdout).decision).toBe('block');

      // An agent that never closes stdin: the launcher answers with what arrived (it would hang unbounded).
      const open = spawn('/bin/sh', ['-c', '.loop/hooks/agent run --hook stop --agent claude'], { cwd: repo.dir, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      open.stdout.on('data', (b) => (out += b));
      open.stdin.write(payload.replace('bounded-1', 'bounded-3'));
      const code = await new Promise<number | null>((resolve) => open.on('close', resolve));
      open.stdin.destroy();
      expect(code).toBe(0);
      expect(JSON.parse(out).decision).toBe('block');
    }));
});

describe('guardloop sync <url> that no remote has', () => {
  it('fails with SYNC_NOT_A_REMOTE (exit 2) naming git push and git remote add, not "failed after 0 tries"; a matching URL prints the remote\'s name', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      const other = join(repo.dir, '.git', 'other.git');
      repo.git('init', '-q', '--bare', other);
      const res = await repo.cli(['sync', other], { env: { GUARDLOOP_JSON_ERRORS: '1' } });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(`git push ${other} refs/notes/guardloop`);
      expect(res.stderr).toContain(`git remote add <name> ${other}`);
      expect(res.stderr).not.toContain('tries');
      const plain = await repo.cli(['sync', other]);
      expect(plain.code).toBe(2);
      expect(plain.stderr).not.toMatch(/failed after|run guardloop sync .* again/);

      const { SyncNotARemoteError } = await import('../../src/errors/sync-not-a-remote-error.js');
      const e = new SyncNotARemoteError(other, 'refs/notes/guardloop');
      expect(e).toMatchObject({ code: 'SYNC_NOT_A_REMOTE', data: { remote: other }, exitCode: 2, name: 'SyncNotARemoteError' });

      repo.git('remote', 'add', 'mirror', other);
      const named = await exec(process.execPath, [join(repo.dir, 'node_modules', '.bin', 'guardloop'), 'sync', other], { cwd: repo.dir, env: cleanEnv() });
      expect(named.code, named.stderr).toBe(0);
      expect(named.stderr).toMatch(/^synced ℛ with mirror: /);
    }));
});
