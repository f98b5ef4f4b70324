import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { sh } from '../store/helpers.js';
import { fsckClean, openNoGrace, packDir, packsOnDisk, registered, storedIds, unconsolidatedPacks } from '../store/pack-helpers.js';

// The consolidation of guardloop's packs in reftable repositories, with the newer git they need
// (which also writes a reverse index, .rev, beside every pack): registered, rolled up and deleted
// as with the files backend, SHA-1 and SHA-256; a user's `git gc` afterwards keeps every record.

const GIT = inject('reftableGit');
const SKIP = inject('reftableSkip');
if (GIT && GIT !== 'git') process.env.PATH = `${dirname(GIT)}:${process.env.PATH}`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!GIT)(`guardloop's packs in reftable repositories${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  for (const [format, hexLen] of [['sha1', 40], ['sha256', 64]] as const) {
    it(`${format}: rolled up into one registered pack, the rolled-up packs and their .rev files deleted; records intact through git gc`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gl-reftable-packs-'));
      dirs.push(dir);
      sh(dir, ['init', '-q', '--ref-format=reftable', `--object-format=${format}`, '-b', 'main']);
      for (const [k, v] of [['user.name', 'Test User'], ['user.email', 'test@example.com'], ['gc.auto', '0'], ['pack.writeReverseIndex', 'true']]) sh(dir, ['config', k, v]);
      const ids = await unconsolidatedPacks(dir, `rt-${format}`, 3, hexLen);
      const before = packsOnDisk(dir);
      expect(before).toHaveLength(3);
      expect(registered(dir)).toEqual(new Set(before));
      const repo = await openNoGrace(dir);
      const done = await repo.packs.consolidate();
      expect(done.into).toMatch(new RegExp(`^[0-9a-f]{${hexLen}}$`));
      expect([...(await repo.packs.consolidate()).deleted].sort()).toEqual([...done.rolled].sort());
      await repo.close();
      expect(packsOnDisk(dir)).toEqual([done.into]);
      expect(sh(dir, ['rev-parse', '--show-ref-format'])).toBe('reftable');
      // Only the new pack's files are left: pack, index, reverse index.
      expect(readdirSync(packDir(dir)).sort()).toEqual(['.idx', '.pack', '.rev'].map((ext) => `pack-${done.into}${ext}`));
      expect(storedIds(dir)).toEqual(new Set(ids));
      expect(fsckClean(dir)).toBe('');
      sh(dir, ['gc', '-q', '--prune=now']);
      expect(storedIds(dir)).toEqual(new Set(ids));
      expect(fsckClean(dir)).toBe('');
    });
  }
});
