import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { indexStamp } from '../../src/git/candidate.js';
import { readGitConfig } from '../../src/git/config.js';
import { discoverRepo } from '../../src/git/repo.js';
import { worktreeMatchesIndex } from '../../src/git/worktree-match.js';
import { cleanEnv, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

const homes: string[] = [];
afterEach(() => {
  for (const d of homes.splice(0)) rmSync(d, { recursive: true, force: true });
});

// The environment git and the check see: a home of its own (no user gitattributes but the test's).
function env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'gl-home-'));
  homes.push(home);
  return cleanEnv({ HOME: home, XDG_CONFIG_HOME: undefined, ...extra });
}

// The in-process proof, as the run asks it right after reading the index's stamp.
async function proven(repo: TestRepo, e: NodeJS.ProcessEnv): Promise<boolean> {
  const info = await discoverRepo(repo.dir, e);
  const stamp = indexStamp(info, undefined)!;
  const config = await readGitConfig({ cwd: info.root, gitDir: info.gitDir, commonDir: info.commonDir, env: e });
  return worktreeMatchesIndex({ repo: info, workTree: info.root, indexFile: join(info.gitDir, 'index'), stamp, stampNow: () => indexStamp(info, undefined), config, env: e });
}

// git's own answer to the same question (asked as guardloop asks it: git writes no refreshed index).
function gitSaysSame(repo: TestRepo, e: NodeJS.ProcessEnv): boolean {
  return spawnSync('git', ['diff', '--quiet', '--ignore-submodules', '--no-ext-diff'], { cwd: repo.dir, env: { ...e, GIT_OPTIONAL_LOCKS: '0' } }).status === 0;
}

// Checks the proof against git: what it proves, git agrees with; what it doesn't, is left to git.
async function expectProof(repo: TestRepo, e: NodeJS.ProcessEnv, expected: boolean): Promise<void> {
  const ours = await proven(repo, e);
  expect(ours).toBe(expected);
  if (ours) expect(gitSaysSame(repo, e)).toBe(true);
}

const OLD = new Date('2020-01-01T00:00:00Z');

// Files staged with a 2020 mtime: git's recorded stat data alone proves them, the index being newer.
function stage(repo: TestRepo, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    repo.write(path, content);
    utimesSync(join(repo.dir, path), OLD, OLD);
  }
  repo.git('add', '-A');
}

// The index dated to the files' own second, as when a file is staged the second it was written:
// every entry is then racily clean (git compares its content, and so must the proof).
function racy(repo: TestRepo): void {
  utimesSync(join(repo.dir, '.git', 'index'), OLD, OLD);
}

describe('the work tree proven to be what the index holds, without git', () => {
  it('proves a clean work tree by stat data, and racily clean files by content', () =>
    withGitRepo(async (repo) => {
      const e = env();
      stage(repo, { 'a.txt': 'a\n', 'dir/b.txt': 'b\n', 'run.sh': '#!/bin/sh\n' });
      chmodSync(join(repo.dir, 'run.sh'), 0o755);
      repo.git('add', '-A');
      symlinkSync('a.txt', join(repo.dir, 'link'));
      repo.git('add', '-A');
      await expectProof(repo, e, true);
      stage(repo, { 'new.txt': 'new\n' });
      racy(repo);
      await expectProof(repo, e, true);
    }));

  it('leaves every change to git: an edit, a same-size edit with its old mtime, a mode, a deletion, a file under a symlinked folder', () =>
    withGitRepo(async (repo) => {
      const e = env();
      const files = { 'a.txt': 'a\n', 'dir/b.txt': 'b\n', 'c.txt': 'c\n' };
      const reset = () => {
        rmSync(join(repo.dir, 'dir'), { recursive: true, force: true });
        rmSync(join(repo.dir, 'dir2'), { recursive: true, force: true });
        stage(repo, files);
        repo.git('checkout', '--', '.');
      };
      reset();
      await expectProof(repo, e, true);
      writeFileSync(join(repo.dir, 'a.txt'), 'longer\n');
      await expectProof(repo, e, false);
      expect(gitSaysSame(repo, e)).toBe(false);
      reset();
      // (git itself, comparing whole seconds, may call this one clean: its change time is this second's.)
      writeFileSync(join(repo.dir, 'a.txt'), 'z\n');
      utimesSync(join(repo.dir, 'a.txt'), OLD, OLD);
      await expectProof(repo, e, false);
      reset();
      chmodSync(join(repo.dir, 'c.txt'), 0o755);
      await expectProof(repo, e, false);
      expect(gitSaysSame(repo, e)).toBe(false);
      chmodSync(join(repo.dir, 'c.txt'), 0o644);
      reset();
      rmSync(join(repo.dir, 'c.txt'));
      await expectProof(repo, e, false);
      expect(gitSaysSame(repo, e)).toBe(false);
      reset();
      // The same files (same inodes and stat data) reached through a symlinked folder: git sees them deleted.
      renameSync(join(repo.dir, 'dir'), join(repo.dir, 'dir2'));
      symlinkSync('dir2', join(repo.dir, 'dir'));
      await expectProof(repo, e, false);
      expect(gitSaysSame(repo, e)).toBe(false);
    }));

  it('compares racily clean content only where git stores bytes as they are', () =>
    withGitRepo(async (repo) => {
      stage(repo, { 'a.txt': 'a\n' });
      racy(repo);
      await expectProof(repo, env(), true);
      // Attributes anywhere git reads them may convert on the way in: git decides.
      stage(repo, { '.gitattributes': '*.txt text\n' });
      racy(repo);
      await expectProof(repo, env(), false);
      rmSync(join(repo.dir, '.gitattributes'));
      repo.git('add', '-A');
      racy(repo);
      await expectProof(repo, env(), true);
      mkdirSync(join(repo.dir, '.git', 'info'), { recursive: true });
      writeFileSync(join(repo.dir, '.git', 'info', 'attributes'), '* text\n');
      racy(repo);
      await expectProof(repo, env(), false);
      rmSync(join(repo.dir, '.git', 'info', 'attributes'));
      const xdg = mkdtempSync(join(tmpdir(), 'gl-xdg-'));
      homes.push(xdg);
      mkdirSync(join(xdg, 'git'));
      writeFileSync(join(xdg, 'git', 'attributes'), '* text\n');
      racy(repo);
      await expectProof(repo, env({ XDG_CONFIG_HOME: xdg }), false);
      repo.git('config', 'core.autocrlf', 'input');
      racy(repo);
      await expectProof(repo, env(), false);
      repo.git('config', 'core.autocrlf', 'false');
      racy(repo);
      await expectProof(repo, env(), true);
      // Not racily clean, no content is compared: attributes don't matter to the proof.
      stage(repo, { '.gitattributes': '*.txt text\n', 'a.txt': 'a\n' });
      await expectProof(repo, env(), true);
    }));

  it('leaves to git an index replaced since its stamp, intent-to-add and skip-worktree; skips submodules', () =>
    withGitRepo(async (repo) => {
      const e = env();
      stage(repo, { 'a.txt': 'a\n' });
      repo.git('commit', '-q', '--no-verify', '-m', 'a');
      const info = await discoverRepo(repo.dir, e);
      const stamp = indexStamp(info, undefined)!;
      const config = await readGitConfig({ cwd: info.root, gitDir: info.gitDir, commonDir: info.commonDir, env: e });
      const ask = () => worktreeMatchesIndex({ repo: info, workTree: info.root, indexFile: join(info.gitDir, 'index'), stamp, stampNow: () => indexStamp(info, undefined), config, env: e });
      expect(ask()).toBe(true);
      repo.git('read-tree', 'HEAD');
      expect(ask()).toBe(false);
      // read-tree left no stat data: refreshed, the index proves the work tree again.
      repo.git('update-index', '-q', '--refresh');
      await expectProof(repo, e, true);
      // A submodule's entry is skipped (--ignore-submodules), whatever its folder holds.
      repo.git('update-index', '--add', '--cacheinfo', `160000,${repo.git('rev-parse', 'HEAD')},sub`);
      mkdirSync(join(repo.dir, 'sub'));
      await expectProof(repo, e, true);
      repo.write('later.txt', 'later\n');
      repo.git('add', '-N', 'later.txt');
      await expectProof(repo, e, false);
      repo.git('rm', '-q', '--cached', 'later.txt');
      await expectProof(repo, e, true);
      repo.git('update-index', '--skip-worktree', 'a.txt');
      await expectProof(repo, e, false);
    }));

  it('leaves a conflicted index to git', () =>
    withGitRepo(async (repo) => {
      const e = env();
      stage(repo, { 'a.txt': 'base\n' });
      repo.git('commit', '-q', '--no-verify', '-m', 'base');
      repo.git('checkout', '-q', '-b', 'other');
      stage(repo, { 'a.txt': 'other\n' });
      repo.git('commit', '-q', '--no-verify', '-m', 'other');
      repo.git('checkout', '-q', 'main');
      stage(repo, { 'a.txt': 'main\n' });
      repo.git('commit', '-q', '--no-verify', '-m', 'main');
      expect(spawnSync('git', ['merge', '-q', 'other'], { cwd: repo.dir, env: e }).status).not.toBe(0);
      expect(repo.git('ls-files', '--unmerged')).not.toBe('');
      await expectProof(repo, e, false);
    }));
});
