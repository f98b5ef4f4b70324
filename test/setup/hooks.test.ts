import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, CLI, exec, notesOf, withGitRepo } from '../helpers/git-repo.js';
import { addWorktree, fakeBinary, gitIn, leanRepo, removeBinary } from './helpers.js';

const NOT_INSTALLED = 'guardloop is not installed in this worktree';
const cli = (cwd: string, args: string[], env: Record<string, string | undefined> = {}) => exec(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env) });

describe('lean hooks in a new worktree', () => {
  it('a `git worktree add` worktree runs the guards with no manual step, finding guardloop in the main worktree', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      const wt = addWorktree(repo);
      try {
        expect(existsSync(join(wt.dir, 'node_modules'))).toBe(false);
        writeFileSync(join(wt.dir, 'BAD'), 'x\n');
        await gitIn(wt.dir, ['add', 'BAD']);
        const blocked = await gitIn(wt.dir, ['commit', '-m', 'bad']);
        expect(blocked.code).not.toBe(0);
        expect(blocked.stderr).toContain('✗ no-bad');
        expect(blocked.stderr).toContain('REJECTED');
        expect((await gitIn(wt.dir, ['log', '--format=%s', '-1'])).stdout.trim()).toBe('init');

        await gitIn(wt.dir, ['rm', '-q', '--cached', 'BAD']);
        rmSync(join(wt.dir, 'BAD'));
        writeFileSync(join(wt.dir, 'good.txt'), 'ok\n');
        await gitIn(wt.dir, ['add', 'good.txt']);
        const ok = await gitIn(wt.dir, ['commit', '-m', 'good']);
        expect(ok.code, ok.stderr).toBe(0);
        expect(ok.stderr).toContain('✓ no-bad');
        const tree = (await gitIn(wt.dir, ['rev-parse', 'HEAD^{tree}'])).stdout.trim();
        expect(notesOf(repo, tree).map((r) => r.status)).toEqual(['ACCEPTED']);

        const status = await cli(wt.dir, ['status', '--json']);
        expect(status.code, status.stdout).toBe(0);
        expect(JSON.parse(status.stdout).git.binary).toEqual({ path: join(repo.dir, 'node_modules', '.bin', 'guardloop'), where: 'main' });
      } finally {
        wt.done();
      }
    }));
});

describe('hooks where guardloop is not installed', () => {
  it('pre-commit stops the commit with the install command; GUARDLOOP=0 lets it through; post-commit says a --no-verify commit is unverified', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      removeBinary(repo.dir);
      repo.write('a.txt', 'a\n');
      repo.git('add', 'a.txt');
      const res = await repo.commit('no binary');
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(NOT_INSTALLED);
      expect(res.stderr).toContain('run `npm install`');
      expect(repo.git('log', '--format=%s', '-1')).toBe('init');

      const off = await repo.commit('skipped on purpose', [], { GUARDLOOP: '0' });
      expect(off.code, off.stderr).toBe(0);
      expect(off.stderr).not.toContain(NOT_INSTALLED);
      expect(repo.git('log', '--format=%s', '-1')).toBe('skipped on purpose');

      repo.write('b.txt', 'b\n');
      repo.git('add', 'b.txt');
      const noVerify = await repo.commit('no verify', ['--no-verify']);
      expect(noVerify.code).toBe(0);
      const sha = repo.git('rev-parse', 'HEAD');
      expect(noVerify.stderr).toContain(`so commit ${sha} is unverified: run \`npm install\`, then \`guardloop verify ${sha}\``);
    }));

  it('pre-push stops the push with the install command', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      removeBinary(repo.dir);
      const remote = mkdtempSync(join(tmpdir(), 'guardloop-remote-'));
      try {
        repo.git('init', '-q', '--bare', remote);
        repo.git('remote', 'add', 'origin', remote);
        const push = await exec('git', ['push', 'origin', 'main'], { cwd: repo.dir, env: cleanEnv() });
        expect(push.code).not.toBe(0);
        expect(push.stderr).toContain(`${NOT_INSTALLED}, so the push was stopped unchecked: run \`npm install\``);
        const off = await exec('git', ['push', 'origin', 'main'], { cwd: repo.dir, env: cleanEnv({ GUARDLOOP: '0' }) });
        expect(off.code, off.stderr).toBe(0);
      } finally {
        rmSync(remote, { recursive: true, force: true });
      }
    }));
});

describe('the hook scripts start guardloop with what git gives them', () => {
  it('post-commit: a marker holding the new tree is removed without starting guardloop; otherwise guardloop runs the post-commit check', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      const mark = join(repo.dir, '.git', 'started');
      fakeBinary(repo.dir, mark);
      repo.write('a.txt', 'a\n');
      repo.git('add', 'a.txt');
      const marker = join(repo.dir, '.git', 'guardloop', 'accepted-tree');
      repo.write('.git/guardloop/accepted-tree', `${repo.git('write-tree')}\n`);
      const res = await repo.commit('checked', ['--no-verify']);
      expect(res.code, res.stderr).toBe(0);
      expect(existsSync(mark)).toBe(false);
      expect(existsSync(marker)).toBe(false);

      // A marker for another tree: guardloop is started (and the commit still succeeds).
      repo.write('b.txt', 'b\n');
      repo.git('add', 'b.txt');
      repo.write('.git/guardloop/accepted-tree', `${'0'.repeat(40)}\n`);
      const other = await repo.commit('unchecked', ['--no-verify']);
      expect(other.code).toBe(0);
      expect(readFileSync(mark, 'utf8').split('\n')[0]).toBe('run --hook post-commit');
    }));

  it('pre-push: passes git\'s arguments and its ref lines on stdin through to guardloop', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      const mark = join(repo.dir, '.git', 'started');
      fakeBinary(repo.dir, mark);
      const remote = mkdtempSync(join(tmpdir(), 'guardloop-remote-'));
      try {
        repo.git('init', '-q', '--bare', remote);
        repo.git('remote', 'add', 'origin', remote);
        const push = await exec('git', ['push', 'origin', 'main'], { cwd: repo.dir, env: cleanEnv() });
        expect(push.code, push.stderr).toBe(0);
        const [args, line] = readFileSync(mark, 'utf8').split('\n');
        expect(args).toBe(`run --hook pre-push origin ${remote}`);
        expect(line).toBe(`refs/heads/main ${repo.git('rev-parse', 'HEAD')} refs/heads/main ${'0'.repeat(40)}`);
      } finally {
        rmSync(remote, { recursive: true, force: true });
      }
    }));
});

describe('guardloop install', () => {
  it('sets core.hooksPath when unset, is idempotent, and leaves another tool\'s hooks, GUARDLOOP=0 and a folder outside git alone (exit 0 each time)', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      repo.git('config', '--unset', 'core.hooksPath');
      const off = await repo.cli(['install'], { env: { GUARDLOOP: '0' } });
      expect(off).toMatchObject({ code: 0 });
      expect(off.stdout).toContain('GUARDLOOP=0');
      expect(() => repo.git('config', 'core.hooksPath')).toThrow();

      const set = await repo.cli(['install']);
      expect(set.code).toBe(0);
      expect(set.stdout).toContain('git config core.hooksPath .loop/hooks');
      expect(repo.git('config', 'core.hooksPath')).toBe('.loop/hooks');
      const again = await repo.cli(['install']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('already .loop/hooks; nothing to change');

      repo.git('config', 'core.hooksPath', '.githooks');
      const other = await repo.cli(['install']);
      expect(other.code).toBe(0);
      expect(other.stdout.trim().split('\n')).toHaveLength(1);
      expect(other.stdout).toContain("core.hooksPath is .githooks (another tool's hooks), left as it is. To chain guardloop, call .loop/hooks/pre-commit");
      expect(repo.git('config', 'core.hooksPath')).toBe('.githooks');

      // Another tool's hooks in git's own folder would stop running: left unset.
      repo.git('config', '--unset', 'core.hooksPath');
      repo.write('.git/hooks/pre-commit', '#!/bin/sh\nexit 0\n');
      const hooks = await repo.cli(['install']);
      expect(hooks.code).toBe(0);
      expect(hooks.stdout).toContain('.git/hooks holds other hooks (pre-commit)');
      expect(() => repo.git('config', 'core.hooksPath')).toThrow();

      const outside = mkdtempSync(join(tmpdir(), 'guardloop-nogit-'));
      try {
        const none = await cli(outside, ['install'], { GIT_CEILING_DIRECTORIES: tmpdir() });
        expect(none.code).toBe(0);
        expect(none.stdout).toContain('not in a git repository; nothing to do');
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    }));

  it('the prepare script sets core.hooksPath in a fresh clone, and a commit there runs the guards', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      const parent = mkdtempSync(join(tmpdir(), 'guardloop-clone-'));
      const clone = join(parent, 'clone');
      try {
        repo.git('clone', '-q', repo.dir, clone);
        expect((await gitIn(clone, ['config', 'core.hooksPath'])).code).toBe(1);
        // What `npm install` leaves: the package and its bin link (installPackage's layout).
        mkdirSync(join(clone, 'node_modules', '.bin'), { recursive: true });
        symlinkSync(CLI, join(clone, 'node_modules', '.bin', 'guardloop'));
        const prepare = await exec('npm', ['run', '--silent', 'prepare'], { cwd: clone, env: cleanEnv() });
        expect(prepare.code, prepare.stderr).toBe(0);
        expect((await gitIn(clone, ['config', 'core.hooksPath'])).stdout.trim()).toBe('.loop/hooks');
        writeFileSync(join(clone, 'BAD'), 'x\n');
        await gitIn(clone, ['add', 'BAD']);
        const blocked = await gitIn(clone, ['commit', '-m', 'bad']);
        expect(blocked.code).not.toBe(0);
        expect(blocked.stderr).toContain('✗ no-bad');
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    }));
});
