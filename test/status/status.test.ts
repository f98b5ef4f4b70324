import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { addWorktree, leanRepo, removeBinary } from '../setup/helpers.js';
import { status, type Env } from './helpers.js';



// Asserts status reports exactly these routes (in any order), each line holding its fix, and exits 1.
async function expectRoutes(cwd: string, routes: Record<string, string>, env: Env = {}) {
  const s = await status(cwd, env);
  expect(s.code, s.text).toBe(1);
  expect(s.json.ok).toBe(false);
  expect([...new Set(s.json.problems.map((p: { route: string }) => p.route))].sort()).toEqual(Object.keys(routes).sort());
  for (const [route, fix] of Object.entries(routes)) {
    const p = s.json.problems.find((x: { route: string; message: string }) => x.route === route && x.message.includes(fix));
    expect(p, `${route} with ${fix}`).toBeDefined();
    expect(s.text).toContain(`✗ ${p.message}`);
  }
  expect(s.text).toContain(`Bypass routes open (${s.json.problems.length}):`);
  return s;
}

describe('guardloop status', () => {
  it('all well after init in lean mode: exit 0, the hooks git runs, the binary, ℛ settings, in text and JSON', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      repo.config(`guards:\n${guardYaml('no-bad', '! test -e BAD')}sync:\n  onPush: true\n`);
      // Settings come from the config committed at HEAD.
      repo.git('add', '-A');
      repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'sync.onPush');
      repo.git('remote', 'add', 'origin', 'https://example.invalid/r.git');
      repo.git('config', '--add', 'remote.origin.fetch', '+refs/notes/guardloop:refs/notes/guardloop');
      const s = await status(repo.dir);
      expect(s.code, s.text).toBe(0);
      expect(s.text).toContain('No bypass route open');
      expect(s.text).toContain(`git runs hooks from ${join(repo.dir, '.loop/hooks')} (core.hooksPath=.loop/hooks)`);
      expect(s.text).toMatch(/pre-commit +\.loop\/hooks\/pre-commit +present ✓ {2}executable ✓ {2}calls guardloop ✓/);
      expect(s.text).toContain('notes.guardloop.mergeStrategy: cat_sort_uniq ✓');
      expect(s.text).toContain('fetched by: origin (+refs/notes/guardloop:refs/notes/guardloop)');
      expect(s.text).toContain('sync.onPush: true');
      expect(s.json).toMatchObject({
        ok: true,
        problems: [],
        git: { kind: 'lean', configured: '.loop/hooks', exists: true, binary: { where: 'worktree' } },
        notes: { mergeStrategy: 'cat_sort_uniq' },
        sync: { fetch: [{ remote: 'origin', refspec: '+refs/notes/guardloop:refs/notes/guardloop' }], onPush: true },
        env: { HUSKY: null, GUARDLOOP: null },
      });
      expect(s.json.git.hooks.map((h: any) => [h.name, h.present && h.executable && h.callsGuardloop])).toEqual([
        ['pre-commit', true],
        ['pre-merge-commit', true],
        ['post-commit', true],
        ['pre-push', true],
      ]);
    }));

  it('each bypass route of the git hooks is reported with the command that closes it', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      repo.git('config', '--unset', 'core.hooksPath');
      await expectRoutes(repo.dir, { 'hooks-path-unset': 'run `guardloop install`' });

      repo.write('.githooks/pre-commit', '#!/bin/sh\nnpm test\n');
      chmodSync(join(repo.dir, '.githooks/pre-commit'), 0o755);
      repo.git('config', 'core.hooksPath', '.githooks');
      const elsewhere = await expectRoutes(repo.dir, { 'hooks-path-elsewhere': 'or run `git config core.hooksPath .loop/hooks`' });
      expect(elsewhere.json.problems).toHaveLength(4);

      repo.git('config', 'core.hooksPath', '.loop/hooks');
      chmodSync(join(repo.dir, '.loop/hooks/pre-push'), 0o644);
      rmSync(join(repo.dir, '.loop/hooks/post-commit'));
      await expectRoutes(repo.dir, { 'hooks-not-executable': 'run `chmod +x .loop/hooks/pre-push`', 'hooks-missing': 'post-commit: .loop/hooks/post-commit is missing, so git runs no post-commit hook: run `guardloop init`' });

      expect((await repo.cli(['init'])).code).toBe(0);
      removeBinary(repo.dir);
      await expectRoutes(repo.dir, { 'binary-missing': 'run `npm install`' });
    }));

  it('GUARDLOOP=0 in the environment and an unset ℛ merge setting are open routes too', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      await expectRoutes(repo.dir, { 'env-guardloop': 'run `unset GUARDLOOP`' }, { GUARDLOOP: '0' });
      repo.git('config', '--unset', 'notes.guardloop.mergeStrategy');
      await expectRoutes(repo.dir, { 'notes-merge': 'run `git config notes.guardloop.mergeStrategy cat_sort_uniq`' });
    }));

  it('husky mode: a new worktree lacks .husky/_ and status there says to run `npx husky`; HUSKY=0 is reported', () =>
    withGitRepo(async (repo) => {
      repo.installPackage({ devDependencies: { husky: '^9.1.7' } });
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      expect((await repo.cli(['init'])).code).toBe(0);
      repo.git('add', '-A');
      repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'init');
      expect((await status(repo.dir)).code).toBe(0);
      await expectRoutes(repo.dir, { 'env-husky': 'run `unset HUSKY`' }, { HUSKY: '0' });
      const wt = addWorktree(repo);
      try {
        const s = await expectRoutes(wt.dir, { 'hooks-missing': 'run `npx husky`' });
        expect(s.json.git).toMatchObject({ kind: 'husky', exists: false, binary: { where: 'main' } });
      } finally {
        wt.done();
      }
    }));

  it('an agent whose hook calls node_modules/.bin/guardloop directly (exit 127 in a worktree) is reported with `guardloop init --agent`', () =>
    withGitRepo(async (repo: TestRepo) => {
      await leanRepo(repo);
      expect((await repo.cli(['init', '--agent', 'claude'])).code).toBe(0);
      expect((await status(repo.dir)).code).toBe(0);
      const settings = repo.read('.claude/settings.json').replaceAll('.loop/hooks/agent', 'node_modules/.bin/guardloop');
      repo.write('.claude/settings.json', settings);
      await expectRoutes(repo.dir, { 'agent-direct-binary': 'run `guardloop init --agent claude`' });
      expect((await repo.cli(['init', '--agent', 'claude'])).code).toBe(0);
      rmSync(join(repo.dir, '.loop/hooks/agent'));
      await expectRoutes(repo.dir, { 'agent-launcher-missing': 'run `guardloop init --agent claude`' });
    }));
});
