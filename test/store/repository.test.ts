import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { AmbiguousRecordError } from '../../src/errors/ambiguous-record-error.js';
import { RecordNotFoundError } from '../../src/errors/record-not-found-error.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from './helpers.js';

afterAll(cleanupRepos);

function commitFile(dir: string, name: string, content: string): { commit: string; tree: string } {
  execFileSync('sh', ['-c', `printf '%s' "$1" > "$2" && git add "$2" && git commit -q -m "$2"`, 'sh', content, name], { cwd: dir });
  return { commit: sh(dir, ['rev-parse', 'HEAD']), tree: sh(dir, ['rev-parse', 'HEAD^{tree}']) };
}

describe('openRepository', () => {
  it('stores one JSON line per record in the note of its tree, readable with plain git', async () => {
    const dir = makeRepo();
    const { tree } = commitFile(dir, 'a.txt', 'a');
    const repo = await openRepository({ cwd: dir });
    const rejected = makeRecord(tree, { status: 'REJECTED', reward: -1 });
    const accepted = makeRecord(tree, { provenance: [rejected.id], retry: 1 });
    await repo.append([rejected]);
    await repo.append([accepted, rejected]);
    const lines = sh(dir, ['notes', '--ref=guardloop', 'show', 'HEAD^{tree}']).split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ v: 1, id: rejected.id, status: 'REJECTED' });
    expect(lines[1].startsWith(`{"v":1,"id":"${accepted.id}"`)).toBe(true);
    expect((await repo.byTree(tree)).map((r) => r.id)).toEqual([rejected.id, accepted.id]);
    // The notes commit is signed by the user, and the reflog records it as git would.
    expect(sh(dir, ['log', '-1', '--format=%an <%ae>|%cn', 'refs/notes/guardloop'])).toBe('Test User <test@example.com>|Test User');
    expect(sh(dir, ['reflog', 'show', '--format=%gs', 'refs/notes/guardloop']).split('\n')).toHaveLength(2);
    await repo.close();
  });

  it('falls back to a guardloop identity when user.name and user.email are unset', async () => {
    const dir = makeRepo({ identity: false });
    const repo = await openRepository({ cwd: dir });
    const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir };
    const saved = { HOME: process.env.HOME, XDG: process.env.XDG_CONFIG_HOME, EMAIL: process.env.EMAIL };
    process.env.HOME = dir;
    process.env.XDG_CONFIG_HOME = dir;
    delete process.env.EMAIL;
    try {
      const isolated = await openRepository({ cwd: dir });
      await isolated.append([makeRecord(fakeOid(1))]);
      const author = execFileSync('git', ['log', '-1', '--format=%an|%ae', 'refs/notes/guardloop'], { cwd: dir, env, encoding: 'utf8' }).trim();
      expect(author).toMatch(/^guardloop.*\|guardloop@/);
    } finally {
      process.env.HOME = saved.HOME;
      if (saved.XDG === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved.XDG;
      if (saved.EMAIL !== undefined) process.env.EMAIL = saved.EMAIL;
    }
    await repo.close();
  });

  it('logs newest first with filters, and shows by id, id prefix or revision', async () => {
    const dir = makeRepo();
    const first = commitFile(dir, 'a.txt', 'a');
    const second = commitFile(dir, 'b.txt', 'b');
    const repo = await openRepository({ cwd: dir });
    const r1 = makeRecord(first.tree, { ts: '2026-01-01T00:00:00.000Z', hook: 'pre-commit', source: 'HUMAN', status: 'REJECTED', reward: -1 });
    const r2 = makeRecord(first.tree, { ts: '2026-01-02T00:00:00.000Z', hook: 'stop', source: 'GENERATOR', agent: 'claude' });
    const r3 = makeRecord(second.tree, { ts: '2026-01-03T00:00:00.000Z', hook: 'run' });
    await repo.append([r1, r2, r3]);
    expect((await repo.log()).map((r) => r.id)).toEqual([r3.id, r2.id, r1.id]);
    expect((await repo.log({ status: 'REJECTED' })).map((r) => r.id)).toEqual([r1.id]);
    expect((await repo.log({ source: 'GENERATOR' })).map((r) => r.id)).toEqual([r2.id]);
    expect((await repo.log({ hook: 'run' })).map((r) => r.id)).toEqual([r3.id]);
    expect((await repo.log({ since: new Date('2026-01-02T00:00:00Z') })).map((r) => r.id)).toEqual([r3.id, r2.id]);
    expect((await repo.log({ limit: 1 })).map((r) => r.id)).toEqual([r3.id]);
    expect((await repo.show(r2.id)).map((r) => r.id)).toEqual([r2.id]);
    expect((await repo.show(r2.id.slice(0, 10))).map((r) => r.id)).toEqual([r2.id]);
    expect((await repo.show('HEAD')).map((r) => r.id)).toEqual([r3.id]);
    expect((await repo.show('HEAD~1')).map((r) => r.id)).toEqual([r1.id, r2.id]);
    await expect(repo.show('no-such-thing')).rejects.toBeInstanceOf(RecordNotFoundError);
    await expect(repo.show('--output=/tmp/x')).rejects.toBeInstanceOf(RecordNotFoundError);
    await repo.close();
  });

  it('reports an id prefix shared by several records as ambiguous', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    const recs = Array.from({ length: 40 }, (_, i) => makeRecord(fakeOid(i)));
    await repo.append(recs);
    const byFirst = new Map<string, number>();
    for (const r of recs) byFirst.set(r.id.slice(0, 1), (byFirst.get(r.id.slice(0, 1)) ?? 0) + 1);
    const shared = [...byFirst].find(([, n]) => n > 1)![0];
    // One hex digit is below the 4-character minimum of a prefix: pad with the shared start of two ids.
    const two = recs.filter((r) => r.id.startsWith(shared)).map((r) => r.id);
    let common = '';
    while (two[0][common.length] === two[1][common.length]) common += two[0][common.length];
    if (common.length >= 4) await expect(repo.show(common)).rejects.toBeInstanceOf(AmbiguousRecordError);
    await repo.close();
  });

  it('skips bad lines with a warning naming the object, and never crashes', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    const good = makeRecord(fakeOid('good'));
    await repo.append([good]);
    const future = JSON.stringify({ ...makeRecord(fakeOid('good')), v: 2 });
    const invalid = JSON.stringify({ v: 1, id: 'x', status: 'MAYBE' });
    const note = `${sh(dir, ['notes', '--ref=guardloop', 'show', fakeOid('good')])}\nnot json at all\n${future}\n${invalid}\n`;
    const blob = sh(dir, ['hash-object', '-w', '--stdin'], note);
    sh(dir, ['notes', '--ref=guardloop', 'add', '-f', '-C', blob, fakeOid('good')]);
    sh(dir, ['notes', '--ref=guardloop', 'add', '-m', 'plain text someone added', fakeOid('plain')]);
    const reread = await openRepository({ cwd: dir });
    expect((await reread.log()).map((r) => r.id)).toEqual([good.id]);
    const reasons = reread.warnings().map((w) => `${w.object.slice(0, 8)}:${w.reason}`).sort();
    expect(reasons).toEqual([`${fakeOid('good').slice(0, 8)}:future-version`, `${fakeOid('good').slice(0, 8)}:invalid`, `${fakeOid('good').slice(0, 8)}:not-json`, `${fakeOid('plain').slice(0, 8)}:not-json`].sort());
    // Appending to a note with bad lines keeps them.
    await reread.append([makeRecord(fakeOid('good'))]);
    expect(sh(dir, ['notes', '--ref=guardloop', 'show', fakeOid('good')])).toContain('not json at all');
    await repo.close();
    await reread.close();
  });

  it('reads notes from packs after git gc (deltified trees and blobs)', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    const recs = Array.from({ length: 150 }, (_, i) => makeRecord(fakeOid(i)));
    for (let i = 0; i < recs.length; i += 10) await repo.append(recs.slice(i, i + 10));
    sh(dir, ['gc', '-q', '--aggressive']);
    expect(sh(dir, ['count-objects', '-v']).split('\n').find((l) => l.startsWith('count:'))).toBe('count: 0');
    const packed = await openRepository({ cwd: dir });
    expect(new Set((await packed.log()).map((r) => r.id))).toEqual(new Set(recs.map((r) => r.id)));
    await packed.append([makeRecord(fakeOid(3))]);
    expect(await packed.byTree(fakeOid(3))).toHaveLength(2);
    expect(packed.warnings()).toEqual([]);
    expect(sh(dir, ['fsck', '--no-progress', '--no-dangling'])).toBe('');
    await repo.close();
    await packed.close();
  });

  it('works in a linked worktree (ref and journal in the common dir)', async () => {
    const dir = makeRepo();
    commitFile(dir, 'a.txt', 'a');
    const wt = `${dir}-wt`;
    sh(dir, ['worktree', 'add', '-q', wt]);
    const repo = await openRepository({ cwd: wt });
    const r = makeRecord(sh(wt, ['rev-parse', 'HEAD^{tree}']));
    await repo.append([r]);
    expect(sh(dir, ['notes', '--ref=guardloop', 'show', 'HEAD^{tree}'])).toContain(r.id);
    await repo.close();
    execFileSync('rm', ['-rf', wt]);
  });
});
