import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutRoots } from '../../src/git/checkout.js';
import { cleanEnv, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

const ROUNDS = 20;

// Processes whose command line contains `token` (the guard's own, to prove none outlives the run).
function processesWith(token: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(token)) found.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

function state(repo: TestRepo) {
  return {
    work: repo.read('notes.txt'),
    untracked: repo.read('untracked.txt'),
    staged: repo.git('ls-files', '-s'),
  };
}

// Starts `git commit` in its own process group and sends the whole group `signal` after `delay` ms.
function commitAndKill(repo: TestRepo, signal: NodeJS.Signals, delay: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('git', ['commit', '-q', '-m', 'attempt'], { cwd: repo.dir, env: cleanEnv({ GIT_OPTIONAL_LOCKS: '0' }), detached: true, stdio: 'ignore' });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // The commit finished first.
      }
    }, delay);
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// Processes working in `dir` (git, the hook, guardloop): none may be left once a round is over.
function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) === dir) found.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

async function waitUntil(test: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return test();
}

describe.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('a commit killed with %s at a random moment', (signal) => {
  it(`leaves the work tree, the index and untracked files byte-identical (${ROUNDS} rounds)`, () =>
    withGitRepo(async (repo) => {
      const token = `0.9${Math.floor(Math.random() * 1e6)}`;
      repo.installHook();
      // A check that takes about a second (its processes are found by the token if any outlived the run).
      repo.config(`guards:\n${guardYaml('slow-check', `sleep ${token}; grep -q staged notes.txt`)}`);
      repo.write('notes.txt', 'line 1\nline 2\nline 3\nline 4\nline 5\n');
      repo.git('add', '-A');
      repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'base');
      // A partially staged file, an unstaged hunk, and an untracked file.
      repo.write('notes.txt', 'line 1 staged\nline 2\nline 3\nline 4\nline 5\n');
      repo.git('add', 'notes.txt');
      repo.write('notes.txt', 'line 1 staged\nline 2\nline 3\nline 4\nline 5 unstaged\n');
      repo.write('untracked.txt', 'my untracked work\n');
      // The index is compared entry by entry (mode, object, stage, path): git itself rewrites the
      // index file's stat cache during any \`git commit\` (the cache tree, racily clean entries),
      // hook or no hook. One rejected attempt with a plain failing hook settles that before the snapshot.
      repo.write('.git/reject-hooks/pre-commit', '#!/bin/sh\nexit 1\n');
      chmodSync(join(repo.dir, '.git/reject-hooks/pre-commit'), 0o755);
      spawnSync('git', ['-c', 'core.hooksPath=.git/reject-hooks', 'commit', '-q', '-m', 'warm-up'], { cwd: repo.dir, env: cleanEnv() });
      const before = state(repo);
      const head = repo.git('rev-parse', 'HEAD');
      let committed = 0;
      for (let i = 0; i < ROUNDS; i++) {
        await commitAndKill(repo, signal, Math.floor(Math.random() * 1300));
        // Every process of the guard died with the run, and so did the hook and guardloop itself.
        expect(await waitUntil(() => processesWith(token).length === 0, 3000)).toBe(true);
        expect(await waitUntil(() => processesIn(repo.dir).length === 0, 5000)).toBe(true);
        if (repo.git('rev-parse', 'HEAD') !== head) {
          // The commit won the race: put things back as they were for the next round.
          committed++;
          // A SIGKILL just after git wrote the commit can leave git's own index lock (see below).
          if (signal === 'SIGKILL') rmSync(join(repo.dir, '.git', 'index.lock'), { force: true });
          repo.git('reset', '-q', '--soft', head);
          repo.git('read-tree', head);
          repo.write('notes.txt', 'line 1 staged\nline 2\nline 3\nline 4\nline 5\n');
          repo.git('add', 'notes.txt');
          repo.write('notes.txt', 'line 1 staged\nline 2\nline 3\nline 4\nline 5 unstaged\n');
          continue;
        }
        const after = state(repo);
        expect(after.work).toBe(before.work);
        expect(after.untracked).toBe(before.untracked);
        expect(after.staged).toBe(before.staged);
        expect(existsSync(join(repo.dir, '.git', 'refs', 'notes', 'guardloop.lock'))).toBe(false);
        if (signal === 'SIGKILL') {
          // git itself holds .git/index.lock for the whole commit, hook included, and can't remove it
          // when killed with SIGKILL (true of any \`git commit\`, hooks or not); that lock is git's, not ours.
          rmSync(join(repo.dir, '.git', 'index.lock'), { force: true });
        } else {
          expect(existsSync(join(repo.dir, '.git', 'index.lock'))).toBe(false);
        }
      }
      expect(committed).toBeLessThan(ROUNDS);
      // No manual step needed: the next commit goes through and sweeps leftover checkouts.
      const done = await new Promise<number | null>((resolve) => {
        const child = spawn('git', ['commit', '-q', '-m', 'final'], { cwd: repo.dir, env: cleanEnv(), stdio: 'ignore' });
        child.on('close', resolve);
      });
      expect(done).toBe(0);
      expect(repo.read('notes.txt')).toBe(before.work);
      expect(repo.git('show', 'HEAD:notes.txt')).toBe('line 1 staged\nline 2\nline 3\nline 4\nline 5');
      // Checkouts a killed run left behind are swept by the next run (none of this repository's remain).
      const leftovers = checkoutRoots()
        .filter((root) => existsSync(root))
        .flatMap((root) => readdirSync(root).map((n) => join(root, n, 'owner')))
        .filter((owner) => existsSync(owner) && readFileSync(owner, 'utf8').split('\n')[1] === repo.dir);
      expect(leftovers).toEqual([]);
    }), 180_000);
});

describe('a fix guard interrupted after it staged its fix', () => {
  it('takes the fix back out of the index and the working copy (SIGTERM to guardloop mid-run)', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(`guards:\n${guardYaml('format', "sed -i 's/  */ /g' code.txt", '    fix: true\n')}${guardYaml('slow', 'sleep 5')}`);
      repo.write('code.txt', 'a   b\n');
      repo.git('add', '-A');
      const before = { index: repo.git('ls-files', '-s'), work: repo.read('code.txt') };
      const child = spawn(process.execPath, [join(repo.dir, 'node_modules', '.bin', 'guardloop'), 'run'], { cwd: repo.dir, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b) => (err += b));
      // The fix guard has run (its line is printed) while the slow guard still sleeps.
      expect(await waitUntil(() => err.includes('✓ format'), 10_000)).toBe(true);
      expect(repo.git('ls-files', '-s')).not.toBe(before.index);
      child.kill('SIGTERM');
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(143);
      expect(repo.git('ls-files', '-s')).toBe(before.index);
      expect(repo.read('code.txt')).toBe(before.work);
      expect(err).toContain('interrupted');
    }));
});
