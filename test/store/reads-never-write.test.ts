import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { fakeOid, makeRecord } from './helpers.js';

// Reads never write: `guardloop log` and `show` on a repository whose journal holds records the ref
// lacks (dropped by a racing native writer, or an append killed before it stored them) leave the
// ref, its log, the objects and the journal byte for byte as they were; records that reached the ref
// once are shown from the journal, and the next write stores all of them.

const REF = 'refs/notes/guardloop';

// Every file under `dir` with its bytes and mtime (a rename or a touch counts as a change).
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const st = statSync(path);
    out[name] = st.isDirectory() ? 'dir' : `${st.mtimeMs} ${readFileSync(path).toString('base64')}`;
  }
  return out;
}

function state(repo: TestRepo): unknown {
  const git = join(repo.dir, '.git');
  return {
    ref: repo.git('rev-parse', REF),
    refs: snapshot(join(git, 'refs')),
    logs: snapshot(join(git, 'logs')),
    objects: snapshot(join(git, 'objects')),
    guardloop: snapshot(join(git, 'guardloop')),
  };
}

describe('reads never write', () => {
  it('log and show with unreplayed journal entries leave refs/notes/guardloop, its reflog, the objects and the journal dir byte-identical', () =>
    withGitRepo(async (repo) => {
      // a is on a tree git can resolve (the empty tree), so `show <tree>` finds it as a revision.
      const [a, b, c] = [makeRecord(repo.git('write-tree')), makeRecord(fakeOid(2)), makeRecord(fakeOid(3))];
      const store = await openRepository({ cwd: repo.dir });
      await store.append([a]);
      const first = repo.git('rev-parse', REF);
      await store.append([b]);
      // An append that journaled c and was killed before it reached the ref.
      store.journal.write([{ tree: c.tree, id: c.id, line: JSON.stringify(c) }]);
      await store.close();
      // A native writer dropped b's notes commit.
      repo.git('update-ref', REF, first);
      // A temp file a killed writer left an hour ago (a write-side command would remove it).
      const leftover = join(repo.dir, '.git', 'guardloop', 'journal', '.tmp-leftover');
      writeFileSync(leftover, 'partial');
      utimesSync(leftover, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000));
      const before = state(repo);

      const log = await repo.cli(['log']);
      expect(log.code, log.stderr).toBe(0);
      // b reached the ref once (it is shown from the journal); c never did (it is not recorded yet).
      for (const r of [a, b]) expect(log.stdout).toContain(r.id.slice(0, 12));
      expect(log.stdout).not.toContain(c.id.slice(0, 12));
      const json = await repo.cli(['log', '--json']);
      expect(json.code, json.stderr).toBe(0);
      const shown = await repo.cli(['show', b.id.slice(0, 10)]);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`record ${b.id}`);
      const byRev = await repo.cli(['show', a.tree]);
      expect(byRev.code, byRev.stderr).toBe(0);
      expect(byRev.stdout).toContain(`record ${a.id}`);

      const reader = await openRepository({ cwd: repo.dir });
      expect((await reader.byTree(b.tree)).map((r) => r.id)).toEqual([b.id]);
      expect(new Set((await reader.log()).map((r) => r.id))).toEqual(new Set([a.id, b.id]));
      await reader.close();

      expect(state(repo)).toEqual(before);
      expect(repo.git('rev-parse', REF)).toBe(first);

      // The write path restores them: one append and plain git sees all four.
      const writer = await openRepository({ cwd: repo.dir });
      const d = makeRecord(fakeOid(4));
      await writer.append([d]);
      await writer.close();
      for (const r of [a, b, c, d]) expect(JSON.parse(repo.git('notes', '--ref', 'guardloop', 'show', r.tree)).id).toBe(r.id);
    }));
});
