import { describe, expect, it } from 'vitest';
import { guardYaml, notesOf, reinitAsSha256, withGitRepo } from '../helpers/git-repo.js';

// Guarded commits in a SHA-256 repository: the first commit diffs against SHA-256's empty tree, a
// commit with unstaged work runs its guards in a temporary checkout that must be SHA-256 too, and the
// records are readable by guardloop and by plain `git notes`.

describe('guarded commits in a SHA-256 repository', () => {
  it('records the first commit and a commit checked in a temporary checkout; log, show, doctor and git notes read them', () =>
    withGitRepo(async (repo) => {
      reinitAsSha256(repo);
      repo.installHook();
      // The guard runs git in the candidate: in a temporary checkout that only works if it is SHA-256 as well.
      repo.config(`guards:\n${guardYaml('staged', 'git diff --cached --name-only && git status --porcelain >/dev/null', '    layer: test\n')}`);
      repo.write('a.txt', 'hello\n');
      repo.git('add', '-A');
      const first = await repo.commit('first');
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain('ACCEPTED');
      const tree = repo.git('rev-parse', 'HEAD^{tree}');
      expect(tree).toMatch(/^[0-9a-f]{64}$/);
      const [r1] = notesOf(repo, 'HEAD^{tree}') as any[];
      expect(r1).toMatchObject({ status: 'ACCEPTED', base: null, tree });
      expect(r1.artifact.diff).toContain('+hello');
      // Unstaged work: the guards run in a temporary checkout of the staged content.
      repo.write('b.txt', 'staged\n');
      repo.git('add', 'b.txt');
      repo.write('a.txt', 'unstaged edit\n');
      const second = await repo.commit('second');
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toContain('temporary checkout');
      expect(second.stderr).toContain('✓ staged');
      const [r2] = notesOf(repo, 'HEAD^{tree}') as any[];
      expect(r2).toMatchObject({ status: 'ACCEPTED', base: repo.git('rev-parse', 'HEAD~1'), tree: repo.git('rev-parse', 'HEAD^{tree}') });
      expect(r2.verdicts[0].feedback).toContain('b.txt');
      // guardloop's own readers.
      const log = await repo.cli(['log', '--json']);
      expect(log.code, log.stderr).toBe(0);
      expect(log.stdout.trim().split('\n').map((l) => JSON.parse(l).id).sort()).toEqual([r1.id, r2.id].sort());
      const shown = await repo.cli(['show', 'HEAD']);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain(`record ${r2.id}`);
      const byId = await repo.cli(['show', r1.id.slice(0, 10)]);
      expect(byId.stdout).toContain(`record ${r1.id}`);
      const doctor = await repo.cli(['doctor', '--json']);
      const report = JSON.parse(doctor.stdout);
      expect(report).toMatchObject({ objectFormat: 'sha256', refStorage: 'files', records: 2, notes: 2 });
      expect(report.problems.filter((p: string) => !p.includes('mergeStrategy'))).toEqual([]);
      expect(repo.git('fsck', '--no-progress', '--no-dangling')).toBe('');
    }));
});
