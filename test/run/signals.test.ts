import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutRoots } from '../../src/git/checkout.js';
import { cleanEnv, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { processesIn, waitUntil } from '../helpers/processes.js';

const ROUNDS = 20;

// Processes of the test's guard (their command line or environment holds `token`: the guard's id is
// in every guard process's GUARDLOOP_GUARD), to prove none outlives the run. Zombies don't count.
function processesWith(token: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(token) || readFileSync(`/proc/${name}/environ`, 'utf8').includes(token)) found.push(Number(name));
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

function state(repo: TestRepo) {
  return {
    work: repo.read('notes.txt'),
    round: repo.read('round.txt'),
    untracked: repo.read('untracked.txt'),
    staged: repo.git('ls-files', '-s'),
  };
}

// Live processes (not zombies) of process group `pgid`.
function processGroup(pgid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && Number(fields[2]) === pgid) found.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

// `git commit` in its own process group (the hook, guardloop and the guard are in it too).
function startCommit(repo: TestRepo) {
  const child = spawn('git', ['commit', '-q', '-m', 'attempt'], { cwd: repo.dir, env: cleanEnv({ GIT_OPTIONAL_LOCKS: '0' }), detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b) => (stderr += b));
  let done = false;
  // On git's exit, not on its output's close: a hook that outlives git (see the SIGINT note below) holds that open.
  const closed = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      done = true;
      resolve(code);
    }),
  );
  return {
    closed,
    done: () => done,
    // What git, the hook and guardloop said (for failure messages).
    stderr: () => stderr,
    // Live processes still in the commit's process group.
    group: () => processGroup(child.pid!),
    kill(signal: NodeJS.Signals) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // The commit finished first.
      }
    },
  };
}

const NOTES_LOCK = 'guardloop/locks/refs/notes/guardloop.lock';
// git's own lock on ℛ's ref: held by guardloop's `git update-ref --stdin` child while a record is written.
const GIT_NOTES_LOCK = 'refs/notes/guardloop.lock';
// git's own locks during a commit (the index, HEAD and the branch).
const GIT_LOCKS = ['index.lock', 'HEAD.lock', 'refs/heads/main.lock'];

// Every `*.lock` file under .git, relative to it.
function locksIn(repo: TestRepo): string[] {
  const git = join(repo.dir, '.git');
  return (readdirSync(git, { recursive: true }) as string[]).filter((p) => p.endsWith('.lock')).sort();
}

// Whether process `pid` runs (a zombie doesn't).
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

// Whether a guardloop lock file names a holder (`guardloop pid=N host=H`) that no longer runs.
function deadHolder(lockPath: string): boolean {
  let content: string;
  try {
    content = readFileSync(lockPath, 'utf8');
  } catch {
    return true;
  }
  const m = /^guardloop pid=(\d+) host=(\S+)/.exec(content);
  return m !== null && m[2] === hostname() && !alive(Number(m[1]));
}

// What a failure message says about processes that should be gone: command line and state.
function describeProcesses(pids: number[]): string {
  return pids
    .map((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return `${pid} [${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()}] ${stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 12)}`;
      } catch {
        return `${pid} (gone)`;
      }
    })
    .join('; ');
}

// Each round's kill moment: (a) a random moment before the guard started (or the moment it starts),
// (b) while the guard runs (it waits for a release that never comes), (c) a random moment just after
// the guard was released (the commit may win that race). In random order, each kind several times.
type Phase = 'before-guard' | 'guard-running' | 'after-release';
function phases(): Phase[] {
  const list = Array.from({ length: ROUNDS }, (_, i): Phase => (['before-guard', 'guard-running', 'after-release'] as const)[i % 3]);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

describe.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('a commit killed with %s at a random moment', (signal) => {
  it(`leaves the work tree, the index and untracked files byte-identical (${ROUNDS} rounds)`, () =>
    withGitRepo(async (repo) => {
      const token = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
      // Where the guard says it started and waits to be let go: outside the repository and the checkout.
      const marks = mkdtempSync(join(tmpdir(), 'guardloop-signals-'));
      try {
        repo.installHook();
        // No `git maintenance run --auto` after each commit that wins (its lock is git's business, not this test's).
        repo.git('config', 'maintenance.auto', 'false');
        // The guard reads the round's id from the candidate, says it started, then waits for the test to
        // release it. Its processes are found by the token (in its id, hence its environment, and its sleeps).
        const guard = `r=$(cat round.txt); touch ${marks}/started.$r; while [ ! -e ${marks}/release.$r ]; do sleep 0.0${token}; done; grep -q staged notes.txt`;
        repo.config(`guards:\n${guardYaml(`slow-check-${token}`, guard)}`);
        repo.write('notes.txt', 'line 1\nline 2\nline 3\nline 4\nline 5\n');
        repo.write('round.txt', 'base\n');
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
        const initial = state(repo);
        const head = repo.git('rev-parse', 'HEAD');
        // How long the guard took to start in the last round that waited for it: (a)'s kill moments are drawn below that.
        let toGuard = 200;
        for (const [i, phase] of phases().entries()) {
          // A staged file unique to the round: every candidate tree is new, so no round is a cache hit.
          const round = `${i}-${Math.random().toString(36).slice(2, 10)}`;
          repo.write('round.txt', `${round}\n`);
          repo.git('add', 'round.txt');
          const before = state(repo);
          const started = join(marks, `started.${round}`);
          const commit = startCommit(repo);
          const t0 = Date.now();
          if (phase === 'before-guard') {
            await waitUntil(() => existsSync(started), Math.floor(Math.random() * toGuard));
          } else {
            await waitUntil(() => existsSync(started) || commit.done(), 30_000);
            expect(existsSync(started), `round ${i} (${phase}): the guard never started: ${commit.stderr()}`).toBe(true);
            toGuard = Date.now() - t0;
            if (phase === 'after-release') writeFileSync(join(marks, `release.${round}`), '');
            await waitUntil(() => commit.done(), Math.floor(Math.random() * (phase === 'after-release' ? 300 : 100)));
          }
          const guardRan = existsSync(started);
          commit.kill(signal);
          const code = await commit.closed;
          // A SIGINT that reaches the hook's shell (dash, running husky's script) while it forks is held until
          // the child it forks ends, and that child, guardloop, never sees it: git dies, guardloop runs on
          // unaware and its guard waits here for ever. That is the shell's doing (any `sh script` whose child
          // is forked as Ctrl-C lands does it; SIGTERM and SIGKILL aren't held). When a run shows it escaped so
          // (its guard started after the signal, in a group git has left), SIGINT is sent again, as a person
          // would press Ctrl-C again.
          if (signal === 'SIGINT' && !guardRan) {
            await waitUntil(() => commit.group().length === 0 || existsSync(started), 30_000);
            if (commit.group().length) commit.kill(signal);
          }
          // Every process of the guard died with the run, and so did the hook and guardloop itself.
          expect(await waitUntil(() => processesWith(token).length === 0, 30_000), `round ${i} (${phase}): guard processes left: ${describeProcesses(processesWith(token))}`).toBe(true);
          expect(await waitUntil(() => processesIn(repo.dir).length === 0, 30_000), `round ${i} (${phase}): processes left in the repository: ${describeProcesses(processesIn(repo.dir))}`).toBe(true);
          const won = repo.git('rev-parse', 'HEAD') !== head;
          // Only a released guard can let the commit through.
          if (phase !== 'after-release') {
            expect(won, `round ${i} (${phase}) committed`).toBe(false);
            expect(code).not.toBe(0);
          }
          // guardloop's locks: none after SIGINT or SIGTERM. After a SIGKILL, ℛ's lock if guardloop was writing
          // a record (a released guard's verdict, or one an earlier killed run journaled and this run restores
          // before its guards): its holder is then dead, and the next writer takes it away by itself (the
          // final commit below shows it); and the lock of a killed run's private index copy (named after its
          // dead owner, swept by the next run).
          // git's own locks are git's business, removed here as git tells you to: it holds .git/index.lock
          // for the whole commit, hook included, and the branch's and HEAD's while it moves them, and can't
          // remove them when killed with SIGKILL, hook or not; now and then it leaves one on SIGINT or
          // SIGTERM too, when the signal lands just as it takes it (seen: HEAD.lock).
          for (const lock of locksIn(repo)) {
            if (lock === NOTES_LOCK) {
              expect(signal, `round ${i} (${phase}) left ℛ's lock`).toBe('SIGKILL');
              expect(deadHolder(join(repo.dir, '.git', lock)), `round ${i}: ℛ's lock is held by a live process`).toBe(true);
            } else if (lock === GIT_NOTES_LOCK) {
              // Left only when the SIGKILL took guardloop's git child too, mid-write; no one removes it
              // here: the next writer takes it away by itself (the final commit below shows it).
              expect(signal, `round ${i} (${phase}) left git's lock on ℛ`).toBe('SIGKILL');
            } else if (lock.startsWith('guardloop/')) {
              expect(signal, `round ${i} (${phase}) left ${lock}`).toBe('SIGKILL');
              expect(lock.startsWith('guardloop/tmp/') && !alive(Number(/-(\d+)-\d+/.exec(lock)?.[1])), `round ${i}: ${lock} is not a dead run's scratch`).toBe(true);
            } else {
              expect(GIT_LOCKS, `round ${i} (${phase})`).toContain(lock);
              rmSync(join(repo.dir, '.git', lock));
            }
          }
          // Committed or not, the work tree, the index's entries and the untracked file are as they were.
          expect(state(repo)).toEqual(before);
          if (won) {
            // The commit won the race: move HEAD back (the index already holds the round's candidate).
            repo.git('reset', '-q', '--soft', head);
          }
        }
        // No manual step needed: the next commit goes through and sweeps leftover checkouts.
        repo.write('round.txt', 'final\n');
        repo.git('add', 'round.txt');
        writeFileSync(join(marks, 'release.final'), '');
        const final = await repo.commit('final', ['-q']);
        expect(final.code, final.stderr).toBe(0);
        expect(locksIn(repo)).toEqual([]);
        // So did the scratch files (private index copies) of the runs that were killed.
        expect(existsSync(join(repo.dir, '.git', 'guardloop', 'tmp')) ? readdirSync(join(repo.dir, '.git', 'guardloop', 'tmp')) : []).toEqual([]);
        expect(repo.read('notes.txt')).toBe(initial.work);
        expect(repo.read('untracked.txt')).toBe(initial.untracked);
        expect(repo.git('show', 'HEAD:notes.txt')).toBe('line 1 staged\nline 2\nline 3\nline 4\nline 5');
        // Checkouts a killed run left behind are swept by the next run (none of this repository's remain).
        const leftovers = checkoutRoots()
          .filter((root) => existsSync(root))
          .flatMap((root) => readdirSync(root).map((n) => join(root, n, 'owner')))
          .filter((owner) => existsSync(owner) && readFileSync(owner, 'utf8').split('\n')[1] === repo.dir);
        expect(leftovers).toEqual([]);
      } finally {
        for (const pid of processesWith(token)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Gone.
          }
        }
        rmSync(marks, { recursive: true, force: true });
      }
    }), 300_000);
});

describe('a fix guard interrupted after it made its fix', () => {
  it('leaves the index and the working copy untouched (the fix waits in the private checkout until the verdict; SIGTERM mid-run)', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      // The second guard never ends by itself: the run is still going when it is interrupted.
      const token = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
      repo.config(`guards:\n${guardYaml('format', "sed -i 's/  */ /g' code.txt", '    fix: true\n')}${guardYaml('slow', `sleep 1000.${token}`)}`);
      repo.write('code.txt', 'a   b\n');
      repo.git('add', '-A');
      const before = { index: repo.git('ls-files', '-s'), work: repo.read('code.txt') };
      const child = spawn(process.execPath, [join(repo.dir, 'node_modules', '.bin', 'guardloop'), 'run'], { cwd: repo.dir, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b) => (err += b));
      // The fix guard has run (its line is printed) while the slow guard still sleeps; its fix is staged
      // in guardloop's private checkout only, so the person's index and working copy are still as they were.
      expect(await waitUntil(() => err.includes('✓ format'), 30_000)).toBe(true);
      expect(repo.git('ls-files', '-s')).toBe(before.index);
      expect(repo.read('code.txt')).toBe(before.work);
      child.kill('SIGTERM');
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code).toBe(143);
      expect(repo.git('ls-files', '-s')).toBe(before.index);
      expect(repo.read('code.txt')).toBe(before.work);
      expect(err).toContain('interrupted');
      expect(await waitUntil(() => processesWith(token).length === 0, 30_000)).toBe(true);
    }));
});
