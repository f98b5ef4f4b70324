import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, todoRepo } from './helpers.js';

describe('the brake never depends on ℛ', () => {
  it('with ℛ stuck behind a native lock, six stops escalate on schedule (3 + 3), each told its verdict was not recorded, and status shows it', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo, 'agent:\n  maxAttempts: 3\n');
      installTranscript(repo);
      repo.write('src/a.js', '// TODO\n');
      // A lock a native git process left behind (no guardloop owner to take it away); the wait for it is cut short.
      repo.git('config', 'guardloop.locktimeout', '100');
      mkdirSync(join(repo.dir, '.git', 'refs', 'notes'), { recursive: true });
      const lock = join(repo.dir, '.git', 'refs', 'notes', 'guardloop.lock');
      writeFileSync(lock, '');
      const replies = [];
      for (let i = 0; i < 6; i++) {
        // A holderless lock older than 10 s counts as a killed git's and is taken away: dated an hour
        // ahead before each stop, it stays live however slowly a loaded machine runs the six stops.
        const ahead = new Date(Date.now() + 3_600_000);
        utimesSync(lock, ahead, ahead);
        replies.push(await hook(repo, 'claude', stopPayload('claude', repo.dir, i % 3 ? 1 : 0)));
      }
      const outs = replies.map((r) => JSON.parse(r.stdout));
      expect(outs.map((o) => o.decision ?? 'allow')).toEqual(['block', 'block', 'allow', 'block', 'block', 'allow']);
      expect(outs[0].reason).toContain('(attempt 1 of 3)');
      expect(outs[1].reason).toContain('(attempt 2 of 3)');
      expect(outs[2].systemMessage).toContain('rejected 3 times in a row');
      expect(outs[3].reason).toContain('(attempt 1 of 3)');
      expect(outs[4].reason).toContain('(attempt 2 of 3)');
      expect(outs[5].systemMessage).toContain('rejected 3 times in a row');
      // The agent (the block reason) and the person (the notice) are told that nothing reached ℛ.
      for (const o of [outs[0], outs[1], outs[3], outs[4]]) expect(o.reason).toContain('not recorded in ℛ');
      for (const o of [outs[2], outs[5]]) expect(o.systemMessage).toContain('not recorded in ℛ');
      expect(records(repo)).toEqual([]);
      const status = JSON.parse((await repo.cli(['status', '--json'])).stdout);
      expect(status.unrecorded).toHaveLength(6);
      const human = await repo.cli(['status']);
      expect(human.stdout).toContain('Verdicts not recorded in ℛ (6');
    }));
});

describe('records stay small', () => {
  it('a 12-attempt human chain: every record under 64 KB, history keeps ids, failed guards and a capped tail in order', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      // A guard that prints ~24 KB on each failure (the output limit keeps 20,000 characters of it).
      repo.config(`guards:\n${guardYaml('noisy', 'for i in $(seq 1 400); do echo "attempt $(cat n.txt) line $i: the value is still wrong ........"; done; exit 1')}`);
      repo.write('n.txt', '0\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'init');
      for (let i = 1; i <= 12; i++) {
        repo.write('n.txt', `${i}\n`);
        repo.git('add', 'n.txt');
        expect((await repo.cli(['run', '--hook', 'pre-commit'])).code).toBe(1);
      }
      const rs = records(repo);
      expect(rs).toHaveLength(12);
      expect(rs.map((r) => r.retry)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      for (const r of rs) expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThan(64 * 1024);
      const last = rs[11];
      expect(last.provenance).toEqual(rs.slice(0, 11).map((r) => r.id));
      expect(last.history.map((h: { id: string }) => h.id)).toEqual(last.provenance);
      // Each earlier attempt keeps its failed guard and the tail of its own feedback, marked as cut, in order.
      last.history.forEach((h: { verdicts: Array<{ guard: string; feedback: string }> }, i: number) => {
        expect(h.verdicts.map((v) => v.guard)).toEqual(['noisy']);
        expect(h.verdicts[0].feedback).toContain(`earlier characters are in record ${rs[i].id}`);
        expect(h.verdicts[0].feedback).toContain(`attempt ${i + 1} line 400`);
        expect(h.verdicts[0].feedback.length).toBeLessThan(1_700);
      });
      // The full feedback of an earlier attempt is in its own record.
      expect(rs[0].verdicts[0].feedback).toContain('attempt 1 line 400');
      expect(rs[0].verdicts[0].feedback.length).toBeGreaterThan(15_000);
    }));
});
