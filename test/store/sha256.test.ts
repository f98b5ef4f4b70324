import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverRepo } from '../../src/git/repo.js';
import { emptyTree } from '../../src/git/git.js';
import { openRepository } from '../../src/store/repository.js';
import { diagnose } from '../../src/store/doctor.js';
import { sync } from '../../src/store/sync.js';
import { makeRecord, sh } from './helpers.js';

// ℛ in SHA-256 repositories (`git init --object-format=sha256`, git's default from 3.0 on): objects
// and notes are read and written in-process with 64-hex names, and plain git reads what guardloop wrote.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sha256Repo(opts: { bare?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gl-sha256-'));
  dirs.push(dir);
  sh(dir, ['init', '-q', '--object-format=sha256', '-b', 'main', ...(opts.bare ? ['--bare'] : [])]);
  if (!opts.bare) {
    sh(dir, ['config', 'user.name', 'Test User']);
    sh(dir, ['config', 'user.email', 'test@example.com']);
  }
  sh(dir, ['config', 'gc.auto', '0']);
  return dir;
}

// A fake 64-hex object id (notes may annotate any id of the repository's length).
function oid256(seed: string | number): string {
  return createHash('sha256').update(String(seed)).digest('hex');
}

function notesList(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of sh(dir, ['notes', '--ref=guardloop', 'list']).split('\n').filter(Boolean)) {
    const [blob, target] = line.split(' ');
    out.set(target, blob);
  }
  return out;
}

describe('ℛ in a SHA-256 repository', () => {
  it('discovery tells the object format, and the empty tree is SHA-256\'s', async () => {
    const dir = sha256Repo();
    const info = await discoverRepo(dir);
    expect(info).toMatchObject({ objectFormat: 'sha256', refStorage: 'files', head: null });
    expect(emptyTree(info)).toBe(sh(dir, ['hash-object', '-t', 'tree', '--stdin'], ''));
    expect(emptyTree({ objectFormat: 'sha1' })).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });

  it('writes records git reads (fanout with 64-hex names), reads them back loose and packed without git, and passes fsck', async () => {
    const dir = sha256Repo();
    const repo = await openRepository({ cwd: dir });
    expect(repo.notes.objects.hashLen).toBe(32);
    const recs = Array.from({ length: 120 }, (_, i) => makeRecord(oid256(i)));
    for (let i = 0; i < recs.length; i += 40) await repo.append(recs.slice(i, i + 40));
    // Plain git sees every note, under the 64-hex target names, through the fanout guardloop laid out.
    const listed = notesList(dir);
    expect(new Set(listed.keys())).toEqual(new Set(recs.map((r) => r.tree)));
    expect(sh(dir, ['ls-tree', 'refs/notes/guardloop']).split('\n').every((l) => / tree [0-9a-f]{64}\t[0-9a-f]{2}$/.test(l))).toBe(true);
    expect(JSON.parse(sh(dir, ['notes', '--ref=guardloop', 'show', recs[7].tree])).id).toBe(recs[7].id);
    // The reflog guardloop appends uses the 64-hex zero id for the ref's creation.
    expect(sh(dir, ['reflog', 'show', '--format=%H', 'refs/notes/guardloop']).split('\n')).toHaveLength(3);
    expect(sh(dir, ['fsck', '--no-progress', '--no-dangling', '--strict'])).toBe('');
    // Packed (deltified) objects of a SHA-256 pack are read through git too.
    sh(dir, ['gc', '-q', '--aggressive']);
    expect(sh(dir, ['count-objects', '-v']).split('\n').find((l) => l.startsWith('count:'))).toBe('count: 0');
    const packed = await openRepository({ cwd: dir });
    expect(new Set((await packed.log()).map((r) => r.id))).toEqual(new Set(recs.map((r) => r.id)));
    await packed.append([makeRecord(recs[3].tree)]);
    expect(await packed.byTree(recs[3].tree)).toHaveLength(2);
    expect(packed.warnings()).toEqual([]);
    const report = await diagnose(packed);
    expect(report).toMatchObject({ objectFormat: 'sha256', refStorage: 'files', records: 121, notes: 120 });
    expect(report.problems.filter((p) => !p.includes('mergeStrategy'))).toEqual([]);
    expect(sh(dir, ['fsck', '--no-progress', '--no-dangling', '--strict'])).toBe('');
    await repo.close();
    await packed.close();
  });

  it('every object of a write is git\'s own: the note blob, the notes tree and commit read back byte for byte with plain git', async () => {
    const dir = sha256Repo();
    const repo = await openRepository({ cwd: dir });
    const rec = makeRecord(oid256('x'));
    await repo.append([rec]);
    const tip = sh(dir, ['rev-parse', 'refs/notes/guardloop']);
    expect(tip).toMatch(/^[0-9a-f]{64}$/);
    expect(sh(dir, ['cat-file', '-t', `${tip}^{tree}`])).toBe('tree');
    const blob = sh(dir, ['notes', '--ref=guardloop', 'list', oid256('x')]);
    expect(JSON.parse(sh(dir, ['cat-file', 'blob', blob])).id).toBe(rec.id);
    expect(sh(dir, ['log', '-1', '--format=%s', 'refs/notes/guardloop'])).toMatch(/^guardloop: /);
    expect(sh(dir, ['fsck', '--no-progress', '--no-dangling', '--strict'])).toBe('');
    await repo.close();
  });

  it('syncs with a SHA-256 remote', async () => {
    const remote = sha256Repo({ bare: true });
    const [a, b] = [sha256Repo(), sha256Repo()];
    for (const d of [a, b]) sh(d, ['remote', 'add', 'origin', remote]);
    const ra = await openRepository({ cwd: a });
    const rb = await openRepository({ cwd: b });
    const aRec = makeRecord(oid256('a'));
    const bRec = makeRecord(oid256('b'));
    await ra.append([aRec]);
    await rb.append([bRec]);
    expect((await sync(ra, 'origin')).pushed).toBe(true);
    expect(await sync(rb, 'origin')).toMatchObject({ merged: 1, pushed: true });
    await sync(ra, 'origin');
    for (const r of [ra, rb]) expect(new Set((await r.log()).map((x) => x.id))).toEqual(new Set([aRec.id, bRec.id]));
    expect(sh(remote, ['rev-parse', 'refs/notes/guardloop'])).toMatch(/^[0-9a-f]{64}$/);
    await ra.close();
    await rb.close();
  });
});
