import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardYaml, notesOf, withGitRepo } from '../helpers/git-repo.js';
import { openRepository } from '../../src/store/repository.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from './helpers.js';

// A `git` first on PATH that fails `pack-objects` while the marker file exists and runs the real
// git for everything else (root ignores read-only pack folders, so permissions can't make it fail).
const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
const binDir = mkdtempSync(join(tmpdir(), 'gl-fakegit-'));
const failMarker = join(binDir, 'fail-pack-objects');
const wrappedPath = `${binDir}:${process.env.PATH}`;
const originalPath = process.env.PATH;

function failPacking(on: boolean): void {
  if (on) writeFileSync(failMarker, '');
  else rmSync(failMarker, { force: true });
}

// guardloop's own files in a repository: the loose-object list, claims of packers, the pack lock.
function guardloopFiles(dir: string): string[] {
  return existsSync(join(dir, '.git', 'guardloop')) ? readdirSync(join(dir, '.git', 'guardloop')) : [];
}

function looseCount(dir: string): number {
  return Number(/^count: (\d+)$/m.exec(sh(dir, ['count-objects', '-v']))![1]);
}

beforeAll(() => {
  writeFileSync(
    join(binDir, 'git'),
    `#!/bin/sh\nif [ "$1" = pack-objects ] && [ -e '${failMarker}' ]; then\n  echo 'fatal: simulated pack-objects failure' >&2\n  exit 128\nfi\nexec '${realGit}' "$@"\n`,
  );
  chmodSync(join(binDir, 'git'), 0o755);
  process.env.PATH = wrappedPath;
});

afterAll(() => {
  process.env.PATH = originalPath;
  failPacking(false);
  rmSync(binDir, { recursive: true, force: true });
  cleanupRepos();
});

describe('autopack is housekeeping: its failure never fails a write', () => {
  it('a failing pack-objects leaves the record in the ref, comes back as a warning, leaves no claim, and the next append packs', async () => {
    const dir = makeRepo();
    sh(dir, ['config', 'guardloop.autopack', '1']);
    failPacking(true);
    const repo = await openRepository({ cwd: dir });
    const first = makeRecord(fakeOid('first'));
    const res = await repo.append([first]);
    expect(res.warnings).toHaveLength(1);
    expect(res.warnings[0]).toContain('the record is stored in refs/notes/guardloop');
    expect(res.warnings[0]).toContain('simulated pack-objects failure');
    expect(JSON.parse(sh(dir, ['notes', '--ref', 'guardloop', 'show', fakeOid('first')])).id).toBe(first.id);
    // The append finished its bookkeeping: the journal file is marked stored, nothing pending.
    expect(repo.journal.hasPending()).toBe(false);
    const files = guardloopFiles(dir);
    expect(files.filter((n) => n.startsWith('loose.packing'))).toEqual([]);
    expect(files).not.toContain('pack.lock');
    // The objects went back on the list, still loose.
    expect(readFileSync(join(dir, '.git', 'guardloop', 'loose'), 'utf8').trim().split('\n').length).toBeGreaterThan(0);
    expect(looseCount(dir)).toBeGreaterThan(0);

    failPacking(false);
    const second = makeRecord(fakeOid('second'));
    expect((await repo.append([second])).warnings).toEqual([]);
    await repo.close();
    // Both writes' objects are packed now: nothing loose, no list, no claim, no lock.
    expect(looseCount(dir)).toBe(0);
    expect(guardloopFiles(dir).filter((n) => n.startsWith('loose') || n === 'pack.lock')).toEqual([]);
    const again = await openRepository({ cwd: dir });
    expect((await again.byTree(fakeOid('first'))).map((r) => r.id)).toEqual([first.id]);
    expect((await again.byTree(fakeOid('second'))).map((r) => r.id)).toEqual([second.id]);
    await again.close();
  });

  it('puts back the claim and breaks the pack lock of a packer that died mid-pack, on the next run', async () => {
    const dir = makeRepo();
    sh(dir, ['config', 'guardloop.autopack', '1']);
    const blobs = [1, 2, 3].map((i) => sh(dir, ['hash-object', '-w', '--stdin'], `orphan ${i}\n`));
    // A pid that has exited (and a start token no live process has, should the pid be reused).
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const gl = join(dir, '.git', 'guardloop');
    mkdirSync(gl, { recursive: true });
    writeFileSync(join(gl, `loose.packing-${dead}-0`), `${blobs[0]}\n${blobs[1]}\n`);
    // One from a guardloop that named claims by pid alone.
    writeFileSync(join(gl, `loose.packing-${dead}`), `${blobs[2]}\n`);
    writeFileSync(join(gl, 'pack.lock'), `${dead} 0\n`);
    failPacking(false);
    const repo = await openRepository({ cwd: dir });
    const res = await repo.append([makeRecord(fakeOid('after-crash'))]);
    await repo.close();
    expect(guardloopFiles(dir).filter((n) => n.startsWith('loose') || n === 'pack.lock')).toEqual([]);
    expect(res.warnings).toEqual([]);
    expect(looseCount(dir)).toBe(0);
    for (const [i, b] of blobs.entries()) expect(sh(dir, ['cat-file', '-p', b])).toBe(`orphan ${i + 1}`);
  });

  it('through the CLI: commits under a failing pack-objects are recorded, the chain advances, and a warning is printed', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      // git puts its own exec-path first on a hook's PATH, so the hook puts the wrapper back in front.
      repo.write('.husky/pre-commit', `PATH='${binDir}':"$PATH" guardloop run --hook pre-commit\n`);
      repo.git('config', 'guardloop.autopack', '1');
      repo.config(`guards:\n${guardYaml('no-todo', '! grep -rn TODO src')}`);
      const env = { PATH: wrappedPath };
      failPacking(true);
      repo.write('src/a.js', '// TODO later\n');
      repo.git('add', '-A');
      const rejected = await repo.commit('todo', [], env);
      expect(rejected.code).not.toBe(0);
      expect(rejected.stderr).toContain('REJECTED · recorded');
      expect(rejected.stderr).toContain('simulated pack-objects failure');
      expect(rejected.stderr).not.toContain('could not be recorded');
      const [bad] = notesOf(repo, repo.git('write-tree')) as any[];
      expect(bad).toMatchObject({ status: 'REJECTED' });

      repo.write('src/a.js', 'done\n');
      repo.git('add', '-A');
      const accepted = await repo.commit('good', [], env);
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stderr).toContain('ACCEPTED · recorded');
      expect(accepted.stderr).toContain("warning: the record is stored in refs/notes/guardloop, but packing guardloop's loose objects afterwards failed");
      expect(accepted.stderr).not.toContain('could not be recorded');
      // The rejected attempt was on the chain, so the accepted record links to it.
      const [good] = notesOf(repo, 'HEAD^{tree}') as any[];
      expect(good).toMatchObject({ status: 'ACCEPTED', retry: 1, provenance: [bad.id] });
      expect(guardloopFiles(repo.dir).filter((n) => n.startsWith('loose.packing'))).toEqual([]);

      failPacking(false);
      repo.write('src/b.js', 'more\n');
      repo.git('add', '-A');
      const next = await repo.commit('next', [], env);
      expect(next.code, next.stderr).toBe(0);
      expect(next.stderr).not.toContain('warning:');
      expect(guardloopFiles(repo.dir).filter((n) => n.startsWith('loose') || n === 'pack.lock')).toEqual([]);
    }));
});
