import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptObjectError } from '../../src/errors/corrupt-object-error.js';
import { RefLockedError } from '../../src/errors/ref-locked-error.js';
import { openRepository } from '../../src/store/repository.js';
import { guardYaml, reinitAsSha256, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { fakeOid, makeRecord } from './helpers.js';

// Damage in ℛ's own objects (a missing or garbled note blob, notes tree or tip commit, a truncated
// pack) is a typed error with exit 2 naming the object — never "no records", never a silent
// omission, and never a write that replaces what it could not read. Journal replay never turns a
// read into a raw error.

const JSON_ERRORS = { GUARDLOOP_JSON_ERRORS: '1' };
const REF = 'refs/notes/guardloop';

function lastJson(stderr: string): any {
  const line = stderr.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : null;
}

function looseFile(repo: TestRepo, oid: string): string {
  return join(repo.dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
}

// Two commits through the hook: two records, on the trees of HEAD~1 and HEAD, loose in .git/objects.
async function recordedRepo(repo: TestRepo, format: 'sha1' | 'sha256'): Promise<void> {
  if (format === 'sha256') reinitAsSha256(repo);
  repo.installHook();
  repo.config(`guards:\n${guardYaml('ok', 'true')}`);
  for (const name of ['a', 'b']) {
    repo.write(`${name}.txt`, `${name}\n`);
    repo.git('add', '-A');
    const c = await repo.commit(name);
    expect(c.code, c.stderr).toBe(0);
  }
}

function expectDamage(res: { code: number | null; stdout: string; stderr: string }, ...names: string[]): void {
  const out = res.stdout + res.stderr;
  expect(res.code, out).toBe(2);
  for (const n of names) expect(out).toContain(n);
  expect(out).toContain('git fsck --full');
  expect(out).not.toMatch(/No records on the tree|has no records yet|skipped an invalid record|bug in guardloop|internal error/);
}

describe('a missing note blob is damage, never "no note"', () => {
  for (const format of ['sha1', 'sha256'] as const) {
    it(`${format}: doctor, log and show exit 2 naming the blob; a run refuses to replace the note, which is intact once the blob is back`, () =>
      withGitRepo(async (repo) => {
        await recordedRepo(repo, format);
        const blob = repo.git('notes', '--ref', 'guardloop', 'list', 'HEAD^{tree}');
        const tip = repo.git('rev-parse', REF);
        const file = looseFile(repo, blob);
        const saved = readFileSync(file);
        const original = repo.git('notes', '--ref', 'guardloop', 'show', 'HEAD^{tree}');
        rmSync(file);

        const doctor = await repo.cli(['doctor']);
        expectDamage(doctor, blob);
        const log = await repo.cli(['log'], { env: JSON_ERRORS });
        expectDamage(log, blob);
        expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_OBJECT', data: { oid: blob, problem: 'missing', expected: 'blob', ref: REF } });
        expectDamage(await repo.cli(['show', 'HEAD']), blob);

        // The index holds HEAD's tree: a run without the cache judges it and must not write its note anew.
        const run = await repo.cli(['run', '--no-cache']);
        expect(run.stdout + run.stderr).toContain('not recorded');
        expect(run.stdout + run.stderr).toContain(blob);
        expect(repo.git('rev-parse', REF)).toBe(tip);
        expect(repo.git('notes', '--ref', 'guardloop', 'list', 'HEAD^{tree}')).toBe(blob);
        // A write through the library is refused the same way.
        const store = await openRepository({ cwd: repo.dir });
        const tree = repo.git('rev-parse', 'HEAD^{tree}');
        await expect(store.append([makeRecord(tree)])).rejects.toBeInstanceOf(CorruptObjectError);
        await store.close();
        expect(repo.git('rev-parse', REF)).toBe(tip);

        // Put back, the blob is the note it was: nothing was lost.
        mkdirSync(join(file, '..'), { recursive: true });
        writeFileSync(file, saved);
        expect(repo.git('notes', '--ref', 'guardloop', 'show', 'HEAD^{tree}')).toBe(original);
        expect((await repo.cli(['show', 'HEAD'])).code).toBe(0);
      }));
  }
});

// Each way ℛ's own objects get damaged: which object to break, and how.
const damages: Array<{ name: string; oid: (repo: TestRepo) => string; packed?: boolean }> = [
  { name: 'garbage in the loose notes tree', oid: (repo) => repo.git('rev-parse', `${REF}^{tree}`) },
  { name: 'garbage in the loose tip commit', oid: (repo) => repo.git('rev-parse', REF) },
  { name: 'garbage in the loose note blob', oid: (repo) => repo.git('notes', '--ref', 'guardloop', 'list', 'HEAD^{tree}') },
  { name: 'a truncated pack holding ℛ', oid: (repo) => repo.git('rev-parse', REF), packed: true },
];

// Packs ℛ's objects (and only those) into one pack, removes their loose copies and cuts 40 bytes off it.
function truncatedPack(repo: TestRepo): string {
  const oids = repo.git('rev-list', '--objects', REF).split('\n').map((l) => l.split(' ')[0]);
  const packDir = join(repo.dir, '.git', 'objects', 'pack');
  const made = spawnSync('git', ['pack-objects', '-q', join(packDir, 'pack')], { cwd: repo.dir, input: `${oids.join('\n')}\n`, encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  repo.git('prune-packed');
  const pack = join(packDir, readdirSync(packDir).find((n) => n.endsWith('.pack'))!);
  chmodSync(pack, 0o644);
  truncateSync(pack, readFileSync(pack).length - 40);
  return pack;
}

describe('show and log report damage in ℛ as damage (exit 2, the object, its file, git fsck --full)', () => {
  for (const d of damages) {
    it(d.name, () =>
      withGitRepo(async (repo) => {
        await recordedRepo(repo, 'sha1');
        const oid = d.oid(repo);
        let file: string;
        if (d.packed) file = truncatedPack(repo);
        else {
          file = looseFile(repo, oid);
          chmodSync(file, 0o644);
          writeFileSync(file, 'not a zlib stream');
        }
        const show = await repo.cli(['show', 'HEAD']);
        expectDamage(show, oid, file);
        const log = await repo.cli(['log'], { env: JSON_ERRORS });
        expectDamage(log, oid, file);
        expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_OBJECT', data: { oid, file, problem: 'unreadable' } });
        if (d.packed) expect(log.stderr).toContain(`git verify-pack -v ${file.replace(/\.pack$/, '.idx')}`);
        expectDamage(await repo.cli(['doctor']), oid, file);
      }));
  }
});

describe('journal replay never turns a read into a raw error', () => {
  it('the tip object missing with a stale journal mark: byTree throws a typed CorruptObjectError, a commit goes through unrecorded', () =>
    withGitRepo(async (repo) => {
      await recordedRepo(repo, 'sha1');
      const tip = repo.git('rev-parse', REF);
      rmSync(looseFile(repo, tip));
      rmSync(join(repo.dir, '.git', 'guardloop', 'journal', 'verified'));
      const store = await openRepository({ cwd: repo.dir });
      const err = await store.byTree(repo.git('rev-parse', 'HEAD^{tree}')).catch((e: unknown) => e);
      await store.close();
      expect(err).toBeInstanceOf(CorruptObjectError);
      expect((err as CorruptObjectError).data).toMatchObject({ oid: tip, problem: 'missing', expected: 'commit', tipOf: REF });
      expect((err as Error).message).toContain(`git update-ref ${REF} <good commit>`);
      repo.write('c.txt', 'c\n');
      repo.git('add', '-A');
      const commit = await repo.commit('third');
      expect(commit.code, commit.stderr).toBe(0);
      expect(repo.git('log', '--format=%s', '-1')).toBe('third');
      expect(commit.stderr).toContain('not recorded');
    }));

  it('a record a native writer dropped: reads show it from the journal and write nothing (not even with the reflog path blocked), the next write restores it', () =>
    withGitRepo(async (repo) => {
      const a = makeRecord(fakeOid(1));
      const b = makeRecord(fakeOid(2));
      const store = await openRepository({ cwd: repo.dir });
      await store.append([a]);
      const first = repo.git('rev-parse', REF);
      await store.append([b]);
      await store.close();
      // A native writer drops guardloop's newest notes commit; the ref's log is a directory (git
      // writes the ref all the same).
      repo.git('update-ref', REF, first);
      const reflog = join(repo.dir, '.git', 'logs', ...REF.split('/'));
      rmSync(reflog);
      mkdirSync(reflog);

      const reader = await openRepository({ cwd: repo.dir });
      // Reads never write: b comes from the journal, the ref stays where it is.
      expect((await reader.byTree(b.tree)).map((r) => r.id)).toEqual([b.id]);
      expect((await reader.byTree(a.tree)).map((r) => r.id)).toEqual([a.id]);
      expect(reader.warnings()).toEqual([]);
      expect(repo.git('rev-parse', REF)).toBe(first);
      const log = await repo.cli(['log']);
      expect(log.code, log.stderr).toBe(0);
      expect(log.stdout).toContain(a.id.slice(0, 12));
      expect(log.stdout).toContain(b.id.slice(0, 12));
      expect(repo.git('rev-parse', REF)).toBe(first);
      expect(() => repo.git('notes', '--ref', 'guardloop', 'show', b.tree)).toThrow();

      // A write replays: b is in the ref again, for plain git too.
      await reader.append([makeRecord(fakeOid(3))]);
      await reader.close();
      expect(repo.git('rev-parse', REF)).not.toBe(first);
      expect(JSON.parse(repo.git('notes', '--ref', 'guardloop', 'show', b.tree)).id).toBe(b.id);
      rmSync(reflog, { recursive: true });
    }));

  it('a lock path that can\'t be read (a directory): a write ends in RefLockedError after guardloop.locktimeout, a read writes nothing and shows the journaled record', () =>
    withGitRepo(async (repo) => {
      const a = makeRecord(fakeOid(1));
      const b = makeRecord(fakeOid(2));
      const store = await openRepository({ cwd: repo.dir });
      await store.append([a]);
      const first = repo.git('rev-parse', REF);
      await store.append([b]);
      await store.close();
      repo.git('update-ref', REF, first);
      repo.git('config', 'guardloop.locktimeout', '100');
      const lock = join(repo.dir, '.git', ...REF.split('/')) + '.lock';
      mkdirSync(lock);
      const reader = await openRepository({ cwd: repo.dir });
      expect((await reader.byTree(b.tree)).map((r) => r.id)).toEqual([b.id]);
      expect(reader.warnings()).toEqual([]);
      await expect(reader.append([makeRecord(fakeOid(3))])).rejects.toBeInstanceOf(RefLockedError);
      await reader.close();
      expect(repo.git('rev-parse', REF)).toBe(first);
    }));
});
