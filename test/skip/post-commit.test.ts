import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

// Skips recorded as they happen: git runs post-commit even under `--no-verify`, and for a commit
// whose tree has no ACCEPTED record guardloop notes a SKIPPED record (how, who, the commit) and
// prints one line. A commit the pre-commit ACCEPTed leaves a marker the post-commit uses instead.

const LINE = /guardloop: commit [0-9a-f]{12} is unverified \((.*)\)\. Verify it: guardloop verify [0-9a-f]{12}/;

// husky's hooks with guardloop's pre-commit and a post-commit that always asks guardloop (the
// shell shortcut of the installed hook is tested with `init`).
function setUp(repo: TestRepo): void {
  repo.installHook();
  repo.write('.husky/post-commit', 'guardloop run --hook post-commit\n');
  repo.config(`guards:\n${guardYaml('ok', 'true')}`);
}

function records(repo: TestRepo, rev = 'HEAD'): Array<Record<string, any>> {
  const text = repo.git('notes', '--ref=guardloop', 'show', `${rev}^{tree}`);
  return text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

describe('post-commit: skips recorded as they happen', () => {
  it('a commit the pre-commit ACCEPTed gets no skip record, prints nothing, and leaves no marker behind', () =>
    withGitRepo(async (repo) => {
      setUp(repo);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      const c = await repo.commit('checked');
      expect(c.code, c.stderr).toBe(0);
      expect(c.stderr).not.toMatch(LINE);
      expect(records(repo).map((r) => r.status)).toEqual(['ACCEPTED']);
      expect(existsSync(join(repo.dir, '.git', 'guardloop', 'accepted-tree'))).toBe(false);
    }));

  it('--no-verify: a SKIPPED record (reward 0, how no-pre-commit, the commit, host and user) and one line naming the fix', () =>
    withGitRepo(async (repo) => {
      setUp(repo);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      const c = await repo.commit('unchecked', ['--no-verify']);
      expect(c.code, c.stderr).toBe(0);
      expect(c.stderr).toMatch(LINE);
      expect(LINE.exec(c.stderr)![1]).toContain('no pre-commit ran');
      const [skip] = records(repo);
      const head = repo.git('rev-parse', 'HEAD');
      expect(skip).toMatchObject({ status: 'SKIPPED', reward: 0, hook: 'post-commit', source: 'HUMAN', skip: { how: 'no-pre-commit', commit: head }, tree: repo.git('rev-parse', 'HEAD^{tree}'), verdicts: [] });
      expect(skip.spec.guards.map((g: { id: string }) => g.id)).toEqual(['ok']);
      expect(skip.artifact.files).toContain('a.txt');
      expect(typeof skip.host).toBe('string');
      expect(typeof skip.user).toBe('string');
      // `log --status SKIPPED` lists it; nothing else is ACCEPTED.
      const log = await repo.cli(['log', '--status', 'SKIPPED', '--json']);
      expect(log.code, log.stderr).toBe(0);
      expect(log.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual([skip.id]);
    }));

  it('GUARDLOOP=0: the skip says so, and an agent commit is a GENERATOR skip', () =>
    withGitRepo(async (repo) => {
      setUp(repo);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      const c = await repo.commit('off', [], { GUARDLOOP: '0' });
      expect(c.code, c.stderr).toBe(0);
      expect(LINE.exec(c.stderr)![1]).toContain('GUARDLOOP=0');
      expect(records(repo)[0]).toMatchObject({ status: 'SKIPPED', skip: { how: 'GUARDLOOP=0' }, source: 'HUMAN' });

      repo.write('b.txt', 'b\n');
      repo.git('add', '-A');
      const agent = await repo.commit('agent', ['--no-verify'], { CLAUDECODE: '1' });
      expect(agent.code, agent.stderr).toBe(0);
      expect(records(repo)[0]).toMatchObject({ status: 'SKIPPED', source: 'GENERATOR', agent: 'claude', skip: { how: 'no-pre-commit' } });
    }));

  it('a --no-verify commit of a tree ℛ already holds ACCEPTED is verified: no skip', () =>
    withGitRepo(async (repo) => {
      setUp(repo);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      expect((await repo.cli(['run', '--hook', 'pre-commit'])).code).toBe(0);
      const c = await repo.commit('same tree', ['--no-verify']);
      expect(c.code, c.stderr).toBe(0);
      expect(c.stderr).not.toMatch(LINE);
      expect(records(repo).map((r) => r.status)).toEqual(['ACCEPTED']);
    }));

  it('a stale marker for another tree does not hide a skip', () =>
    withGitRepo(async (repo) => {
      setUp(repo);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      // The pre-commit ACCEPTs this index and leaves its marker; the commit is then made of another tree.
      expect((await repo.cli(['run', '--hook', 'pre-commit'])).code).toBe(0);
      expect(existsSync(join(repo.dir, '.git', 'guardloop', 'accepted-tree'))).toBe(true);
      repo.write('a.txt', 'changed\n');
      repo.git('add', '-A');
      const c = await repo.commit('other tree', ['--no-verify']);
      expect(c.code, c.stderr).toBe(0);
      expect(c.stderr).toMatch(LINE);
      expect(records(repo)[0]).toMatchObject({ status: 'SKIPPED' });
    }));
});
