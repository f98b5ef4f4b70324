import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from './helpers.js';

afterAll(cleanupRepos);

// Targets that force fanout at the root (random ids) and two levels deep (ids sharing 'ab', then every third digit twice).
function targets(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 90; i++) out.push(fakeOid(i));
  for (let n = 0; n < 16; n++) for (let k = 0; k < 3; k++) out.push(`ab${n.toString(16)}${fakeOid(`${n}-${k}`).slice(3)}`);
  return out;
}

describe('notes layout', () => {
  it('lays notes out exactly as native git does, flat and with fanout at two levels', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir, ref: 'refs/notes/ours' });
    const all = targets();
    const checkpoints = new Set([0, 10, 40, 80, 100, 120, all.length - 1]);
    for (let i = 0; i < all.length; i++) {
      const content = `note ${i}\n`;
      const blob = sh(dir, ['hash-object', '-w', '--stdin'], content);
      execFileSync('git', ['notes', '--ref=native', 'add', '-C', blob, all[i]], { cwd: dir });
      await repo.notes.update(async () => ({ notes: new Map([[all[i], Buffer.from(content)]]), message: 'test' }));
      if (checkpoints.has(i)) expect(sh(dir, ['rev-parse', 'refs/notes/ours^{tree}']), `tree after ${i + 1} notes`).toBe(sh(dir, ['rev-parse', 'refs/notes/native^{tree}']));
    }
    const paths = sh(dir, ['ls-tree', '-r', '--name-only', 'refs/notes/ours']).split('\n');
    expect(paths.some((p) => /^ab\/[0-9a-f]{2}\/[0-9a-f]{36}$/.test(p))).toBe(true);
    expect(paths.some((p) => /^[0-9a-f]{2}\/[0-9a-f]{38}$/.test(p))).toBe(true);
    // Native git reads every note of guardloop's ref.
    expect(sh(dir, ['notes', '--ref=ours', 'list']).split('\n')).toHaveLength(all.length);
    expect(sh(dir, ['notes', '--ref=ours', 'show', all[100]])).toBe('note 100');
    await repo.close();
  });

  it('keeps every record readable after native git adds, appends and re-lays the ref out', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    const recs = Array.from({ length: 70 }, (_, i) => makeRecord(fakeOid(`t${i}`)));
    for (const r of recs.slice(0, 20)) await repo.append([r]);
    // Native writes: a new note (which makes git re-lay the tree out) and an append on one of ours.
    for (let i = 0; i < 60; i++) execFileSync('git', ['notes', '--ref=guardloop', 'add', '-m', `native ${i}`, fakeOid(`n${i}`)], { cwd: dir });
    execFileSync('git', ['notes', '--ref=guardloop', 'append', '-m', 'a human comment', recs[3].tree], { cwd: dir });
    for (const r of recs.slice(20)) await repo.append([r]);
    const reopened = await openRepository({ cwd: dir });
    const ids = new Set((await reopened.log()).map((r) => r.id));
    for (const r of recs) expect(ids.has(r.id)).toBe(true);
    expect(await reopened.byTree(recs[3].tree)).toHaveLength(1);
    // The human comment and the native notes are skipped with a warning naming the object.
    expect(reopened.warnings().map((w) => w.object)).toContain(recs[3].tree);
    expect(reopened.warnings().every((w) => w.reason === 'not-json')).toBe(true);
    // The native text is still there for git.
    expect(sh(dir, ['notes', '--ref=guardloop', 'show', recs[3].tree])).toContain('a human comment');
    expect(sh(dir, ['fsck', '--no-progress', '--no-dangling'])).toBe('');
    await repo.close();
    await reopened.close();
  });
});
