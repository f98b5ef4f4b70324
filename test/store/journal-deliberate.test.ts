import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { cleanupRepos, makeRecord, makeRepo, sh } from './helpers.js';

afterAll(cleanupRepos);

// ℛ's journal restores records a racing native `git notes` writer dropped; what a person removed on
// purpose stays removed, and nothing but record lines goes back into ℛ.
async function append(dir: string, tree: string): Promise<string> {
  const repo = await openRepository({ cwd: dir });
  const r = makeRecord(tree);
  await repo.append([r]);
  await repo.close();
  return r.id;
}

function idsOn(dir: string, tree: string): string[] {
  const text = execFileSync('git', ['notes', '--ref=guardloop', 'show', tree], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l).id as string);
}

function hasNote(dir: string, tree: string): boolean {
  return execFileSync('git', ['notes', '--ref=guardloop', 'list'], { cwd: dir, encoding: 'utf8' }).includes(` ${tree}`);
}

// A second tree to write to, so a later append doesn't touch the first one's note.
function otherTree(dir: string, n: number): string {
  return sh(dir, ['mktree'], `100644 blob ${sh(dir, ['hash-object', '-w', '--stdin'], `other ${n}\n`)}\tf${n}\n`);
}

describe('journal replay', () => {
  it('a note removed with `git notes remove` well after it was written stays removed', async () => {
    const dir = makeRepo();
    const tree = sh(dir, ['write-tree']);
    await append(dir, tree);
    // The native commit comes two minutes after guardloop's: no read it built on could predate the record.
    const later = `${Math.floor(Date.now() / 1000) + 120} +0000`;
    execFileSync('git', ['notes', '--ref=guardloop', 'remove', tree], { cwd: dir, env: { ...process.env, GIT_COMMITTER_DATE: later } });
    await append(dir, otherTree(dir, 1));
    expect(hasNote(dir, tree)).toBe(false);
    expect(readdirSync(join(dir, '.git', 'guardloop', 'journal', 'stored')).length).toBe(1);
  });

  it('a note a native writer dropped right after guardloop wrote it is restored', async () => {
    const dir = makeRepo();
    const tree = sh(dir, ['write-tree']);
    const id = await append(dir, tree);
    // A native writer that read the tree before guardloop's commit drops the record (same second).
    execFileSync('git', ['notes', '--ref=guardloop', 'remove', tree], { cwd: dir });
    await append(dir, otherTree(dir, 1));
    expect(idsOn(dir, tree)).toEqual([id]);
  });

  it('a deleted ref stays deleted: the next write stores only its own record', async () => {
    const dir = makeRepo();
    const tree = sh(dir, ['write-tree']);
    await append(dir, tree);
    sh(dir, ['update-ref', '-d', 'refs/notes/guardloop']);
    const reader = await openRepository({ cwd: dir });
    expect(await reader.log()).toEqual([]);
    await reader.close();
    const other = otherTree(dir, 2);
    await append(dir, other);
    expect(hasNote(dir, tree)).toBe(false);
    expect(hasNote(dir, other)).toBe(true);
  });

  it('a journal line that is not a record is never written into ℛ', async () => {
    const dir = makeRepo();
    const tree = sh(dir, ['write-tree']);
    const id = await append(dir, tree);
    // Drop guardloop's commit the way a racing writer would, and add garbage to its journal file.
    sh(dir, ['update-ref', 'refs/notes/guardloop', 'refs/notes/guardloop~0']);
    execFileSync('git', ['notes', '--ref=guardloop', 'remove', tree], { cwd: dir });
    const storedDir = join(dir, '.git', 'guardloop', 'journal', 'stored');
    const file = readdirSync(storedDir)[0];
    appendFileSync(join(storedDir, file), `${tree} x {"v":1,"id":"x"\n`);
    await append(dir, otherTree(dir, 3));
    expect(idsOn(dir, tree)).toEqual([id]);
  });
});
