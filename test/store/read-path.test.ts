import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordCheck } from '../../src/store/record-check.js';
import { parseRecordLine, recordSchema } from '../../src/store/record-schema.js';
import { recordLine } from '../../src/store/record.js';
import { openRepository } from '../../src/store/repository.js';
import { cleanupRepos, fakeOid, makeRecord, makeRepo, sh } from './helpers.js';

afterAll(cleanupRepos);

// Every value the compiled check accepts, zod accepts and returns unchanged; zod stays the judge otherwise.
describe('record validation', () => {
  const check = recordCheck;
  const full = makeRecord(fakeOid('full'), {
    agent: 'claude',
    base: fakeOid('base'),
    spec: { configHash: 'c', guardSetHash: 'g', guards: [{ id: 'a', invariant: 'i', layer: 'lint', run: ['eslint', '.'] }], task: 'do it' },
    verdicts: [{ guard: 'a', status: 'fail', exit: null, ms: 0, feedback: 'x', modified: ['f'] }],
    history: [{ id: 'h', status: 'REJECTED', verdicts: [{ guard: 'a', status: 'fail', feedback: 'y' }] }],
    provenance: ['h'],
    retry: 1,
    escalated: true,
    lastMessage: null,
    isolated: false,
    approval: { by: 'me', paths: [{ path: '.loop/config.yaml', blob: null }] },
    tool: { name: 'guardloop', version: '0.1.0' },
  });

  // Every path to a value in a record, and the values to put there instead.
  function* paths(v: unknown, at: Array<string | number> = []): Generator<Array<string | number>> {
    yield at;
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* paths(v[i], [...at, i]);
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) yield* paths((v as Record<string, unknown>)[k], [...at, k]);
  }
  const replacements: unknown[] = [null, undefined, 0, -1, 1.5, 2 ** 60, '', 'x', 'pass', 'ACCEPTED', 'lint', 'guardloop', true, [], ['x'], {}, { extra: 1 }];

  it('agrees with zod on every field of a full record set to every kind of value', () => {
    let fast = 0;
    for (const base of [full, makeRecord(fakeOid('min'))]) {
      expect(check(JSON.parse(recordLine(base)))).toBe(true);
      for (const path of paths(base)) {
        if (!path.length) continue;
        for (const value of [...replacements, '__delete__', '__extra__']) {
          const copy = JSON.parse(JSON.stringify(base));
          let parent = copy;
          for (const k of path.slice(0, -1)) parent = parent[k];
          const last = path[path.length - 1];
          if (value === '__delete__') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
          else if (value === '__extra__') {
            // (JSON gives arrays no named keys)
            if (Array.isArray(parent)) continue;
            parent.unknownKey = 1;
          }
          else parent[last] = value;
          const zod = recordSchema.safeParse(copy);
          if (check(copy)) {
            fast++;
            expect(zod.success, JSON.stringify(path)).toBe(true);
            expect(zod.data, `${JSON.stringify(path)} = ${String(value)}`).toEqual(copy);
          }
          // The line reader gives zod's verdict either way.
          const line = JSON.stringify(copy);
          const zodLine = recordSchema.safeParse(JSON.parse(line));
          const p = parseRecordLine(line);
          expect(p.ok, `${JSON.stringify(path)} = ${JSON.stringify(value)}`).toBe(zodLine.success);
          if (p.ok && zodLine.success) expect(p.record).toEqual(zodLine.data);
        }
      }
    }
    expect(fast).toBeGreaterThan(50);
  });

  it('leaves unknown keys to zod, which drops them', () => {
    const withExtra = { ...JSON.parse(recordLine(full)), future: 'field' };
    expect(check(withExtra)).toBe(false);
    const p = parseRecordLine(JSON.stringify(withExtra));
    expect(p.ok && 'future' in p.record).toBe(false);
  });
});

describe('reading through git cat-file --batch', () => {
  it('reads notes of every size byte for byte as git shows them, one by one and all at once', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    const sizes = [0, 1, 100, 4095, 4096, 65_535, 65_536, 200_000];
    const recs = sizes.map((n, i) => makeRecord(fakeOid(`size-${i}`), { artifact: { diff: 'x'.repeat(n), files: ['f'], truncated: false } }));
    await repo.append(recs);
    await repo.close();
    const reader = await openRepository({ cwd: dir });
    for (const r of recs) {
      const [got] = await reader.byTree(r.tree);
      expect(got.artifact.diff).toBe(r.artifact.diff);
      expect(JSON.parse(sh(dir, ['notes', '--ref=guardloop', 'show', r.tree])).id).toBe(r.id);
    }
    expect(new Set((await reader.log()).map((r) => r.id))).toEqual(new Set(recs.map((r) => r.id)));
    await reader.close();
  });
});

describe('journal', () => {
  it('replays a write that never finished even while the ref tip is the last verified one', async () => {
    const dir = makeRepo();
    const repo = await openRepository({ cwd: dir });
    await repo.append([makeRecord(fakeOid('a'))]);
    await repo.close();
    const journal = join(dir, '.git', 'guardloop', 'journal');
    // Stored appends wait in stored/; nothing is pending.
    expect(readdirSync(journal).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
    expect(readdirSync(join(journal, 'stored'))).toHaveLength(1);
    // A writer killed after its journal write, before the ref moved.
    const lost = makeRecord(fakeOid('lost'));
    const again = await openRepository({ cwd: dir });
    again.journal.write([{ tree: lost.tree, id: lost.id, line: recordLine(lost) }]);
    // A file of the layout before stored/, naming a notes commit that isn't on the ref.
    const legacy = makeRecord(fakeOid('legacy'));
    writeFileSync(join(journal, `${Date.now()}-1-abcd1234.${fakeOid('elsewhere')}.jsonl`), `${legacy.tree} ${legacy.id} ${recordLine(legacy)}\n`);
    // The ref hasn't moved since the last check, and that check is recent: only the pending files say otherwise.
    expect(readFileSync(join(journal, 'verified'), 'utf8').split(' ')[0]).toBe(sh(dir, ['rev-parse', 'refs/notes/guardloop']));
    // The next write replays them (reads never do).
    await again.append([makeRecord(fakeOid('next'))]);
    expect(JSON.parse(sh(dir, ['notes', '--ref=guardloop', 'show', lost.tree])).id).toBe(lost.id);
    expect(await again.byTree(lost.tree)).toHaveLength(1);
    expect(await again.byTree(legacy.tree)).toHaveLength(1);
    await again.close();
  });
});
