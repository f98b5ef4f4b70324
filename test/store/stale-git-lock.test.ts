import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RefLockedError } from '../../src/errors/ref-locked-error.js';
import { openRepository } from '../../src/store/repository.js';
import { cleanupRepos, makeRecord, makeRepo, sh } from './helpers.js';

afterAll(cleanupRepos);

// A pid that no process has (a child that has exited and been reaped).
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

// What a writer killed together with its `git update-ref --stdin` child (a process group's SIGKILL)
// leaves: guardloop's writer lock naming the dead writer and the git lock it noted, and git's own
// `<ref>.lock`, which carries no holder.
function leaveKilledWriter(dir: string, opts: { noted: boolean }): { ours: string; git: string } {
  const ours = join(dir, '.git', 'guardloop', 'locks', 'refs', 'notes', 'guardloop.lock');
  const git = join(dir, '.git', 'refs', 'notes', 'guardloop.lock');
  mkdirSync(dirname(ours), { recursive: true });
  mkdirSync(dirname(git), { recursive: true });
  writeFileSync(ours, `guardloop pid=${deadPid()} host=${hostname()} t=${Date.now()}\n`);
  writeFileSync(git, '');
  if (opts.noted) appendFileSync(ours, `git-lock ino=${statSync(git).ino}\n`);
  return { ours, git };
}

async function appendOne(dir: string): Promise<void> {
  const repo = await openRepository({ cwd: dir });
  try {
    await repo.append([makeRecord(sh(dir, ['write-tree']))]);
  } finally {
    await repo.close();
  }
}

function recordCount(dir: string): number {
  const list = sh(dir, ['notes', '--ref=guardloop', 'list']);
  return list ? sh(dir, ['notes', '--ref=guardloop', 'show', list.split(' ')[1]]).split('\n').filter(Boolean).length : 0;
}

describe("git's own ref lock left by a killed writer", () => {
  it('is taken away by the next writer when the dead writer noted it: both locks go, the record is stored', async () => {
    const dir = makeRepo();
    await appendOne(dir);
    const { ours, git } = leaveKilledWriter(dir, { noted: true });
    // Far below the age at which a holder-less lock counts as stale: only the note can free it in time.
    sh(dir, ['config', 'guardloop.locktimeout', '1000']);
    await appendOne(dir);
    expect(existsSync(ours)).toBe(false);
    expect(existsSync(git)).toBe(false);
    expect(recordCount(dir)).toBe(2);
    expect(sh(dir, ['fsck', '--no-progress', '--no-dangling', '--connectivity-only'])).toBe('');
  });

  it('is taken away once older than any ref update git makes, when the writer died before noting it', async () => {
    const dir = makeRepo();
    await appendOne(dir);
    const { git } = leaveKilledWriter(dir, { noted: false });
    const old = new Date(Date.now() - 60_000);
    utimesSync(git, old, old);
    await appendOne(dir);
    expect(existsSync(git)).toBe(false);
    expect(recordCount(dir)).toBe(2);
  });

  it('stays, and the write waits for it, while it is fresh and not the dead writer’s (a native writer holds it)', async () => {
    const dir = makeRepo();
    await appendOne(dir);
    const { git } = leaveKilledWriter(dir, { noted: false });
    // The dead writer's own lock noted another git lock (one that is gone): this one is a native writer's.
    appendFileSync(join(dir, '.git', 'guardloop', 'locks', 'refs', 'notes', 'guardloop.lock'), 'git-lock ino=1\n');
    sh(dir, ['config', 'guardloop.locktimeout', '200']);
    await expect(appendOne(dir)).rejects.toBeInstanceOf(RefLockedError);
    expect(existsSync(git)).toBe(true);
  });
});

describe('records written while ℛ stays locked', () => {
  it('every one waits in the journal, not only the first, and the first write after the lock goes stores them all', async () => {
    const dir = makeRepo();
    await appendOne(dir);
    // A native writer's lock that stays (fresh, no holder): each append times out on it.
    const git = join(dir, '.git', 'refs', 'notes', 'guardloop.lock');
    writeFileSync(git, '');
    sh(dir, ['config', 'guardloop.locktimeout', '200']);
    const tree = sh(dir, ['write-tree']);
    const blocked = [makeRecord(tree), makeRecord(tree), makeRecord(tree)];
    for (const r of blocked) {
      const repo = await openRepository({ cwd: dir });
      await expect(repo.append([r])).rejects.toBeInstanceOf(RefLockedError);
      await repo.close();
    }
    rmSync(git);
    await appendOne(dir);
    const ids = sh(dir, ['notes', '--ref=guardloop', 'show', tree]).split('\n').map((l) => JSON.parse(l).id);
    for (const r of blocked) expect(ids).toContain(r.id);
    expect(ids).toHaveLength(5);
  });
});
