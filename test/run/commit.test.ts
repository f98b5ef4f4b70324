import { describe, expect, it } from 'vitest';
import { guardYaml, notesOf, withGitRepo } from '../helpers/git-repo.js';

const config = (...guards: string[]) => `guards:\n${guards.join('')}`;

describe('git commit through the installed pre-commit hook', () => {
  it('accepts a passing commit and records the verdict on the commit tree, readable with plain git notes', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(config(guardYaml('ok', 'echo checked && true', '    layer: test\n')));
      repo.write('a.txt', 'hello\n');
      repo.git('add', '-A');
      const res = await repo.commit('first');
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain('✓ ok');
      expect(res.stderr).toContain('ACCEPTED');
      const notes = notesOf(repo, 'HEAD^{tree}');
      expect(notes).toHaveLength(1);
      const r = notes[0] as any;
      expect(r).toMatchObject({ v: 1, hook: 'pre-commit', source: 'HUMAN', status: 'ACCEPTED', reward: 1, base: null, retry: 0, provenance: [], agent: null });
      expect(r.tree).toBe(repo.git('rev-parse', 'HEAD^{tree}'));
      expect(r.id).toMatch(/^[0-9a-f]{32}$/);
      expect(r.verdicts).toEqual([{ guard: 'ok', status: 'pass', exit: 0, ms: expect.any(Number), feedback: 'checked\n' }]);
      expect(r.spec.guards).toEqual([{ id: 'ok', invariant: expect.stringContaining('must never'), layer: 'test', run: 'echo checked && true' }]);
      expect(r.artifact.files).toEqual(expect.arrayContaining(['a.txt', '.loop/config.yaml']));
      expect(r.artifact.diff).toContain('+hello');
    }));

  it('blocks a failing commit, shows the invariant and the output tail, and records the rejection', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(config(guardYaml('no-todo', `! grep -rn TODO src`)));
      repo.write('src/a.js', '// TODO later\n');
      repo.git('add', '-A');
      const res = await repo.commit('todo');
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('✗ no-todo');
      expect(res.stderr).toContain('In this codebase, no-todo must never fail');
      expect(res.stderr).toContain('src/a.js:1:// TODO later');
      expect(res.stderr).toContain('REJECTED');
      expect(() => repo.git('rev-parse', '--verify', '-q', 'HEAD')).toThrow();
      const tree = repo.git('write-tree');
      const [r] = notesOf(repo, tree) as any[];
      expect(r).toMatchObject({ status: 'REJECTED', reward: -1, tree });
      expect(r.verdicts[0]).toMatchObject({ guard: 'no-todo', status: 'fail', exit: 1 });
      expect(r.verdicts[0].feedback).toContain('TODO later');
    }));

  it('links a rejected attempt to the accepted one on the same base: provenance, retry, history', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(config(guardYaml('no-todo', `! grep -rn TODO src`)));
      repo.write('src/a.js', 'ok\n');
      repo.git('add', '-A');
      expect((await repo.commit('base')).code).toBe(0);
      repo.write('src/a.js', '// TODO\n');
      repo.git('add', '-A');
      expect((await repo.commit('bad')).code).not.toBe(0);
      const rejected = notesOf(repo, repo.git('write-tree'))[0] as any;
      repo.write('src/a.js', 'done\n');
      repo.git('add', '-A');
      expect((await repo.commit('good')).code).toBe(0);
      const accepted = notesOf(repo, 'HEAD^{tree}')[0] as any;
      expect(accepted.status).toBe('ACCEPTED');
      expect(accepted.base).toBe(repo.git('rev-parse', 'HEAD~1'));
      expect(accepted.provenance).toEqual([rejected.id]);
      expect(accepted.retry).toBe(1);
      expect(accepted.history).toHaveLength(1);
      expect(accepted.history[0]).toMatchObject({ id: rejected.id, status: 'REJECTED' });
      expect(accepted.history[0].verdicts[0].feedback).toContain('TODO');
      // The next attempt on the new base starts a fresh chain.
      repo.write('src/b.js', 'x\n');
      repo.git('add', '-A');
      expect((await repo.commit('next')).code).toBe(0);
      expect((notesOf(repo, 'HEAD^{tree}')[0] as any).retry).toBe(0);
    }));

  it('reuses an ACCEPTED verdict for the same tree and guard set; --no-cache runs again', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(config(guardYaml('count', 'echo ran >> ../runs.log')));
      repo.write('a.txt', 'x\n');
      repo.git('add', '-A');
      const first = await repo.cli(['run']);
      expect(first.code).toBe(0);
      const second = await repo.cli(['run']);
      expect(second.code).toBe(0);
      expect(second.stderr).toContain('ACCEPTED (cached)');
      const third = await repo.cli(['run', '--no-cache']);
      expect(third.stderr).not.toContain('cached');
      const runs = notesOf(repo, repo.git('write-tree'));
      expect(runs).toHaveLength(2);
    }));

  it('masks a secret in the diff and the guard output before the record is written', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      const key = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
      repo.config(config(guardYaml('leaky', 'cat config.env; exit 1')));
      repo.write('config.env', `AWS_ACCESS_KEY_ID=${key}\n`);
      repo.git('add', '-A');
      expect((await repo.commit('secret')).code).not.toBe(0);
      const [r] = notesOf(repo, repo.git('write-tree')) as any[];
      expect(r.status).toBe('REJECTED');
      expect(JSON.stringify(r)).not.toContain(key);
      expect(r.artifact.diff).toContain('AWS_ACCESS_KEY_ID=');
      // Not in any object of the notes ref either.
      const objects = repo.git('rev-list', '--objects', 'refs/notes/guardloop').split('\n').map((l) => l.split(' ')[0]);
      for (const o of objects) expect(repo.git('cat-file', '-p', o)).not.toContain(key);
    }));

  it('skips with GUARDLOOP=0, says so, and writes no record', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(config(guardYaml('fails', 'false')));
      repo.write('a.txt', 'x\n');
      repo.git('add', '-A');
      const res = await repo.commit('skip', [], { GUARDLOOP: '0' });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain('GUARDLOOP=0');
      expect(notesOf(repo, 'HEAD^{tree}')).toEqual([]);
      expect(repo.git('notes', '--ref=guardloop', 'list')).toBe('');
    }));

  it('refuses a broken config with file:line:col and exit 2, running nothing', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config('guards:\n  - id: a\n    run: "touch ran"\n    invariant: "In this codebase, a must never fail, because it causes pain."\n    timout: 5\n');
      repo.write('a.txt', 'x\n');
      repo.git('add', '-A');
      const res = await repo.cli(['run']);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/\.loop\/config\.yaml:5:5/);
      expect(res.stderr).toContain('timeout');
      expect(repo.git('status', '--porcelain', '--untracked-files=all')).not.toContain('ran');
    }));
});
