import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRepository } from '../../src/store/repository.js';
import { sync, unionNote } from '../../src/store/sync.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from './helpers.js';

afterAll(cleanupRepos);

function clone(remote: string): string {
  const dir = makeRepo();
  sh(dir, ['remote', 'add', 'origin', remote]);
  return dir;
}

describe('sync', () => {
  it('two clones that each wrote records end with the union in both, pushed without force', async () => {
    const remote = join(mkdtempSync(join(tmpdir(), 'gl-remote-')), 'r.git');
    sh(tmpdir(), ['init', '-q', '--bare', remote]);
    const a = clone(remote);
    const b = clone(remote);
    const ra = await openRepository({ cwd: a });
    const rb = await openRepository({ cwd: b });
    const shared = fakeOid('shared');
    const aRecs = [makeRecord(shared), ...Array.from({ length: 30 }, (_, i) => makeRecord(fakeOid(`a${i}`)))];
    const bRecs = [makeRecord(shared), ...Array.from({ length: 30 }, (_, i) => makeRecord(fakeOid(`b${i}`)))];
    await ra.append(aRecs);
    await rb.append(bRecs);
    const first = await sync(ra, 'origin');
    expect(first.pushed).toBe(true);
    const second = await sync(rb, 'origin');
    expect(second.merged).toBe(aRecs.length);
    expect(second.pushed).toBe(true);
    const third = await sync(ra, 'origin');
    expect(third.merged).toBe(bRecs.length);
    const all = new Set([...aRecs, ...bRecs].map((r) => r.id));
    for (const repo of [ra, rb]) expect(new Set((await repo.log()).map((r) => r.id))).toEqual(all);
    // The note both clones wrote holds both records, once each.
    expect((await ra.byTree(shared)).map((r) => r.id).sort()).toEqual([aRecs[0].id, bRecs[0].id].sort());
    expect(sh(remote, ['rev-parse', 'refs/notes/guardloop'])).toBe(sh(a, ['rev-parse', 'refs/notes/guardloop']));
    expect(sh(a, ['rev-parse', 'refs/notes/remotes/origin/guardloop'])).toBe(sh(a, ['rev-parse', 'refs/notes/guardloop']));
    // Nothing new: a sync changes nothing and pushes nothing.
    expect(await sync(rb, 'origin')).toMatchObject({ merged: 0 });
    // Native git's cat_sort_uniq merge of the same refs is lossless too.
    sh(a, ['fetch', '-q', 'origin', '+refs/notes/guardloop:refs/notes/theirs']);
    expect(sh(a, ['fsck', '--no-progress', '--no-dangling'])).toBe('');
    await ra.close();
    await rb.close();
  });

  it('a push that loses the race to a second pusher starts the cycle again and ends with the union', async () => {
    const remote = join(mkdtempSync(join(tmpdir(), 'gl-remote-')), 'r.git');
    sh(tmpdir(), ['init', '-q', '--bare', remote]);
    const a = clone(remote);
    const b = clone(remote);
    const ra = await openRepository({ cwd: a });
    const rb = await openRepository({ cwd: b });
    const first = makeRecord(fakeOid('first'));
    await ra.append([first]);
    await sync(ra, 'origin');
    await sync(rb, 'origin');
    // B has a record on top of the remote's tip that it hasn't pushed yet; A has one too.
    const fromB = makeRecord(fakeOid('from-b'));
    const fromA = makeRecord(fakeOid('from-a'));
    await rb.append([fromB]);
    await ra.append([fromA]);
    // The remote's pre-receive hook lets B push first, between A's fetch and A's push (once).
    const marker = join(remote, 'raced');
    const hook = join(remote, 'hooks', 'pre-receive');
    writeFileSync(
      hook,
      `#!/bin/sh\ncat >/dev/null\n[ -e "${marker}" ] && exit 0\ntouch "${marker}"\n` +
        `env -i PATH="$PATH" HOME="$HOME" GIT_CONFIG_NOSYSTEM=1 git -C "${b}" push -q origin refs/notes/guardloop:refs/notes/guardloop >&2\n`,
    );
    chmodSync(hook, 0o755);
    const raced = await sync(ra, 'origin');
    expect(existsSync(marker)).toBe(true);
    expect(raced).toMatchObject({ pushed: true, tries: 2, merged: 1 });
    const everything = new Set([first.id, fromA.id, fromB.id]);
    expect(new Set((await ra.log()).map((r) => r.id))).toEqual(everything);
    expect(sh(remote, ['rev-parse', 'refs/notes/guardloop'])).toBe(sh(a, ['rev-parse', 'refs/notes/guardloop']));
    // B's push is an ancestor of what A pushed: nothing was forced over it.
    expect(sh(remote, ['merge-base', '--is-ancestor', sh(b, ['rev-parse', 'refs/notes/guardloop']), 'refs/notes/guardloop'])).toBe('');
    await sync(rb, 'origin');
    expect(new Set((await rb.log()).map((r) => r.id))).toEqual(everything);
    await ra.close();
    await rb.close();
  });

  it('gives up after 3 lost races with SYNC_FAILED, the remote untouched', async () => {
    const remote = join(mkdtempSync(join(tmpdir(), 'gl-remote-')), 'r.git');
    sh(tmpdir(), ['init', '-q', '--bare', remote]);
    const hook = join(remote, 'hooks', 'pre-receive');
    const count = join(remote, 'attempts');
    writeFileSync(hook, `#!/bin/sh\ncat >/dev/null\necho x >> "${count}"\necho "busy: someone else is pushing" >&2\nexit 1\n`);
    chmodSync(hook, 0o755);
    const a = clone(remote);
    const ra = await openRepository({ cwd: a });
    await ra.append([makeRecord(fakeOid('x'))]);
    await expect(sync(ra, 'origin')).rejects.toMatchObject({ code: 'SYNC_FAILED', data: { tries: 3, detail: expect.stringContaining('busy') } });
    expect(sh(remote, ['for-each-ref', 'refs/notes'])).toBe('');
    expect(sh(tmpdir(), ['-C', remote, 'rev-list', '--all']).length).toBe(0);
    await ra.close();
  });

  it('unions note lines by record id, keeping local order and foreign text', () => {
    const r1 = '{"v":1,"id":"aaa","x":1}';
    const r2 = '{"v":1,"id":"bbb","x":2}';
    expect(unionNote(`${r1}\nhello\n`, `${r2}\n${r1}\nhello\nbye\n`)).toBe(`${r1}\nhello\n${r2}\nbye\n`);
  });
});
