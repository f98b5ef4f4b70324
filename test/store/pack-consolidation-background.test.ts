import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFixture } from './fixtures/bundle.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from './helpers.js';
import { fsckClean, openNoGrace, packsOnDisk, registered, storedIds, unconsolidatedPacks } from './pack-helpers.js';

// A roll-up in the background (a detached `git pack-objects`), one killed halfway, a writer killed
// during its own roll-up, and writers racing each other's roll-ups: nothing is lost, nothing is
// deleted before its copy is complete. Each test holds git at a gate: a `git` first on PATH that,
// while the gate's FIFOs exist, writes its pid into `started` and waits on `release` before a
// `pack-objects --stdin-packs` (every other git command runs straight through).

const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
const binDir = mkdtempSync(join(tmpdir(), 'gl-packgate-'));
const originalPath = process.env.PATH;
let writer = '';

beforeAll(async () => {
  writeFileSync(
    join(binDir, 'git'),
    `#!/bin/sh\ncase " $* " in\n  *" --stdin-packs "*)\n    gate="$GL_PACK_GATE"\n    if [ -n "$gate" ] && [ -p "$gate/started" ]; then\n      echo $$ > "$gate/started"\n      cat "$gate/release" > /dev/null\n      if [ -p "$gate/ended" ]; then\n        '${realGit}' "$@"\n        code=$?\n        echo $code > "$gate/ended"\n        exit $code\n      fi\n    fi ;;\nesac\nexec '${realGit}' "$@"\n`,
  );
  chmodSync(join(binDir, 'git'), 0o755);
  process.env.PATH = `${binDir}:${originalPath}`;
  writer = await bundleFixture(join(import.meta.dirname, 'fixtures', 'pack-writer.ts'));
});

afterAll(() => {
  process.env.PATH = originalPath;
  delete process.env.GL_PACK_GATE;
  rmSync(binDir, { recursive: true, force: true });
  cleanupRepos();
});

// A gate for the next roll-up: `started` gives git's pid once it waits; `release` lets it go on (its
// `cat` opens the FIFO right after `started` was read, and a FIFO opened for writing waits for its
// reader) and removes the gate; `close` only removes it (later roll-ups run straight through).
// With `ended`, git runs under the gate's shell, which then reports git's exit code on `ended`
// (and the gate stays until that was read).
function gate(opts: { ended?: boolean } = {}): { started: () => Promise<number>; release: () => Promise<void>; ended: () => Promise<number>; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'gl-gate-'));
  execFileSync('mkfifo', [join(dir, 'started'), join(dir, 'release'), ...(opts.ended ? [join(dir, 'ended')] : [])]);
  process.env.GL_PACK_GATE = dir;
  const close = () => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.GL_PACK_GATE;
  };
  return {
    started: async () => Number((await readFile(join(dir, 'started'), 'utf8')).trim()),
    release: async () => {
      await writeFile(join(dir, 'release'), '');
      if (opts.ended) delete process.env.GL_PACK_GATE;
      else close();
    },
    ended: async () => {
      const code = Number((await readFile(join(dir, 'ended'), 'utf8')).trim());
      close();
      return code;
    },
    close,
  };
}

function rollupFiles(dir: string): string[] {
  return ['rollup.json', 'rollup.in', 'rollup.out', 'rollup.err'].filter((f) => existsSync(join(dir, '.git', 'guardloop', f)));
}

describe('a roll-up in the background', () => {
  it('runs while writes go on, starts no second one, and is finished by the next pass once git ends', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'bg', 3);
    const g = gate();
    const repo = await openNoGrace(dir);
    const started = await repo.packs.consolidate({ background: true });
    expect(started.background).toBe(true);
    expect(started.rolled).toHaveLength(3);
    expect(started.into).toBeNull();
    const pid = await g.started();
    // git waits at the gate: its state names it, every pack is still there.
    const state = JSON.parse(readFileSync(join(dir, '.git', 'guardloop', 'rollup.json'), 'utf8'));
    expect(state.pid).toBe(pid);
    expect([...state.inputs].sort()).toEqual([...started.rolled].sort());
    const other = await openNoGrace(dir);
    const meanwhile = makeRecord(fakeOid('meanwhile'));
    expect((await other.append([meanwhile])).warnings).toEqual([]);
    expect((await other.packs.consolidate()).rolled).toEqual([]);
    await other.close();
    for (const h of started.rolled) expect(packsOnDisk(dir)).toContain(h);

    await g.release();
    const done = await repo.packs.settle();
    expect(done.into).toMatch(/^[0-9a-f]{40}$/);
    expect([...done.rolled].sort()).toEqual([...started.rolled].sort());
    expect(registered(dir).has(done.into!)).toBe(true);
    expect(rollupFiles(dir)).toEqual([]);
    // A grace period of 0: the pass that finished the roll-up deleted what it replaced.
    expect([...done.deleted].sort()).toEqual([...started.rolled].sort());
    for (const h of started.rolled) expect(packsOnDisk(dir)).not.toContain(h);
    await repo.close();
    expect(storedIds(dir)).toEqual(new Set([...ids, meanwhile.id]));
    expect(fsckClean(dir)).toBe('');
  });

  it('killed halfway: the next pass says so, deletes nothing and clears its files; the roll-up after it works', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'kill', 3);
    const before = packsOnDisk(dir).sort();
    const g = gate();
    const repo = await openNoGrace(dir);
    expect((await repo.packs.consolidate({ background: true })).background).toBe(true);
    const pid = await g.started();
    // git's whole process group (the detached roll-up leads its own).
    process.kill(-pid, 'SIGKILL');
    g.close();
    const after = await repo.packs.settle();
    expect(after.into).toBeNull();
    expect(after.warnings).toHaveLength(1);
    expect(after.warnings[0]).toContain('background consolidation of guardloop');
    expect(after.warnings[0]).toContain('no pack was removed');
    expect(rollupFiles(dir)).toEqual([]);
    expect(packsOnDisk(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, '.git', 'guardloop', 'packs.superseded'))).toBe(false);
    const again = await repo.packs.consolidate();
    expect(again.into).toMatch(/^[0-9a-f]{40}$/);
    await repo.packs.consolidate();
    await repo.close();
    expect(packsOnDisk(dir).length).toBeLessThan(before.length);
    expect(storedIds(dir)).toEqual(new Set(ids));
    expect(fsckClean(dir)).toBe('');
  });
});

function runWriter(dir: string, count: number, label: string, opts: object, detached = false): { pid: number; done: Promise<{ ids: string[]; stderr: string }> } {
  const child = spawn(process.execPath, [writer, dir, String(count), label, '1', JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'], detached });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b));
  child.stderr.on('data', (b: Buffer) => (err += b));
  const done = new Promise<{ ids: string[]; stderr: string }>((resolve, reject) =>
    child.on('close', (code, signal) => (code === 0 || signal ? resolve({ ids: out.split('\n').filter(Boolean), stderr: err }) : reject(new Error(`writer ${label} exit ${code}: ${err}`)))),
  );
  return { pid: child.pid!, done };
}

describe('a writer killed during its roll-up', () => {
  it('(its git killed too) leaves its record stored and every pack in place; the next pass breaks its lock and rolls up', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'wk', 2);
    sh(dir, ['config', 'guardloop.autopack', '1']);
    const before = packsOnDisk(dir);
    const g = gate();
    // Its append packs its loose objects, which makes three similar packs: a roll-up in the foreground.
    const w = runWriter(dir, 1, 'victim', { graceMs: 0 }, true);
    const gitPid = await g.started();
    // The writer's process group, and git's (a roll-up's git leads a session of its own).
    process.kill(-w.pid, 'SIGKILL');
    process.kill(-gitPid, 'SIGKILL');
    await w.done;
    g.close();
    expect(existsSync(join(dir, '.git', 'guardloop', 'pack.lock'))).toBe(true);
    for (const h of before) expect(packsOnDisk(dir)).toContain(h);
    const victim = JSON.parse(sh(dir, ['notes', '--ref=guardloop', 'show', fakeOid('victim-0-0')]));
    const repo = await openNoGrace(dir);
    const done = await repo.packs.consolidate();
    expect(done.into).toMatch(/^[0-9a-f]{40}$/);
    expect(done.rolled).toHaveLength(3);
    await repo.packs.consolidate();
    await repo.close();
    expect(existsSync(join(dir, '.git', 'guardloop', 'pack.lock'))).toBe(false);
    expect(storedIds(dir)).toEqual(new Set([...ids, victim.id]));
    expect(fsckClean(dir)).toBe('');
  });
});

describe('a writer killed while the git of its roll-up goes on', () => {
  it('(SIGKILL to the writer alone, as a hook runner timing out does) the pack git then writes is registered by the next pass: no pack is left that guardloop does not know', async () => {
    const dir = makeRepo();
    const ids = await unconsolidatedPacks(dir, 'orphan', 2);
    sh(dir, ['config', 'guardloop.autopack', '1']);
    const before = packsOnDisk(dir);
    const g = gate({ ended: true });
    // Its append packs its loose objects, which makes three similar packs: a roll-up in the foreground.
    const w = runWriter(dir, 1, 'victim', { graceMs: 0 });
    await g.started();
    process.kill(w.pid, 'SIGKILL');
    await w.done;
    await g.release();
    expect(await g.ended()).toBe(0);
    const written = packsOnDisk(dir).filter((h) => !before.includes(h) && !registered(dir).has(h));
    // git wrote the roll-up's pack after its writer was gone; nobody registered it yet.
    expect(written).toHaveLength(1);
    const victim = JSON.parse(sh(dir, ['notes', '--ref=guardloop', 'show', fakeOid('victim-0-0')]));
    const repo = await openNoGrace(dir);
    const done = await repo.packs.consolidate();
    expect(done.into).toBe(written[0]);
    expect(done.rolled).toHaveLength(3);
    expect(done.warnings).toEqual([]);
    await repo.packs.consolidate();
    await repo.close();
    expect(rollupFiles(dir)).toEqual([]);
    for (const h of packsOnDisk(dir)) expect(registered(dir).has(h)).toBe(true);
    expect(packsOnDisk(dir)).toEqual([written[0]]);
    expect(storedIds(dir)).toEqual(new Set([...ids, victim.id]));
    expect(fsckClean(dir)).toBe('');
  });
});

describe('writers racing each other’s roll-ups', () => {
  for (const [where, opts] of [['in the background', { graceMs: 0, foregroundMaxBytes: 0 }], ['while each write waits', { graceMs: 0 }]] as const) {
    it(`4 processes × 12 appends, every write packed and every roll-up ${where}: all records, fsck clean, few packs, only registered ones`, async () => {
      const dir = makeRepo();
      sh(dir, ['config', 'guardloop.autopack', '1']);
      const results = await Promise.all(Array.from({ length: 4 }, (_, i) => runWriter(dir, 12, `race${i}`, opts).done));
      for (const r of results) expect(r.stderr).not.toContain('warning');
      const ids = results.flatMap((r) => r.ids);
      expect(ids).toHaveLength(48);
      // Every writer waited for the roll-up it started; one more pass finishes what another started.
      const repo = await openNoGrace(dir);
      await repo.packs.consolidate();
      await repo.packs.settle();
      await repo.packs.consolidate();
      await repo.close();
      expect(rollupFiles(dir)).toEqual([]);
      expect(existsSync(join(dir, '.git', 'guardloop', 'pack.lock'))).toBe(false);
      for (const h of packsOnDisk(dir)) expect(registered(dir).has(h)).toBe(true);
      expect(packsOnDisk(dir).length).toBeLessThanOrEqual(8);
      expect(storedIds(dir)).toEqual(new Set(ids));
      expect(fsckClean(dir)).toBe('');
    }, 120_000);
  }
});
