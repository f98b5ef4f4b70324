import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishRecord, type RecordV1 } from '../../src/store/record.js';
import { guardYaml, notesOf, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

// ci writes CI records whatever the machine says; the tests run it outside CI to show that.
const LOCAL = { CI: undefined, GITHUB_ACTIONS: undefined };
const ZEROS = '0'.repeat(40);

function commitAll(repo: TestRepo, message: string): string {
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', message);
  return repo.git('rev-parse', 'HEAD');
}

const records = (repo: TestRepo, commit: string) => notesOf(repo, `${commit}^{tree}`) as unknown as RecordV1[];

// Three commits: one verified locally (a HUMAN record), one never checked, one forged: an ACCEPTED
// record written by hand for content whose guards fail.
function history(repo: TestRepo) {
  repo.config(`guards:\n${guardYaml('no-bad', '! grep -rq BAD src', '    on: [pre-commit]\n')}`);
  repo.write('src/a.txt', 'fine\n');
  return commitAll(repo, 'checked');
}

describe('guardloop ci', () => {
  it('verifies the commits no ACCEPTED record vouches for (source CI, hook ci) and trusts the rest', () =>
    withGitRepo(async (repo) => {
      const checked = history(repo);
      expect((await repo.cli(['verify'], { env: LOCAL })).code).toBe(0);
      repo.write('src/b.txt', 'fine too\n');
      const unchecked = commitAll(repo, 'unchecked');

      // No upstream, no origin/HEAD: the whole branch.
      const res = await repo.cli(['ci'], { env: LOCAL });
      expect(res.code).toBe(0);
      expect(res.stderr).toContain('2 commits in HEAD');
      expect(res.stdout).toContain(`${checked.slice(0, 12)} checked — trusted by record`);
      expect(res.stdout).toContain(`${unchecked.slice(0, 12)} unchecked — ACCEPTED (new`);
      expect(records(repo, checked)).toHaveLength(1);
      expect(records(repo, unchecked)[0]).toMatchObject({ source: 'CI', hook: 'ci', status: 'ACCEPTED', verify: { commit: unchecked, outcome: 'new' } });

      // --verify-all re-runs the trusted one too; the unchecked one now has a record and is trusted.
      const all = await repo.cli(['ci', '--verify-all', '--json'], { env: LOCAL });
      expect(all.code).toBe(0);
      expect(all.stdout.trim().split('\n').map((l) => JSON.parse(l).outcome)).toEqual(['verified', 'verified']);
      expect(records(repo, checked).map((r) => r.source)).toEqual(['HUMAN', 'CI']);
    }));

  it('fails on a REJECTED commit (exit 1), and on a forged ACCEPTED once --verify-all re-runs it (exit 4)', () =>
    withGitRepo(async (repo) => {
      const checked = history(repo);
      expect((await repo.cli(['verify'], { env: LOCAL })).code).toBe(0);
      repo.write('src/bad.txt', 'BAD\n');
      const forgedCommit = commitAll(repo, 'forged');
      const { id: _id, verify: _verify, ...real } = records(repo, checked)[0];
      const { line, record: forged } = finishRecord({ ...real, hook: 'pre-commit', tree: repo.git('rev-parse', 'HEAD^{tree}'), base: checked });
      writeFileSync(join(repo.dir, '.git', 'forged.json'), `${line}\n`);
      repo.git('notes', '--ref=guardloop', 'add', '-F', join(repo.dir, '.git', 'forged.json'), 'HEAD^{tree}');

      // A record is trusted as it is: the forgery passes a ci that doesn't re-run recorded commits.
      const trusting = await repo.cli(['ci', `${checked}..HEAD`], { env: LOCAL });
      expect(trusting.code).toBe(0);
      expect(trusting.stdout).toContain(`trusted by record ${forged.id.slice(0, 12)}`);
      // Re-running the guards finds it out.
      const all = await repo.cli(['ci', '--verify-all', `${checked}..HEAD`], { env: LOCAL });
      expect(all.code).toBe(4);
      expect(all.stdout).toContain('NOT REPRODUCIBLE');
      // Its latest verdict is REJECTED now: no ci trusts that tree any more.
      const after = await repo.cli(['ci', `${checked}..HEAD`], { env: LOCAL });
      expect(after.code).toBe(4);

      repo.git('rm', '-q', 'src/bad.txt');
      repo.write('src/worse.txt', 'BAD again\n');
      commitAll(repo, 'rejected');
      const rejected = await repo.cli(['ci', 'HEAD~1..HEAD'], { env: LOCAL });
      expect(rejected.code).toBe(1);
      expect(rejected.stdout).toContain('rejected — REJECTED (new');
      expect(rejected.stdout).toContain('no-bad failed');
    }));

  it('reads a brand-new branch (a base of zeros) as the commits not on the upstream, and skips merges with audit.merges: skip', () =>
    withGitRepo(async (repo) => {
      const first = history(repo);
      const remote = join(repo.dir, '.git', 'remote.git');
      repo.git('init', '-q', '--bare', remote);
      repo.git('remote', 'add', 'origin', remote);
      repo.git('push', '-q', '-u', 'origin', 'main');
      repo.git('checkout', '-q', '-b', 'side');
      repo.write('src/side.txt', 'side\n');
      commitAll(repo, 'on side');
      repo.git('checkout', '-q', 'main');
      repo.write('src/main.txt', 'main\n');
      repo.config(`audit:\n  merges: skip\nguards:\n${guardYaml('no-bad', '! grep -rq BAD src', '    on: [pre-commit]\n')}`);
      commitAll(repo, 'on main');
      repo.git('merge', '-q', '--no-edit', '--no-verify', 'side');
      const merge = repo.git('rev-parse', 'HEAD');

      const res = await repo.cli(['ci', `${ZEROS}..HEAD`], { env: LOCAL });
      expect(res.code).toBe(0);
      expect(res.stderr).toContain('3 commits in HEAD, not on origin/main');
      expect(res.stdout).toContain(`${merge.slice(0, 12)} Merge branch 'side' — merge commit, not verified (audit.merges: skip`);
      expect(records(repo, merge)).toEqual([]);
      expect(records(repo, 'HEAD^1')[0]).toMatchObject({ source: 'CI', hook: 'ci', verify: { outcome: 'new' } });
      // On the upstream already: not in the range.
      expect(records(repo, first)).toEqual([]);
      const bad = await repo.cli(['ci', 'no-such..HEAD'], { env: LOCAL });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('is not a commit');
    }));
});
