import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptObjectError } from '../../src/errors/corrupt-object-error.js';
import type { RecordV1 } from '../../src/store/record.js';
import type { ScannedRecord } from '../../src/store/record-scan.js';
import { openRepository } from '../../src/store/repository.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from '../store/helpers.js';

// The store's streaming read for extraction: scan() gives exactly what all() gives (every note in
// any fanout, several records in one note, the journal's records the ref lacks), in batches, each
// record with the blob it came from; readBack() gives a scan's blobs back by group; damage is a
// typed error, never "no records"; and a scan stopped early ends its git.

afterAll(cleanupRepos);

async function scanAll(dir: string, batch?: number): Promise<{ batches: number[]; scanned: ScannedRecord[] }> {
  const repo = await openRepository({ cwd: dir });
  try {
    const batches: number[] = [];
    const scanned: ScannedRecord[] = [];
    for await (const b of repo.scan({ batch })) {
      batches.push(b.length);
      scanned.push(...b);
    }
    return { batches, scanned };
  } finally {
    await repo.close();
  }
}

const byId = (a: RecordV1, b: RecordV1) => (a.id < b.id ? -1 : 1);

describe('GitNotesRepository.scan and readBack', () => {
  it('1,200 notes in git\'s fanout, one with two records, and a journaled record the ref lacks: the same records as all(), in batches, each with its blob', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    const records = Array.from({ length: 1_200 }, (_, i) => makeRecord(fakeOid(i), { artifact: { diff: `diff ${i}\n${'x'.repeat(i % 7 === 0 ? 70_000 : 300)}\n`, files: ['x'], truncated: false } }));
    for (let i = 0; i < records.length; i += 400) await repo.append(records.slice(i, i + 400));
    const twin = makeRecord(fakeOid(5), { retry: 1 });
    await repo.append([twin]);
    const kept = sh(dir, ['rev-parse', 'refs/notes/guardloop']);
    const dropped = makeRecord(fakeOid('dropped'));
    await repo.append([dropped]);
    await repo.close();
    // A native writer drops the last notes commit: `dropped` is in the journal only.
    sh(dir, ['update-ref', 'refs/notes/guardloop', kept]);
    expect(sh(dir, ['ls-tree', 'refs/notes/guardloop']).split('\n').every((l) => / tree [0-9a-f]+\t[0-9a-f]{2}$/.test(l))).toBe(true);

    const { batches, scanned } = await scanAll(dir, 250);
    const check = await openRepository({ cwd: dir });
    const all = await check.all();
    await check.close();
    expect(scanned.map((s) => s.record).sort(byId)).toEqual([...all].sort(byId));
    expect(scanned.map((s) => s.record.id).sort()).toEqual([...records, twin, dropped].map((r) => r.id).sort());
    // Batches of 250 notes (1,200 notes: the last has 200; the batch with the two-record note has a record more), then the journal's.
    const at = scanned.findIndex((s) => s.record.id === twin.id);
    const twinBatch = batches.findIndex((_, i) => batches.slice(0, i + 1).reduce((a, b) => a + b, 0) > at);
    expect(batches.map((n, i) => n - (i === twinBatch ? 1 : 0))).toEqual([250, 250, 250, 250, 200, 1]);
    const notes = new Map(sh(dir, ['notes', '--ref=guardloop', 'list']).split('\n').map((l) => [l.split(' ')[1], l.split(' ')[0]]));
    for (const s of scanned) expect(s.blob).toBe(s.record.id === dropped.id ? null : notes.get(s.target));
    expect(scanned.find((s) => s.record.id === twin.id)!.blob).toBe(scanned.find((s) => s.record.id === records[5].id)!.blob);

    // readBack: the blobs of given groups, each group's records by blob.
    const again = await openRepository({ cwd: dir });
    const withBlobs = scanned.filter((s) => s.blob !== null);
    const groups = [withBlobs.slice(0, 3), [], withBlobs.slice(500, 900)].map((g) => g.map((s) => ({ blob: s.blob!, target: s.target })));
    const got: Array<Map<string, RecordV1[]>> = [];
    for await (const m of again.readBack(groups)) got.push(m);
    await again.close();
    expect(got.map((m) => m.size)).toEqual([3, 0, new Set(groups[2].map((g) => g.blob)).size]);
    for (const s of [...withBlobs.slice(0, 3), ...withBlobs.slice(500, 900)]) expect(got.flatMap((m) => m.get(s.blob!) ?? []).map((r) => r.id)).toContain(s.record.id);
  });

  it('a note blob missing from the object store: scan and readBack throw CorruptObjectError naming it', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    await repo.append([makeRecord(fakeOid('a')), makeRecord(fakeOid('b'))]);
    await repo.close();
    const blob = sh(dir, ['notes', '--ref=guardloop', 'list', fakeOid('b')]);
    rmSync(join(dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const err = await scanAll(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptObjectError);
    expect((err as CorruptObjectError).data).toMatchObject({ oid: blob, problem: 'missing', expected: 'blob' });
    const again = await openRepository({ cwd: dir });
    const read = (async () => {
      for await (const _ of again.readBack([[{ blob, target: fakeOid('b') }]])) void _;
    })();
    await expect(read).rejects.toBeInstanceOf(CorruptObjectError);
    await again.close();
  });

  it('a scan stopped after its first batch leaves the repository usable: the next scan reads everything', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    await repo.append(Array.from({ length: 600 }, (_, i) => makeRecord(fakeOid(`s${i}`))));
    let seen = 0;
    for await (const b of repo.scan({ batch: 100 })) {
      seen += b.length;
      break;
    }
    expect(seen).toBe(100);
    let all = 0;
    for await (const b of repo.scan({ batch: 100 })) all += b.length;
    await repo.close();
    expect(all).toBe(600);
  });
});
