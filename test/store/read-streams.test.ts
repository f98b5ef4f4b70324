import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptObjectError } from '../../src/errors/corrupt-object-error.js';
import { openRepository, streamSize } from '../../src/store/repository.js';
import { withGitRepo } from '../helpers/git-repo.js';
import { fakeOid, makeRecord } from './helpers.js';

// Reading all of ℛ splits the notes' blobs into several `cat-file --batch` streams running at once
// (two per core, one per core at a time, bounded in size): every record comes back once, whatever the split, and a blob
// missing in a later stream is still a CorruptObjectError naming it, never a silent omission.

const NOTES = 4_500;

describe('read-all in several streams', () => {
  it('sizes each stream between 1,000 and 20,000 notes, two per core', () => {
    expect(streamSize(10, 2)).toBe(1_000);
    expect(streamSize(10_000, 2)).toBe(2_500);
    expect(streamSize(10_000, 1)).toBe(5_000);
    expect(streamSize(1_000_000, 2)).toBe(20_000);
    expect(streamSize(5_000, 0)).toBe(2_500);
  });

  it(`returns each of ${NOTES} records once when they span more than one stream, and names a blob missing from the last stream`, () =>
    withGitRepo(async (repo) => {
      repo.git('config', 'gc.auto', '0');
      const store = await openRepository({ cwd: repo.dir });
      const ids = new Set<string>();
      for (let i = 0; i < NOTES; i += 500) {
        const batch = Array.from({ length: 500 }, (_, j) => makeRecord(fakeOid(i + j)));
        for (const r of batch) ids.add(r.id);
        await store.append(batch);
      }
      await store.close();
      // More notes than one stream takes, whatever the machine's core count.
      expect(NOTES).toBeGreaterThan(streamSize(NOTES, availableParallelism()));

      const reader = await openRepository({ cwd: repo.dir });
      const all = await reader.all();
      await reader.close();
      expect(all).toHaveLength(NOTES);
      expect(new Set(all.map((r) => r.id))).toEqual(ids);

      // Every object loose, so one blob can be taken away: the one of the last note in tree order.
      const packDir = join(repo.dir, '.git', 'objects', 'pack');
      for (const name of readdirSync(packDir).filter((n) => n.endsWith('.pack'))) {
        const pack = readFileSync(join(packDir, name));
        for (const ext of ['.pack', '.idx', '.rev']) rmSync(join(packDir, name.replace(/\.pack$/, ext)), { force: true });
        execFileSync('git', ['unpack-objects', '-q'], { cwd: repo.dir, input: pack });
      }
      const list = repo.git('notes', '--ref=guardloop', 'list').split('\n');
      const [blob] = list[list.length - 1].split(' ');
      rmSync(join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
      const damaged = await openRepository({ cwd: repo.dir });
      const err = await damaged.all().catch((e: unknown) => e);
      await damaged.close();
      expect(err).toBeInstanceOf(CorruptObjectError);
      expect((err as CorruptObjectError).data).toMatchObject({ oid: blob, problem: 'missing', expected: 'blob' });
    }));
});
