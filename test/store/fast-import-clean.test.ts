import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { processesIn, waitUntil } from '../helpers/processes.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo } from './helpers.js';

afterAll(cleanupRepos);

// A fast-import that is started and then not needed (the write had nothing to add, or a larger write
// needs a process of its own) must end as git's clean end of input, leaving nothing in the git dir:
// input that just stops is "stream ends early" and a `fast_import_crash_<pid>` report.
describe('an unused fast-import', () => {
  it('leaves no crash report when a write turns out to add nothing', async () => {
    const dir = makeRepo();
    const record = makeRecord(fakeOid(1));
    const repo = await openRepository({ cwd: dir });
    try {
      await repo.append([record]);
      const tip = repo.notes.tip();
      // The same record again: already there, so the change is empty and the importer is cancelled.
      await repo.append([record]);
      expect(repo.notes.tip()).toBe(tip);
    } finally {
      await repo.close();
    }
    // Synchronized on the git processes' end (a cancelled fast-import exits on its own, after close).
    expect(await waitUntil(() => processesIn(dir).length === 0)).toBe(true);
    expect(readdirSync(join(dir, '.git')).filter((n) => n.startsWith('fast_import_crash'))).toEqual([]);
    expect(readdirSync(join(dir, '.git', 'objects', 'pack')).filter((n) => n.startsWith('tmp_'))).toEqual([]);
  });

  it('leaves no crash report when the ref transaction started ahead goes unused', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    repo.notes.prestart();
    await repo.close();
    const again = await openRepository({ cwd: dir });
    again.notes.prestart();
    await again.append([makeRecord(fakeOid(2))]);
    await again.close();
    expect(await waitUntil(() => processesIn(dir).length === 0)).toBe(true);
    expect(readdirSync(join(dir, '.git')).filter((n) => n.startsWith('fast_import_crash') || n.endsWith('.lock'))).toEqual([]);
  });
});
