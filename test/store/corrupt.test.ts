import { chmodSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { fakeOid, makeRecord } from './helpers.js';

// A damaged repository is reported as such — a CorruptObjectError (code CORRUPT_OBJECT, exit 2)
// naming the object, its file and `git fsck` — never as "a bug in guardloop". A commit still goes
// through (recording a verdict never blocks one) and says why its verdict was not recorded.

const JSON_ERRORS = { GUARDLOOP_JSON_ERRORS: '1' };

function lastJson(stderr: string): any {
  const line = stderr.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : null;
}

function looseFile(repo: TestRepo, oid: string): string {
  return join(repo.dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
}

async function recordSome(repo: TestRepo): Promise<void> {
  const store = await openRepository({ cwd: repo.dir });
  await store.append([makeRecord(fakeOid(1)), makeRecord(fakeOid(2))]);
  await store.close();
}

function expectDamageReport(res: { code: number | null; stderr: string }, oid: string): void {
  expect(res.stderr).not.toMatch(/bug in guardloop|internal error/);
  expect(res.stderr).toContain(oid);
  expect(res.stderr).toContain('git fsck');
}

describe('a corrupt repository gets a typed error, never "a bug in guardloop"', () => {
  it('a corrupt loose notes tree: log exits 2 naming it and git fsck, doctor lists it, a commit goes through and says why it was not recorded', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      expect((await repo.commit('first')).code).toBe(0);
      const tree = repo.git('rev-parse', 'refs/notes/guardloop^{tree}');
      const file = looseFile(repo, tree);
      chmodSync(file, 0o644);
      writeFileSync(file, 'not a zlib stream');

      const log = await repo.cli(['log'], { env: JSON_ERRORS });
      expect(log.code).toBe(2);
      expectDamageReport(log, tree);
      expect(log.stderr).toContain(`git cat-file -p ${tree}`);
      expect(log.stderr).toContain(file);
      expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_OBJECT', data: { oid: tree, file, problem: 'unreadable', expected: 'tree', ref: 'refs/notes/guardloop' } });

      const doctor = await repo.cli(['doctor']);
      expect(doctor.code).toBe(2);
      expect(doctor.stdout).toContain(tree);
      expect(doctor.stdout).toContain('git fsck');

      repo.write('b.txt', 'b\n');
      repo.git('add', '-A');
      const commit = await repo.commit('second');
      expect(commit.code, commit.stderr).toBe(0);
      expect(repo.git('log', '--format=%s', '-1')).toBe('second');
      expectDamageReport(commit, tree);
    }));

  it('a corrupt pack holding ℛ: log exits 2 naming the object, the pack and git fsck', () =>
    withGitRepo(async (repo) => {
      await recordSome(repo);
      const tip = repo.git('rev-parse', 'refs/notes/guardloop');
      const oids = repo.git('rev-list', '--objects', 'refs/notes/guardloop').split('\n').map((l) => l.split(' ')[0]);
      const packDir = join(repo.dir, '.git', 'objects', 'pack');
      const { spawnSync } = await import('node:child_process');
      const made = spawnSync('git', ['pack-objects', '-q', join(packDir, 'pack')], { cwd: repo.dir, input: `${oids.join('\n')}\n`, encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      repo.git('prune-packed');
      const pack = join(packDir, readdirSync(packDir).find((n) => n.endsWith('.pack'))!);
      // Every entry's bytes flipped after the 12-byte header (the trailing checksum kept as it was).
      const bytes = readFileSync(pack);
      for (let i = 12; i < bytes.length - 20; i++) bytes[i] ^= 0x5a;
      chmodSync(pack, 0o644);
      writeFileSync(pack, bytes);

      const log = await repo.cli(['log'], { env: JSON_ERRORS });
      expect(log.code).toBe(2);
      expectDamageReport(log, tip);
      expect(log.stderr).toContain(pack);
      expect(log.stderr).toContain('git verify-pack -v');
      expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_OBJECT', data: { oid: tip, file: pack, problem: 'unreadable' } });
    }));

  it('a truncated pack index (neither guardloop nor git finds ℛ\'s commit) is reported the same way', () =>
    withGitRepo(async (repo) => {
      await recordSome(repo);
      repo.git('gc', '-q');
      const tip = repo.git('rev-parse', 'refs/notes/guardloop');
      const packDir = join(repo.dir, '.git', 'objects', 'pack');
      const idx = join(packDir, readdirSync(packDir).find((n) => n.endsWith('.idx'))!);
      chmodSync(idx, 0o644);
      truncateSync(idx, 1100);
      const log = await repo.cli(['log'], { env: JSON_ERRORS });
      expect(log.code).toBe(2);
      expectDamageReport(log, tip);
      expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_OBJECT', data: { oid: tip, problem: 'missing', expected: 'commit' } });
    }));

  it('a garbled loose ref file is a damaged ref (not "no records yet", which the next write would overwrite)', () =>
    withGitRepo(async (repo) => {
      await recordSome(repo);
      const file = join(repo.dir, '.git', 'refs', 'notes', 'guardloop');
      writeFileSync(file, 'garbage\n');
      const log = await repo.cli(['log'], { env: JSON_ERRORS });
      expect(log.code).toBe(2);
      expect(log.stderr).not.toMatch(/bug in guardloop|internal error/);
      expect(log.stderr).toContain(file);
      expect(log.stderr).toContain('git fsck');
      expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_REF', data: { ref: 'refs/notes/guardloop', file, content: 'garbage' } });
      const doctor = await repo.cli(['doctor']);
      expect(doctor.code).toBe(2);
      expect(doctor.stdout).toContain(file);
      expect(readFileSync(file, 'utf8')).toBe('garbage\n');
    }));

  it('refs/notes/guardloop naming a blob is an unexpected repository, not a crash', () =>
    withGitRepo(async (repo) => {
      const blob = repo.git('hash-object', '-w', '--stdin');
      repo.git('update-ref', 'refs/notes/guardloop', blob);
      const log = await repo.cli(['log'], { env: JSON_ERRORS });
      expect(log.code).toBe(2);
      expectDamageReport(log, blob);
      expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_OBJECT', data: { oid: blob, problem: 'wrong-type', expected: 'commit' } });
    }));
});
