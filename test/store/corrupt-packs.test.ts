import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptObjectError } from '../../src/errors/corrupt-object-error.js';
import { openRepository } from '../../src/store/repository.js';
import { reinitAsSha256, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { fakeOid, makeRecord } from './helpers.js';

// A pack git can't use, a garbled packed-refs line, a truncated index, a ref naming a blob, and what
// a killed packer leaves: each is named with its file and the command that inspects or fixes it.

const JSON_ERRORS = { GUARDLOOP_JSON_ERRORS: '1' };
const REF = 'refs/notes/guardloop';

function lastJson(stderr: string): any {
  const line = stderr.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : null;
}

async function recordSome(repo: TestRepo, trees: string[]): Promise<void> {
  const store = await openRepository({ cwd: repo.dir });
  await store.append(trees.map((t) => makeRecord(t)));
  await store.close();
}

// ℛ's objects (only those) in one pack, their loose copies removed: the pack's path.
function packRef(repo: TestRepo): string {
  const oids = repo.git('rev-list', '--objects', REF).split('\n').map((l) => l.split(' ')[0]);
  const packDir = join(repo.dir, '.git', 'objects', 'pack');
  const made = spawnSync('git', ['pack-objects', '-q', join(packDir, 'pack')], { cwd: repo.dir, input: `${oids.join('\n')}\n`, encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  repo.git('prune-packed');
  return join(packDir, readdirSync(packDir).find((n) => n.endsWith('.pack'))!);
}

// A pid that no process has (a child that has exited and been reaped).
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('a pack that does not match its index', () => {
  for (const format of ['sha1', 'sha256'] as const) {
    it(`${format}: 40 bytes cut off a pack holding ℛ: doctor and log exit 2 naming the pack and git verify-pack; a write refuses to build on it`, () =>
      withGitRepo(async (repo) => {
        if (format === 'sha256') reinitAsSha256(repo);
        const hex = format === 'sha1' ? 40 : 64;
        const trees = [1, 2].map((n) => fakeOid(n).padEnd(hex, '0'));
        await recordSome(repo, trees);
        const tip = repo.git('rev-parse', REF);
        const pack = packRef(repo);
        const idx = pack.replace(/\.pack$/, '.idx');
        // Every entry still inflates: only the size and the trailing checksum give it away.
        chmodSync(pack, 0o644);
        truncateSync(pack, readFileSync(pack).length - 40);

        const doctor = await repo.cli(['doctor']);
        expect(doctor.code, doctor.stdout).toBe(2);
        expect(doctor.stdout).toContain(pack);
        expect(doctor.stdout).toContain(`git verify-pack -v ${idx}`);
        expect(doctor.stdout).toContain('git fsck --full');
        expect(doctor.stdout).not.toContain('healthy');
        const log = await repo.cli(['log'], { env: JSON_ERRORS });
        expect(log.code).toBe(2);
        expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_OBJECT', data: { oid: tip, file: pack, problem: 'unreadable', tipOf: REF } });
        expect(log.stderr).toContain('does not match its index');

        const store = await openRepository({ cwd: repo.dir });
        await expect(store.append([makeRecord(fakeOid(3).padEnd(hex, '0'))])).rejects.toBeInstanceOf(CorruptObjectError);
        await store.close();
        expect(repo.git('rev-parse', REF)).toBe(tip);
      }));
  }
});

describe('damaged refs and indexes name their file and the fix', () => {
  it('a garbled packed-refs line names .git/packed-refs and git update-ref; doctor says it once', () =>
    withGitRepo(async (repo) => {
      await recordSome(repo, [fakeOid(1)]);
      const tip = repo.git('rev-parse', REF);
      repo.git('pack-refs', '--all');
      const file = join(repo.dir, '.git', 'packed-refs');
      writeFileSync(file, readFileSync(file, 'utf8').replace(`${tip} ${REF}`, `zzzz ${REF}`));
      expect(existsSync(join(repo.dir, '.git', ...REF.split('/')))).toBe(false);

      const log = await repo.cli(['log'], { env: JSON_ERRORS });
      expect(log.code).toBe(2);
      expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_REF', data: { ref: REF, file, content: 'zzzz' } });
      expect(log.stderr).toContain(`git update-ref ${REF} <oid>`);
      expect(log.stderr).not.toContain('git cat-file -p zzzz');
      const doctor = await repo.cli(['doctor']);
      expect(doctor.code).toBe(2);
      expect(count(doctor.stdout, 'the repository is damaged')).toBe(1);
      expect(doctor.stdout).toContain(file);
      // Nothing was written over it.
      expect(readFileSync(file, 'utf8')).toContain(`zzzz ${REF}`);
    }));

  it('a truncated pack index is named in the error about the commit it held', () =>
    withGitRepo(async (repo) => {
      await recordSome(repo, [fakeOid(1)]);
      const tip = repo.git('rev-parse', REF);
      const idx = packRef(repo).replace(/\.pack$/, '.idx');
      chmodSync(idx, 0o644);
      truncateSync(idx, 1100);
      const log = await repo.cli(['log'], { env: JSON_ERRORS });
      expect(log.code).toBe(2);
      expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_OBJECT', data: { oid: tip, file: idx, problem: 'missing', expected: 'commit' } });
      expect(log.stderr).toContain(`git verify-pack -v ${idx}`);
      expect(log.stderr).toContain('truncated pack index');
    }));

  it('ℛ naming a blob gets the reflog and update-ref hint, not "fetch the objects again"', () =>
    withGitRepo(async (repo) => {
      const blob = repo.git('hash-object', '-w', '--stdin');
      repo.git('update-ref', REF, blob);
      const log = await repo.cli(['log'], { env: JSON_ERRORS });
      expect(log.code).toBe(2);
      expect(lastJson(log.stderr)).toMatchObject({ code: 'CORRUPT_OBJECT', data: { oid: blob, problem: 'wrong-type', expected: 'commit', tipOf: REF } });
      expect(log.stderr).toContain(`git reflog show ${REF}`);
      expect(log.stderr).toContain(`git update-ref ${REF} <good commit>`);
      expect(log.stderr).not.toContain('fetch the objects again');
    }));
});

describe('what a killed packer left', () => {
  it('doctor reports a stale pack.lock and a dead packer\'s claim; --unlock removes the lock and puts the claimed ids back on the list', () =>
    withGitRepo(async (repo) => {
      await recordSome(repo, [fakeOid(1)]);
      repo.git('config', 'notes.guardloop.mergeStrategy', 'cat_sort_uniq');
      const dir = join(repo.dir, '.git', 'guardloop');
      mkdirSync(dir, { recursive: true });
      const clean = await repo.cli(['doctor']);
      expect(clean.code, clean.stdout).toBe(0);

      const pid = deadPid();
      const lock = join(dir, 'pack.lock');
      const claim = join(dir, `loose.packing-${pid}-12345`);
      const claimed = `${fakeOid('a')}\n${fakeOid('b')}\n`;
      writeFileSync(lock, `${pid} 12345\n`);
      writeFileSync(claim, claimed);
      const list = join(dir, 'loose');
      const listed = existsSync(list) ? readFileSync(list, 'utf8') : '';

      const doctor = await repo.cli(['doctor', '--json']);
      const report = JSON.parse(doctor.stdout);
      expect(doctor.code).toBe(1);
      expect(report.damaged).toBe(false);
      expect(report.packLeftovers).toEqual([
        { kind: 'lock', path: lock, pid },
        { kind: 'claim', path: claim, pid },
      ]);
      const text = await repo.cli(['doctor']);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(lock);
      expect(text.stdout).toContain(claim);
      expect(count(text.stdout, 'guardloop doctor --unlock')).toBe(2);

      const unlock = await repo.cli(['doctor', '--unlock']);
      expect(unlock.stderr).toContain(`removed the stale pack lock ${lock}`);
      expect(unlock.stderr).toContain(claim);
      expect(existsSync(lock)).toBe(false);
      expect(existsSync(claim)).toBe(false);
      expect(readFileSync(list, 'utf8')).toBe(listed + claimed);
      expect((await repo.cli(['doctor'])).code).toBe(0);
    }));

  it('a live packer\'s lock and claim are neither reported nor removed', () =>
    withGitRepo(async (repo) => {
      await recordSome(repo, [fakeOid(1)]);
      const dir = join(repo.dir, '.git', 'guardloop');
      const lock = join(dir, 'pack.lock');
      const claim = join(dir, `loose.packing-${process.pid}`);
      writeFileSync(lock, `${process.pid} unknown\n`);
      writeFileSync(claim, `${fakeOid('a')}\n`);
      const report = JSON.parse((await repo.cli(['doctor', '--json'])).stdout);
      expect(report.packLeftovers).toEqual([]);
      await repo.cli(['doctor', '--unlock']);
      expect(existsSync(lock)).toBe(true);
      expect(existsSync(claim)).toBe(true);
    }));
});
