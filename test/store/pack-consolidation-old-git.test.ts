import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRepos, fakeOid, makeRecord, makeRepo } from './helpers.js';
import { openNoGrace, packsOnDisk, storedIds, unconsolidatedPacks } from './pack-helpers.js';

// guardloop runs on git ≥ 2.30; `pack-objects --stdin-packs` came with 2.32. A `git` first on PATH
// that says it is 2.31 (and runs the real git for everything else): consolidation leaves the packs
// as they are, with no warning on any write. (A file of its own: git's version is asked once per process.)

const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
const binDir = mkdtempSync(join(tmpdir(), 'gl-oldgit-'));
const originalPath = process.env.PATH;

beforeAll(() => {
  writeFileSync(join(binDir, 'git'), `#!/bin/sh\nif [ "$1" = version ]; then echo 'git version 2.31.0'; exit 0; fi\nexec '${realGit}' "$@"\n`);
  chmodSync(join(binDir, 'git'), 0o755);
  process.env.PATH = `${binDir}:${originalPath}`;
});

afterAll(() => {
  process.env.PATH = originalPath;
  rmSync(binDir, { recursive: true, force: true });
  cleanupRepos();
});

describe('a git older than 2.32', () => {
  it('rolls nothing up and warns about nothing; the records are all there', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'old', 3);
    const repo = await openNoGrace(dir);
    const more = makeRecord(fakeOid('old-more'));
    const big = Array.from({ length: 120 }, (_, i) => makeRecord(fakeOid(`old-big-${i}`)));
    expect((await repo.append(big)).warnings).toEqual([]);
    expect((await repo.append([more])).warnings).toEqual([]);
    expect((await repo.packs.consolidate()).rolled).toEqual([]);
    await repo.close();
    expect(packsOnDisk(dir)).toHaveLength(4);
    expect(storedIds(dir)).toEqual(new Set([...ids, ...big.map((r) => r.id), more.id]));
  });
});
