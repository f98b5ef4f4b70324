import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src/cli/command.js';
import logCommand from '../../src/cli/commands/log.js';
import showCommand from '../../src/cli/commands/show.js';
import doctorCommand from '../../src/cli/commands/doctor.js';
import syncCommand from '../../src/cli/commands/sync.js';
import { openRepository } from '../../src/store/repository.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from './helpers.js';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

afterAll(cleanupRepos);

async function runCommand(cmd: Command, cwd: string, values: Record<string, string | boolean> = {}, positionals: string[] = []) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b));
  stderr.on('data', (b: Buffer) => (err += b));
  const code = await cmd.run({ values, positionals, cwd, stdin: new PassThrough(), stdout, stderr, env: process.env });
  return { code, out, err };
}

describe('CLI: log, show, doctor, sync', () => {
  it('log filters and prints JSON lines; show takes an id or a revision; bad options exit 2 with the fix', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    const a = makeRecord(fakeOid(1), { ts: '2026-02-01T00:00:00.000Z', status: 'REJECTED', reward: -1, verdicts: [{ guard: 'lint', status: 'fail', exit: 1, ms: 3, feedback: 'no-unused-vars' }] });
    const b = makeRecord(fakeOid(2), { ts: '2026-02-02T00:00:00.000Z', source: 'GENERATOR', agent: 'claude', hook: 'stop' });
    await repo.append([a, b]);
    const all = await runCommand(logCommand, dir);
    expect(all.code).toBe(0);
    expect(all.out.split('\n')[0]).toContain(b.id.slice(0, 12));
    expect(all.out).toContain('lint:fail');
    const json = await runCommand(logCommand, dir, { json: true, status: 'rejected' });
    expect(json.out.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual([a.id]);
    expect((await runCommand(logCommand, dir, { json: true, source: 'GENERATOR', hook: 'stop', limit: '5', since: '2026-02-02' })).out.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual([b.id]);
    const bad = await runCommand(logCommand, dir, { limit: 'ten' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('guardloop log --limit 20');
    const shown = await runCommand(showCommand, dir, {}, [a.id.slice(0, 8)]);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`record ${a.id}`);
    expect(shown.out).toContain('no-unused-vars');
    const missing = await runCommand(showCommand, dir, {}, ['nope']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('guardloop log');
    await repo.close();
  });

  it('doctor lists bad notes and a stale lock with their fixes, and --unlock clears only a stale lock', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    await repo.append([makeRecord(fakeOid(1))]);
    sh(dir, ['notes', '--ref=guardloop', 'add', '-m', 'hello from a human', fakeOid('human')]);
    const report = await runCommand(doctorCommand, dir);
    expect(report.code).toBe(1);
    expect(report.out).toContain(`git notes --ref=guardloop show ${fakeOid('human')}`);
    expect(report.out).toContain('git config notes.guardloop.mergeStrategy cat_sort_uniq');
    // A lock left by a guardloop process that no longer runs (pid 999999 is not a running process).
    const lockPath = join(dir, '.git', 'refs', 'notes', 'guardloop.lock');
    writeFileSync(lockPath, `guardloop pid=999999 host=${(await import('node:os')).hostname()} t=0\n`);
    const locked = await runCommand(doctorCommand, dir, { json: true });
    expect(JSON.parse(locked.out).lock).toMatchObject({ pid: 999999, dead: true, stale: true });
    // A writer meets the dead holder's lock and takes it away itself: no manual step.
    await repo.append([makeRecord(fakeOid(2))]);
    expect(existsSync(lockPath)).toBe(false);
    const after = await openRepository({ cwd: dir });
    expect(await after.byTree(fakeOid(2))).toHaveLength(1);
    // `doctor --unlock` clears a dead holder's lock too.
    writeFileSync(lockPath, `guardloop pid=999999 host=${(await import('node:os')).hostname()} t=0\n`);
    const cleared = await runCommand(doctorCommand, dir, { unlock: true });
    expect(cleared.err).toContain('removed the stale lock');
    expect(existsSync(lockPath)).toBe(false);
    // A live holder (this process) is never removed.
    writeFileSync(lockPath, `guardloop pid=${process.pid} host=${(await import('node:os')).hostname()} t=0\n`);
    const kept = await runCommand(doctorCommand, dir, { unlock: true });
    expect(kept.code).toBe(1);
    expect(kept.err).toContain('still running');
    await repo.close();
    await after.close();
  });

  it('sync without a remote says how to add one', async () => {
    const dir = makeRepo();
    const r = await runCommand(syncCommand, dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('git remote add origin');
  });
});
