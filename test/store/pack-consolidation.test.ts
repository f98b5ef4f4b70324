import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { geometricRollup } from '../../src/store/pack-geometry.js';
import { openRepository } from '../../src/store/repository.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from './helpers.js';
import { appendBatches, fsckClean, openNoGrace, packDir, packsOnDisk, packStamp, registered, storedIds, unconsolidatedPacks } from './pack-helpers.js';

afterAll(cleanupRepos);

// A user's own history, packed by git, and one loose object of theirs: what consolidation must
// never touch.
function userObjects(dir: string): { pack: string; loose: string } {
  writeFileSync(join(dir, 'a.txt'), 'user content\n');
  sh(dir, ['add', 'a.txt']);
  sh(dir, ['commit', '-q', '-m', 'user commit']);
  sh(dir, ['repack', '-a', '-d', '-q']);
  const [pack] = packsOnDisk(dir);
  const loose = sh(dir, ['hash-object', '-w', '--stdin'], 'a loose object of the user\n');
  return { pack, loose };
}

describe('which packs a consolidation rolls up (git repack --geometric=2, by bytes)', () => {
  const sizes = (xs: number[]) => geometricRollup(xs.map((bytes) => ({ bytes })), 2).map((p) => p.bytes);
  it('a progression stays; the small packs below where it breaks are rolled up, with any larger pack the roll-up would reach', () => {
    expect(sizes([])).toEqual([]);
    expect(sizes([5])).toEqual([]);
    expect(sizes([1, 2, 4, 8])).toEqual([]);
    expect(sizes([8, 1, 4, 2])).toEqual([]);
    expect(sizes([5, 5])).toEqual([5, 5]);
    expect(sizes([1, 1, 4, 8])).toEqual([1, 1]);
    expect(sizes([3, 3, 5, 100])).toEqual([3, 3, 5]);
    // The roll-up of 3+3+5 = 11 would not be twice smaller than 20: that one joins it.
    expect(sizes([3, 3, 5, 20, 100])).toEqual([3, 3, 5, 20]);
  });
});

describe('guardloop registers the packs it writes, and only those', () => {
  it("a write fast-import keeps as a pack and AutoPack's pack are registered; the user's pack is not", async () => {
    const dir = makeRepo();
    const user = userObjects(dir);
    await appendBatches(dir, 'big', 1, 120);
    const afterBig = packsOnDisk(dir).filter((h) => h !== user.pack);
    expect(afterBig).toHaveLength(1);
    expect(registered(dir)).toEqual(new Set(afterBig));
    sh(dir, ['config', 'guardloop.autopack', '1']);
    await appendBatches(dir, 'small', 1, 1);
    const ours = packsOnDisk(dir).filter((h) => h !== user.pack);
    expect(ours).toHaveLength(2);
    expect(registered(dir)).toEqual(new Set(ours));
    expect(registered(dir).has(user.pack)).toBe(false);
  });
});

describe('consolidation', () => {
  it("rolls guardloop's packs into few, never the user's pack or loose objects; what it replaced goes at the next pass after the grace period", async () => {
    const dir = makeRepo();
    const user = userObjects(dir);
    const userStamp = packStamp(dir, user.pack);
    const ids = await unconsolidatedPacks(dir, 'r', 6);
    expect(packsOnDisk(dir)).toHaveLength(7);
    const repo = await openNoGrace(dir);
    const first = await repo.packs.consolidate();
    expect(first.rolled.length).toBeGreaterThanOrEqual(2);
    expect(first.into).toMatch(/^[0-9a-f]{40}$/);
    expect(first.background).toBe(false);
    // The rolled-up packs are still there until the next pass (their grace period), then deleted.
    for (const h of first.rolled) expect(packsOnDisk(dir)).toContain(h);
    const second = await repo.packs.consolidate();
    expect(second.deleted.sort()).toEqual([...first.rolled].sort());
    for (const h of first.rolled) expect(packsOnDisk(dir)).not.toContain(h);
    await repo.close();
    // The user's pack is as it was, their loose object still loose, every pack left is theirs or registered.
    expect(packStamp(dir, user.pack)).toBe(userStamp);
    expect(existsSync(join(dir, '.git', 'objects', user.loose.slice(0, 2), user.loose.slice(2)))).toBe(true);
    for (const h of packsOnDisk(dir)) expect(h === user.pack || registered(dir).has(h)).toBe(true);
    expect(packsOnDisk(dir).length).toBeLessThanOrEqual(4);
    expect(storedIds(dir)).toEqual(new Set(ids));
    expect(fsckClean(dir)).toBe('');
  });

  it('after every write: 64 writes that each leave a pack end with a handful of packs, not 64', async () => {
    const dir = makeRepo();
    sh(dir, ['config', 'guardloop.autopack', '1']);
    const repo = await openNoGrace(dir);
    const ids: string[] = [];
    let most = 0;
    for (let i = 0; i < 64; i++) {
      const record = makeRecord(fakeOid(`w-${i}`));
      expect((await repo.append([record])).warnings).toEqual([]);
      ids.push(record.id);
      most = Math.max(most, packsOnDisk(dir).length);
    }
    await repo.close();
    // Geometric: at most about log2(64) = 6 live packs, plus a roll-up's inputs until the next write deletes them.
    expect(most).toBeLessThanOrEqual(8);
    expect(packsOnDisk(dir).length).toBeLessThanOrEqual(7);
    expect(registered(dir).size).toBeGreaterThan(64);
    expect(storedIds(dir)).toEqual(new Set(ids));
    expect(fsckClean(dir)).toBe('');
  });

  it('with the default grace period, a write soon after a roll-up deletes nothing', async () => {
    const dir = makeRepo();
    await unconsolidatedPacks(dir, 'g', 3);
    const repo = await openRepository({ cwd: dir });
    const done = await repo.packs.consolidate();
    expect(done.into).not.toBeNull();
    await repo.append([makeRecord(fakeOid('soon'))]);
    expect((await repo.packs.consolidate()).deleted).toEqual([]);
    for (const h of done.rolled) expect(packsOnDisk(dir)).toContain(h);
    await repo.close();
    expect(readFileSync(join(dir, '.git', 'guardloop', 'packs.superseded'), 'utf8').trim().split('\n')).toHaveLength(done.rolled.length);
  });

  it('leaves a kept pack (.keep) alone, and does nothing in a repository with a multi-pack index', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'k', 3);
    const [kept] = packsOnDisk(dir);
    writeFileSync(join(packDir(dir), `pack-${kept}.keep`), 'mine\n');
    const keptStamp = packStamp(dir, kept);
    const repo = await openNoGrace(dir);
    const done = await repo.packs.consolidate();
    expect(done.rolled).toHaveLength(2);
    expect(done.rolled).not.toContain(kept);
    await repo.packs.consolidate();
    expect(packsOnDisk(dir)).toContain(kept);
    expect(packStamp(dir, kept)).toBe(keptStamp);

    const midx = makeRepo();
    await unconsolidatedPacks(midx, 'm', 3);
    sh(midx, ['multi-pack-index', 'write']);
    const before = packsOnDisk(midx).sort();
    const other = await openNoGrace(midx);
    expect((await other.packs.consolidate()).rolled).toEqual([]);
    expect(packsOnDisk(midx).sort()).toEqual(before);
    await other.close();
    await repo.close();
    expect(storedIds(dir)).toEqual(new Set(ids));
  });

  it('keeps a superseded pack whose copy is gone (the pack it went into deleted by someone else): it is a live pack again', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'c', 2);
    const repo = await openNoGrace(dir);
    const done = await repo.packs.consolidate();
    expect(done.rolled).toHaveLength(2);
    // As if something else (a user's `git repack -a -d`) had taken the new pack away after copying it.
    execFileSync('sh', ['-c', `rm -f pack-${done.into}.*`], { cwd: packDir(dir) });
    const next = await repo.packs.consolidate();
    expect(next.deleted).toEqual([]);
    for (const h of done.rolled) expect(packsOnDisk(dir)).toContain(h);
    // Live again: the next roll-up takes them.
    expect([...next.rolled].sort()).toEqual([...done.rolled].sort());
    await repo.close();
    expect(storedIds(dir)).toEqual(new Set(ids));
    expect(fsckClean(dir)).toBe('');
  });

  it('guardloop.autopack 0 turns it off', async () => {
    const dir = makeRepo();
    await unconsolidatedPacks(dir, 'off', 3);
    sh(dir, ['config', 'guardloop.autopack', '0']);
    const repo = await openNoGrace(dir);
    await repo.append(Array.from({ length: 120 }, (_, i) => makeRecord(fakeOid(`off2-${i}`))));
    expect(packsOnDisk(dir)).toHaveLength(4);
    await repo.close();
  });
});

describe('consolidation in other repository layouts', () => {
  it('SHA-256: 64-hex pack names registered and rolled up, records intact, fsck clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gl-packs-sha256-'));
    sh(dir, ['init', '-q', '--object-format=sha256', '-b', 'main']);
    for (const [k, v] of [['user.name', 'T'], ['user.email', 't@example.com'], ['gc.auto', '0']]) sh(dir, ['config', k, v]);
    try {
      const ids = await unconsolidatedPacks(dir, 's', 3, 64);
      const ours = packsOnDisk(dir);
      expect(ours.every((h) => h.length === 64)).toBe(true);
      expect(registered(dir)).toEqual(new Set(ours));
      const repo = await openNoGrace(dir);
      const done = await repo.packs.consolidate();
      expect(done.into).toMatch(/^[0-9a-f]{64}$/);
      await repo.packs.consolidate();
      await repo.close();
      expect(packsOnDisk(dir).length).toBeLessThan(ours.length);
      expect(storedIds(dir)).toEqual(new Set(ids));
      expect(fsckClean(dir)).toBe('');
    } finally {
      execFileSync('rm', ['-rf', dir]);
    }
  });

  it('a linked worktree: its writes register in the common git dir, and it consolidates the shared object store', async () => {
    const dir = makeRepo();
    sh(dir, ['commit', '-q', '--allow-empty', '-m', 'start']);
    const wt = `${dir}-wt`;
    sh(dir, ['worktree', 'add', '-q', wt]);
    try {
      sh(wt, ['config', 'guardloop.autopack', '0']);
      const ids = await appendBatches(wt, 'wt', 3, 120);
      sh(wt, ['config', '--unset', 'guardloop.autopack']);
      expect(registered(dir)).toEqual(new Set(packsOnDisk(dir)));
      expect(existsSync(join(dir, '.git', 'worktrees', 'wt', 'guardloop', 'packs'))).toBe(false);
      const repo = await openNoGrace(wt);
      expect((await repo.packs.consolidate()).into).not.toBeNull();
      await repo.packs.consolidate();
      await repo.close();
      expect(packsOnDisk(dir).length).toBeLessThan(3);
      expect(storedIds(dir)).toEqual(new Set(ids));
      expect(fsckClean(dir)).toBe('');
    } finally {
      execFileSync('rm', ['-rf', wt]);
    }
  });
});

describe('the registry of guardloop packs', () => {
  it('past 256 KiB, the lines of packs that are gone are dropped and every pack still there stays registered (also after a compaction that was killed halfway)', async () => {
    const dir = makeRepo();
    await unconsolidatedPacks(dir, 'reg', 2);
    expect(packsOnDisk(dir)).toHaveLength(2);
    const file = join(dir, '.git', 'guardloop', 'packs');
    const gone = Array.from({ length: 4000 }, (_, i) => `${packDir(dir)}/pack-${fakeOid(`gone-${i}`)}.pack: ${fakeOid(i)}\n`).join('');
    writeFileSync(file, gone + readFileSync(file, 'utf8'));
    const repo = await openNoGrace(dir);
    await repo.packs.consolidate();
    expect(readFileSync(file, 'utf8').length).toBeLessThan(2000);
    const afterFirst = new Set(packsOnDisk(dir));
    for (const h of afterFirst) expect(registered(dir).has(h)).toBe(true);
    // A compaction killed after moving the registry aside: the next pass folds it back in.
    execFileSync('mv', [file, `${file}.compact`]);
    await repo.packs.consolidate();
    expect(existsSync(`${file}.compact`)).toBe(false);
    for (const h of packsOnDisk(dir)) expect(registered(dir).has(h)).toBe(true);
    await repo.close();
  });
});
