import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { fakeOid, makeRecord } from './helpers.js';

// ℛ in a partial clone (`git clone --filter=blob:none` of a local bare repository): the notes ref is
// fetched without its blobs, and every read goes through git, which fetches a missing blob from the
// promisor remote when it is asked for (a local path: nothing reaches the network).

const work = mkdtempSync(join(tmpdir(), 'gl-partial-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }).trim();
}

// Objects the notes ref reaches that this repository doesn't have (git prints them as `?<oid>`).
function missing(cwd: string): string[] {
  return git(cwd, 'rev-list', '--objects', '--missing=print', 'refs/notes/guardloop').split('\n').filter((l) => l.startsWith('?'));
}

// A bare origin that allows filters, and a clone of it with one commit pushed: where records are
// written before a partial clone fetches them.
function originWithWriter(name: string): { origin: string; writer: string } {
  const origin = join(work, `${name}.git`);
  git(work, 'init', '-q', '--bare', origin);
  git(origin, 'config', 'uploadpack.allowFilter', 'true');
  const writer = join(work, `${name}-writer`);
  git(work, 'clone', '-q', `file://${origin}`, writer);
  for (const [k, v] of [['user.name', 'W'], ['user.email', 'w@example.com'], ['gc.auto', '0']]) git(writer, 'config', k, v);
  git(writer, 'commit', '-q', '--allow-empty', '-m', 'start');
  git(writer, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
  return { origin, writer };
}

describe('a partial clone (blob:none)', () => {
  it('records written in the origin and fetched with the notes ref are read, their blobs fetched lazily by git; an append there works and pushes back', async () => {
    const { origin, writer } = originWithWriter('origin');
    const recs = Array.from({ length: 30 }, (_, i) => makeRecord(fakeOid(`p${i}`)));
    const w = await openRepository({ cwd: writer });
    await w.append(recs.slice(0, 20));
    await w.append(recs.slice(20));
    await w.close();
    git(writer, 'push', '-q', 'origin', 'refs/notes/guardloop:refs/notes/guardloop');

    const clone = join(work, 'clone');
    git(work, 'clone', '-q', '--filter=blob:none', '--no-checkout', `file://${origin}`, clone);
    for (const [k, v] of [['user.name', 'C'], ['user.email', 'c@example.com'], ['gc.auto', '0']]) git(clone, 'config', k, v);
    git(clone, 'fetch', '-q', 'origin', 'refs/notes/guardloop:refs/notes/guardloop');
    expect(git(clone, 'config', 'remote.origin.promisor')).toBe('true');
    // The note blobs are not here yet.
    expect(missing(clone).length).toBeGreaterThanOrEqual(30);

    const r = await openRepository({ cwd: clone });
    expect((await r.byTree(recs[7].tree)).map((x) => x.id)).toEqual([recs[7].id]);
    expect(new Set((await r.log()).map((x) => x.id))).toEqual(new Set(recs.map((x) => x.id)));
    expect(r.warnings()).toEqual([]);
    // An append on a tree that already has a note reads that note's blob first (fetched too).
    const again = makeRecord(recs[3].tree);
    const fresh = makeRecord(fakeOid('clone'));
    await r.append([again, fresh]);
    expect((await r.byTree(recs[3].tree)).map((x) => x.id)).toEqual([recs[3].id, again.id]);
    await r.close();
    expect(missing(clone)).toEqual([]);
    git(clone, 'push', '-q', 'origin', 'refs/notes/guardloop:refs/notes/guardloop');
    expect(git(origin, 'notes', '--ref=guardloop', 'list')).toContain(git(clone, 'notes', '--ref=guardloop', 'list', fakeOid('clone')));
  });
});

describe('a partial clone whose promisor remote is gone', () => {
  it('a read of a blob git cannot fetch is a git failure naming the remote, not a damaged repository', async () => {
    const { origin, writer } = originWithWriter('gone');
    const rec = makeRecord(fakeOid('gone'));
    const w = await openRepository({ cwd: writer });
    await w.append([rec]);
    await w.close();
    git(writer, 'push', '-q', 'origin', 'refs/notes/guardloop:refs/notes/guardloop');
    const clone = join(work, 'gone-clone');
    git(work, 'clone', '-q', '--filter=blob:none', '--no-checkout', `file://${origin}`, clone);
    git(clone, 'fetch', '-q', 'origin', 'refs/notes/guardloop:refs/notes/guardloop');
    rmSync(origin, { recursive: true, force: true });
    const r = await openRepository({ cwd: clone });
    const err = await r.byTree(rec.tree).then(() => null, (e: unknown) => e as { code?: string; message?: string });
    await r.close();
    expect(err?.code).toBe('GIT_FAILED');
    expect(err?.message).toMatch(/promisor|could not fetch|does not appear to be a git repository/i);
  });
});
