import { describe, expect, it } from 'vitest';
import { readHistory } from '../../src/learn/history.js';
import { parseRecordLine } from '../../src/store/record-schema.js';
import { records } from '../agents/helpers.js';
import { withGitRepo } from '../helpers/git-repo.js';
import { day, generateHistory } from '../helpers/history-generator.js';

const T0 = '2026-01-05T09:00:00.000Z';

// The generator the reading half's tests build long histories with: what it writes is what the
// engine would (records the store's reader accepts, chains linked, config commits dated).
describe('history generator', () => {
  it('writes schema-valid records, linked chains and dated config commits that log and readHistory read', async () => {
    await withGitRepo(async (repo) => {
      const result = await generateHistory(repo.dir, {
        config: [
          { at: T0, guards: [{ id: 'lint', run: 'npm run lint', layer: 'lint' }] },
          { at: day(T0, 3), guards: [{ id: 'types', run: 'tsc --noEmit', layer: 'type' }], file: '.loop/base.yaml' },
        ],
        chains: [
          { attempts: [{ at: day(T0, 1), fail: ['lint'] }, { at: day(T0, 1.1), fail: ['lint'] }, { at: day(T0, 1.2) }] },
          { attempts: [{ at: day(T0, 4), source: 'HUMAN', fail: ['types'], tree: 'same' }, { at: day(T0, 4.5), source: 'HUMAN' }] },
          { attempts: [{ at: day(T0, 5), tree: 'same' }] },
          { attempts: [{ at: day(T0, 6), fail: ['lint'] }, { at: day(T0, 6.1), fail: ['lint', 'types'], escalated: true }] },
          { attempts: [{ at: day(T0, 7), skip: 'no-pre-commit' }] },
        ],
      });

      // Config commits: dated as asked, the extended file in the config's extends.
      expect(repo.git('log', '--format=%aI %s', '--', '.loop/config.yaml', '.loop/base.yaml').split('\n')).toEqual([
        '2026-01-08T09:00:00+00:00 config: types',
        '2026-01-05T09:00:00+00:00 config: lint',
      ]);
      expect(repo.read('.loop/config.yaml')).toContain('./base.yaml');
      expect(result.commits).toHaveLength(2);

      // Every stored line is a record the reader accepts; trees are real objects.
      const raw = records(repo);
      expect(raw).toHaveLength(9);
      for (const r of raw) {
        expect(parseRecordLine(JSON.stringify(r)).ok, JSON.stringify(r)).toBe(true);
        expect(repo.git('cat-file', '-t', r.tree)).toBe('tree');
      }
      const byTs = (at: string) => raw.find((r) => r.ts === at)!;
      // The config in force: only lint before day 3; both after (the extended file's first).
      expect(byTs(day(T0, 1)).spec.guards.map((g: { id: string }) => g.id)).toEqual(['lint']);
      expect(byTs(day(T0, 4)).spec.guards.map((g: { id: string }) => g.id)).toEqual(['types', 'lint']);
      // Chains linked as the engine links them.
      const third = byTs(day(T0, 1.2));
      expect(third.status).toBe('ACCEPTED');
      expect(third.retry).toBe(2);
      expect(third.provenance).toEqual([byTs(day(T0, 1)).id, byTs(day(T0, 1.1)).id]);
      expect(third.history.map((h: { verdicts: Array<{ guard: string }> }) => h.verdicts.map((v) => v.guard))).toEqual([['lint'], ['lint']]);
      // The same label is the same tree.
      expect(byTs(day(T0, 4)).tree).toBe(byTs(day(T0, 5)).tree);
      // A skip is a post-commit SKIPPED record of a real commit.
      const skip = byTs(day(T0, 7));
      expect(skip).toMatchObject({ status: 'SKIPPED', hook: 'post-commit', skip: { how: 'no-pre-commit' } });
      expect(repo.git('cat-file', '-t', skip.skip.commit)).toBe('commit');

      const history = await readHistory({ cwd: repo.dir });
      expect(history.warnings).toEqual([]);
      expect(history.chains.map((c) => [c.outcome, c.retries, c.caughtBy.join('+'), c.source])).toEqual([
        ['ACCEPTED', 2, 'lint', 'GENERATOR'],
        ['ACCEPTED', 1, 'types', 'HUMAN'],
        ['ACCEPTED', 0, '', 'GENERATOR'],
        ['ESCALATED', 1, 'lint+types', 'GENERATOR'],
      ]);

      const log = await repo.cli(['log']);
      expect(log.code, log.stderr).toBe(0);
      expect(log.stdout.trim().split('\n')).toHaveLength(9);
      expect(log.stdout).toContain('SKIPPED');
    });
  });

  it('makes months of records (2,000) in one repository', async () => {
    await withGitRepo(async (repo) => {
      const chains = Array.from({ length: 1000 }, (_, i) => ({
        attempts: [{ at: day(T0, i * 0.12), fail: ['lint'] }, { at: day(T0, i * 0.12 + 0.01) }],
      }));
      await generateHistory(repo.dir, { config: [{ at: T0, guards: [{ id: 'lint', run: 'npm run lint', layer: 'lint' }] }], chains });
      const history = await readHistory({ cwd: repo.dir });
      expect(history.records).toHaveLength(2000);
      expect(history.chains).toHaveLength(1000);
      expect(history.chains.every((c) => c.outcome === 'ACCEPTED' && c.retries === 1)).toBe(true);
      expect(new Date(history.records[1999].ts).toISOString().slice(0, 7)).toBe('2026-05');
    });
  });
});
