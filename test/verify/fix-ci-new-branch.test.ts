import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, CLI, exec, guardYaml, PROJECT } from '../helpers/git-repo.js';

const ZEROS = '0'.repeat(40);
const env = cleanEnv({ GITHUB_ACTIONS: 'true', CI: 'true' });

function gitIn(cwd: string, ...args: string[]): string {
  const res = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr}`);
  return res.stdout.trim();
}

// A clone as actions/checkout (fetch-depth: 0) makes it for a push of `branch`.
function checkoutAsActions(remote: string, dir: string, branch: string): void {
  mkdirSync(dir);
  gitIn(dir, 'init', '-q');
  gitIn(dir, 'config', 'user.name', 'CI');
  gitIn(dir, 'config', 'user.email', 'ci@example.com');
  gitIn(dir, 'remote', 'add', 'origin', remote);
  gitIn(dir, 'fetch', '-q', '--prune', '--no-recurse-submodules', 'origin', '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*');
  gitIn(dir, 'checkout', '-q', '--force', '-B', branch, `refs/remotes/origin/${branch}`);
  // What `npm ci` gives the job: guardloop in node_modules/.bin.
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(PROJECT, join(dir, 'node_modules', 'guardloop'), 'dir');
  symlinkSync(CLI, join(dir, 'node_modules', '.bin', 'guardloop'));
}

// A bare remote in `base` and a developer's clone of it on `main`, with a config whose guard refuses
// a file holding BAD under src/ (nothing committed yet).
function devClone(base: string): { remote: string; dev: string } {
  const remote = join(base, 'remote.git');
  gitIn(base, 'init', '-q', '--bare', '-b', 'main', remote);
  const dev = join(base, 'dev');
  gitIn(base, 'clone', '-q', remote, dev);
  gitIn(dev, 'config', 'user.name', 'Dev');
  gitIn(dev, 'config', 'user.email', 'dev@example.com');
  gitIn(dev, 'checkout', '-q', '-b', 'main');
  mkdirSync(join(dev, '.loop'));
  writeFileSync(join(dev, '.loop', 'config.yaml'), `guards:\n${guardYaml('no-bad', '! grep -rq BAD src', '    on: [pre-commit]\n')}`);
  return { remote, dev };
}

describe('guardloop ci on the first push of a branch', () => {
  it('a base of all zeros audits the branch commits no other remote ref has (not @{upstream}, which is the tip on a CI checkout)', async () => {
    const base = mkdtempSync(join(tmpdir(), 'guardloop-ci-new-'));
    try {
      const { remote, dev } = devClone(base);
      writeFileSync(join(dev, '.gitignore'), 'node_modules\n');
      mkdirSync(join(dev, 'src'));
      writeFileSync(join(dev, 'src', 'a.txt'), 'fine\n');
      gitIn(dev, 'add', '-A');
      gitIn(dev, 'commit', '-q', '-m', 'on main');
      gitIn(dev, 'push', '-q', 'origin', 'main');
      gitIn(dev, 'checkout', '-q', '-b', 'feat');
      writeFileSync(join(dev, 'src', 'b.txt'), 'BAD\n');
      gitIn(dev, 'add', '-A');
      gitIn(dev, 'commit', '-q', '--no-verify', '-m', 'fails its guard');
      const sha = gitIn(dev, 'rev-parse', 'HEAD');
      gitIn(dev, 'push', '-q', '--no-verify', '-u', 'origin', 'feat');

      const job = join(base, 'job');
      checkoutAsActions(remote, job, 'feat');
      expect(gitIn(job, 'rev-parse', '@{upstream}')).toBe(sha);
      // The recipe's RANGE for this push event: github.event.before (all zeros for a new branch)..github.sha.
      const res = await exec(process.execPath, [CLI, 'ci', `${ZEROS}..${sha}`], { cwd: job, env });
      expect(res.code, res.stdout + res.stderr).toBe(1);
      expect(res.stderr).toContain(`1 commit in ${sha}, not on origin/main`);
      expect(res.stdout).toContain(`${sha.slice(0, 12)} fails its guard — REJECTED`);

      // No range at all, on the same checkout: the upstream is the tip, so the same rule applies.
      const plain = await exec(process.execPath, [CLI, 'ci'], { cwd: job, env });
      expect(plain.code, plain.stdout + plain.stderr).toBe(1);
      expect(plain.stderr).toContain('1 commit in HEAD, not on origin/main');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('with no other remote-tracking ref (the first push of the first branch), the whole branch', async () => {
    const base = mkdtempSync(join(tmpdir(), 'guardloop-ci-new-'));
    try {
      const { remote, dev } = devClone(base);
      mkdirSync(join(dev, 'src'));
      writeFileSync(join(dev, 'src', 'a.txt'), 'BAD\n');
      gitIn(dev, 'add', '-A');
      gitIn(dev, 'commit', '-q', '-m', 'first, failing');
      writeFileSync(join(dev, 'src', 'b.txt'), 'fine\n');
      gitIn(dev, 'add', '-A');
      gitIn(dev, 'commit', '-q', '-m', 'second');
      const sha = gitIn(dev, 'rev-parse', 'HEAD');
      gitIn(dev, 'push', '-q', '--no-verify', 'origin', 'main');
      const job = join(base, 'job');
      checkoutAsActions(remote, job, 'main');
      const res = await exec(process.execPath, [CLI, 'ci', `${ZEROS}..${sha}`], { cwd: job, env });
      expect(res.code, res.stdout + res.stderr).toBe(1);
      expect(res.stderr).toContain(`2 commits in ${sha} (a new branch`);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
