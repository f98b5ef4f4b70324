import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptObjectError } from '../../src/errors/corrupt-object-error.js';
import { openRepository } from '../../src/store/repository.js';
import { withGitRepo } from '../helpers/git-repo.js';
import { fakeOid, makeRecord } from './helpers.js';

// Reading all of ℛ streams the notes' blobs through `cat-file --batch` as git lists them (see
// src/store/read-all.ts): every record comes back once, and a blob missing late in the stream is
// still a CorruptObjectError naming it, never a silent omission.

const NOTES = 4_500;

describe('read-all through one stream', () => {
  it(`returns each of ${NOTES} records once, and names a blob missing from the last note`, () =>
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
