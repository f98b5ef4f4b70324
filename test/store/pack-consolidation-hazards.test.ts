import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from './helpers.js';
import { fsckClean, openNoGrace, packDir, packsOnDisk, registered, storedIds, unconsolidatedPacks } from './pack-helpers.js';

// What can go wrong around a consolidation that isn't a race: a registry fast-import can't open, a
// pack a roll-up relied on that goes away, a roll-up that finds nothing to copy, a full disk, a
// superseded list that names a pack guardloop didn't write. A `git` first on PATH runs the real git,
// but while the marker file exists a roll-up's `pack-objects --stdin-packs` runs with a 512-byte
// file size limit (and SIGXFSZ ignored): its writes fail as on a full disk (root ignores permissions).

const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
const binDir = mkdtempSync(join(tmpdir(), 'gl-fullgit-'));
const fullMarker = join(binDir, 'disk-full');
const originalPath = process.env.PATH;

beforeAll(() => {
  writeFileSync(
    join(binDir, 'git'),
    `#!/bin/sh\ncase " $* " in\n  *" --stdin-packs "*)\n    if [ -e '${fullMarker}' ]; then trap '' XFSZ; ulimit -f 1; fi ;;\nesac\nexec '${realGit}' "$@"\n`,
  );
  chmodSync(join(binDir, 'git'), 0o755);
  process.env.PATH = `${binDir}:${originalPath}`;
});

afterAll(() => {
  process.env.PATH = originalPath;
  rmSync(binDir, { recursive: true, force: true });
  cleanupRepos();
});

// A pack of the objects of `packs`, written by git outside guardloop (not registered): a user's
// pack holding copies of guardloop's objects, as a roll-up whose writer was killed leaves one.
function copyOf(dir: string, packs: string[]): string {
  const oids = packs.flatMap((h) => execFileSync('sh', ['-c', `git show-index < pack-${h}.idx | cut -d' ' -f2`], { cwd: packDir(dir), encoding: 'utf8' }).split('\n').filter(Boolean));
  return sh(dir, ['pack-objects', '-q', join(packDir(dir), 'pack')], `${oids.join('\n')}\n`);
}

function removePack(dir: string, hash: string): void {
  for (const f of readdirSync(packDir(dir))) if (f.startsWith(`pack-${hash}.`)) rmSync(join(packDir(dir), f));
}

// git's empty pack: a header and a trailer, no object.
function emptyPacks(dir: string): string[] {
  return packsOnDisk(dir).filter((h) => statSync(join(packDir(dir), `pack-${h}.pack`)).size <= 32);
}

describe('a registry fast-import cannot open', () => {
  it('(a folder in its place) fails no write: every record is stored, each write warns with the fix, and loose objects are still packed and pruned, once', async () => {
    const dir = makeRepo();
    const file = join(dir, '.git', 'guardloop', 'packs');
    mkdirSync(file, { recursive: true });
    sh(dir, ['config', 'guardloop.autopack', '1']);
    const repo = await openRepository({ cwd: dir });
    const ids: string[] = [];
    for (const size of [120, 1, 1, 1]) {
      const records = Array.from({ length: size }, (_, i) => makeRecord(fakeOid(`unusable-${ids.length}-${i}`)));
      const { warnings } = await repo.append(records);
      ids.push(...records.map((r) => r.id));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("can't add to its list of packs");
      expect(warnings[0]).toContain(`mv '${file}' '${file}.bad'`);
    }
    await repo.close();
    expect(storedIds(dir)).toEqual(new Set(ids));
    // Nothing left loose and nothing queued to pack again: each write's objects went into one pack.
    expect(sh(dir, ['count-objects', '-v'])).toMatch(/^count: 0$/m);
    expect(existsSync(join(dir, '.git', 'guardloop', 'loose'))).toBe(false);
    expect(packsOnDisk(dir)).toHaveLength(4);
    expect(fsckClean(dir)).toBe('');
  });
});

describe('a superseded pack is deleted only while every other copy of its objects is there', () => {
  it('a pack the roll-up excluded goes away (git deletes a pack whose objects another pack holds): the packs rolled up stay, nothing is lost', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'ex', 2);
    const [first, second] = packsOnDisk(dir);
    const copy = copyOf(dir, [first]);
    const repo = await openNoGrace(dir);
    const done = await repo.packs.consolidate();
    expect([...done.rolled].sort()).toEqual([first, second].sort());
    // The copy was excluded: the new pack holds none of `first`'s objects, the copy and `first` do.
    removePack(dir, copy);
    const next = await repo.packs.consolidate();
    expect(next.deleted).toEqual([]);
    expect(packsOnDisk(dir)).toContain(first);
    await repo.packs.consolidate();
    await repo.packs.consolidate();
    await repo.close();
    expect(storedIds(dir)).toEqual(new Set(ids));
    expect(fsckClean(dir)).toBe('');
  });

  it('a roll-up that finds every object in an excluded pack registers no empty pack; its inputs go once their grace is over, and only while that pack is there', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'empty', 2);
    const ours = packsOnDisk(dir);
    const copy = copyOf(dir, ours);
    const repo = await openNoGrace(dir);
    const done = await repo.packs.consolidate();
    expect([...done.rolled].sort()).toEqual([...ours].sort());
    expect(done.into).toBeNull();
    expect(emptyPacks(dir)).toEqual([]);
    expect(packsOnDisk(dir).sort()).toEqual([...ours, copy].sort());
    const next = await repo.packs.consolidate();
    expect([...next.deleted].sort()).toEqual([...ours].sort());
    await repo.close();
    expect(packsOnDisk(dir)).toEqual([copy]);
    expect(registered(dir).has(copy)).toBe(false);
    expect(storedIds(dir)).toEqual(new Set(ids));
    expect(fsckClean(dir)).toBe('');
  });

  it("a superseded list naming a pack guardloop didn't write (damaged, or edited by hand) deletes none of the user's", async () => {
    const dir = makeRepo();
    writeFileSync(join(dir, 'a.txt'), 'user content\n');
    sh(dir, ['add', 'a.txt']);
    sh(dir, ['commit', '-q', '-m', 'user commit']);
    sh(dir, ['repack', '-a', '-d', '-q']);
    const [user] = packsOnDisk(dir);
    await unconsolidatedPacks(dir, 'hand', 1);
    const [ours] = packsOnDisk(dir).filter((h) => h !== user);
    writeFileSync(join(dir, '.git', 'guardloop', 'packs.superseded'), `${user} ${ours} 1 -\n`);
    const repo = await openNoGrace(dir);
    expect((await repo.packs.consolidate()).deleted).toEqual([]);
    await repo.close();
    expect(packsOnDisk(dir)).toContain(user);
    expect(sh(dir, ['log', '--format=%s', 'main'])).toBe('user commit');
    expect(fsckClean(dir)).toBe('');
  });
});

describe('a full disk during a roll-up', () => {
  it('the write that set it off is stored and warns; no pack is removed, no roll-up file is left; once there is room a later pass rolls up', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'full', 2);
    const before = packsOnDisk(dir).sort();
    writeFileSync(fullMarker, '');
    const repo = await openNoGrace(dir);
    const big = Array.from({ length: 120 }, (_, i) => makeRecord(fakeOid(`full-big-${i}`)));
    let warnings: string[];
    try {
      ({ warnings } = await repo.append(big));
    } finally {
      rmSync(fullMarker, { force: true });
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("consolidating guardloop's packs afterwards failed");
    expect(warnings[0]).toContain('no pack was removed');
    for (const h of before) expect(packsOnDisk(dir)).toContain(h);
    expect(packsOnDisk(dir)).toHaveLength(3);
    expect(existsSync(join(dir, '.git', 'guardloop', 'packs.superseded'))).toBe(false);
    expect(readdirSync(join(dir, '.git', 'guardloop')).filter((f) => f.startsWith('rollup'))).toEqual([]);
    expect(storedIds(dir)).toEqual(new Set([...ids, ...big.map((r) => r.id)]));
    const done = await repo.packs.consolidate();
    expect(done.rolled).toHaveLength(3);
    expect(done.into).toMatch(/^[0-9a-f]{40}$/);
    await repo.packs.consolidate();
    await repo.close();
    expect(packsOnDisk(dir)).toEqual([done.into]);
    expect(readFileSync(join(dir, '.git', 'guardloop', 'packs'), 'utf8')).toContain(done.into!);
    expect(storedIds(dir)).toEqual(new Set([...ids, ...big.map((r) => r.id)]));
    expect(fsckClean(dir)).toBe('');
  });
});

describe('a reader while packs go', () => {
  it('a Repository opened (its git cat-file running) before its packs were rolled up and deleted still finds every record', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'rd', 4);
    const reader = await openRepository({ cwd: dir });
    expect(await reader.byTree(fakeOid('rd-0-0'))).toHaveLength(1);
    const writer = await openNoGrace(dir);
    const done = await writer.packs.consolidate();
    expect((await writer.packs.consolidate()).deleted.sort()).toEqual([...done.rolled].sort());
    await writer.close();
    for (const h of done.rolled) expect(packsOnDisk(dir)).not.toContain(h);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 120; j += 17) expect(await reader.byTree(fakeOid(`rd-${i}-${j}`))).toHaveLength(1);
    expect(new Set((await reader.all()).map((r) => r.id))).toEqual(new Set(ids));
    await reader.close();
  });
});
