import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, CLI, exec, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { leanRepo } from '../setup/helpers.js';
import { status, type Env } from './helpers.js';



const routes = (s: { json: { problems: Array<{ route: string }> } }) => [...new Set(s.json.problems.map((p) => p.route))].sort();
const messageOf = (s: { json: { problems: Array<{ route: string; message: string }> } }, route: string) => s.json.problems.filter((p) => p.route === route).map((p) => p.message);

// A husky-mode project after init, committed, with a HOME of its own (no husky startup file).
async function huskyRepo(repo: TestRepo, home: string): Promise<void> {
  repo.installPackage({ devDependencies: { husky: '^9.1.7' } });
  repo.config(`guards:\n${guardYaml('ok', 'true')}`);
  expect((await repo.cli(['init'], { env: { HOME: home } })).code).toBe(0);
  repo.git('add', '-A');
  repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'init');
}

function withHome<T>(fn: (home: string) => Promise<T>): Promise<T> {
  const home = mkdtempSync(join(tmpdir(), 'guardloop-home-'));
  return fn(home).finally(() => rmSync(home, { recursive: true, force: true }));
}

describe('status: a hook counts only when a line of it runs guardloop', () => {
  it('a husky hook that merely mentions guardloop in a comment is ✗, and the problem names .husky/pre-commit (not husky\'s stub)', () =>
    withHome((home) =>
      withGitRepo(async (repo) => {
        await huskyRepo(repo, home);
        expect((await status(repo.dir, { HOME: home })).code).toBe(0);
        repo.write('.husky/pre-commit', '# TODO: call guardloop here\nexit 0\n');
        const s = await status(repo.dir, { HOME: home });
        expect(s.code).toBe(1);
        expect(routes(s)).toEqual(['hooks-not-calling']);
        expect(messageOf(s, 'hooks-not-calling')).toEqual(['pre-commit: .husky/pre-commit has no line that runs guardloop: run `guardloop init`']);
        expect(s.json.git.hooks[0]).toMatchObject({ name: 'pre-commit', file: '.husky/_/pre-commit', source: '.husky/pre-commit', callsGuardloop: false });
        expect(s.text).toMatch(/pre-commit +\.husky\/_\/pre-commit → \.husky\/pre-commit +present ✓ {2}executable ✓ {2}calls guardloop ✗/);
        // The forms that do run it: npx, the binary, the lean hook.
        for (const line of ['npx guardloop run --hook pre-commit', 'node_modules/.bin/guardloop run --hook pre-commit', '.loop/hooks/pre-commit "$@"']) {
          repo.write('.husky/pre-commit', `# guardloop\n${line}\n`);
          expect((await status(repo.dir, { HOME: home })).code, line).toBe(0);
        }
      }),
    ));

  it('a lean hook whose guardloop lines are all comments is ✗ too', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      repo.write('.loop/hooks/pre-push', '#!/bin/sh\n# guardloop run --hook pre-push\n# .loop/hooks/pre-push\nexit 0\n');
      const s = await status(repo.dir);
      expect(routes(s)).toEqual(['hooks-not-calling']);
      expect(messageOf(s, 'hooks-not-calling')[0]).toContain('pre-push: .loop/hooks/pre-push has no line that runs guardloop');
    }));
});

describe('status: an earlier guardloop\'s husky line is outdated', () => {
  it('`guardloop run --hook pre-commit` alone is reported with `guardloop init`, which replaces it; status is clean after', () =>
    withHome((home) =>
      withGitRepo(async (repo) => {
        await huskyRepo(repo, home);
        repo.write('.husky/pre-commit', 'guardloop run --hook pre-commit\n');
        repo.write('.husky/pre-push', 'npm test\nguardloop run --hook pre-push\n');
        const s = await status(repo.dir, { HOME: home });
        expect(s.code).toBe(1);
        expect(routes(s)).toEqual(['hooks-outdated']);
        expect(messageOf(s, 'hooks-outdated')).toEqual([
          "pre-commit: .husky/pre-commit holds an earlier guardloop's line, which fails with exit 127 in a worktree without node_modules (a new `git worktree`): run `guardloop init`",
          "pre-push: .husky/pre-push holds an earlier guardloop's line, which fails with exit 127 in a worktree without node_modules (a new `git worktree`): run `guardloop init`",
        ]);
        const init = await repo.cli(['init'], { env: { HOME: home } });
        expect(init.stdout).toContain(".husky/pre-commit: replaced an earlier guardloop's line");
        expect(init.stdout).toContain(".husky/pre-push: replaced an earlier guardloop's line");
        expect(repo.read('.husky/pre-push').startsWith('npm test\n')).toBe(true);
        expect((await status(repo.dir, { HOME: home })).code).toBe(0);
      }),
    ));
});

describe('status: husky\'s startup file', () => {
  it('a line of ~/.config/husky/init.sh (or $XDG_CONFIG_HOME/husky/init.sh) that sets HUSKY=0 is an open route naming the line to delete', () =>
    withHome((home) =>
      withGitRepo(async (repo) => {
        await huskyRepo(repo, home);
        mkdirSync(join(home, '.config', 'husky'), { recursive: true });
        const file = join(home, '.config', 'husky', 'init.sh');
        writeFileSync(file, '# export HUSKY=0 (commented out)\nexport PATH="$HOME/bin:$PATH"\nexport HUSKY=0\n');
        const s = await status(repo.dir, { HOME: home });
        expect(s.code).toBe(1);
        expect(routes(s)).toEqual(['husky-startup-disabled']);
        expect(messageOf(s, 'husky-startup-disabled')).toEqual([`${file} line 3 sets HUSKY=0, and husky sources that file before every hook, so no hook runs (not even the post-commit one that notes skips): delete line 3 of ${file}`]);
        // husky really runs no hook with it: a failing guard goes through.
        repo.config(`guards:\n${guardYaml('no', 'false')}`);
        repo.git('add', '-A');
        expect((await exec('git', ['commit', '-q', '-m', 'through'], { cwd: repo.dir, env: cleanEnv({ HOME: home }) })).code).toBe(0);

        // XDG_CONFIG_HOME is where husky looks when it is set.
        const xdg = join(home, 'xdg');
        mkdirSync(join(xdg, 'husky'), { recursive: true });
        writeFileSync(join(xdg, 'husky', 'init.sh'), 'HUSKY=0\n');
        const x = await status(repo.dir, { HOME: home, XDG_CONFIG_HOME: xdg });
        expect(messageOf(x, 'husky-startup-disabled')[0]).toContain(`${join(xdg, 'husky', 'init.sh')} line 1 sets HUSKY=0`);
        writeFileSync(join(xdg, 'husky', 'init.sh'), 'export HUSKY=1\n');
        expect((await status(repo.dir, { HOME: home, XDG_CONFIG_HOME: xdg })).code).toBe(0);
      }),
    ));
});

describe('status: another tool\'s hooks in .git/hooks (core.hooksPath unset)', () => {
  it('unchained hooks get the chaining advice (not `guardloop install`, which refuses); chained ones count as live and status exits 0', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      repo.git('config', '--unset', 'core.hooksPath');
      const hooks = join(repo.dir, '.git', 'hooks');
      writeFileSync(join(hooks, 'pre-commit'), '#!/bin/sh\nnpm test\n');
      chmodSync(join(hooks, 'pre-commit'), 0o755);
      const install = await repo.cli(['install']);
      expect(install.stdout).toContain('.git/hooks holds other hooks (pre-commit)');
      const s = await status(repo.dir);
      expect(s.code).toBe(1);
      expect(routes(s)).toEqual(['hooks-not-chained']);
      const advice = messageOf(s, 'hooks-not-chained');
      expect(advice).toHaveLength(4);
      expect(advice[0]).toBe(
        "pre-commit: .git/hooks/pre-commit (another tool's hook) does not run guardloop: add the line `.loop/hooks/pre-commit \"$@\" || exit $?` to .git/hooks/pre-commit, or move the other hooks into .loop/hooks and run `git config core.hooksPath .loop/hooks`",
      );
      expect(advice[1]).toContain('pre-merge-commit: .git/hooks/pre-merge-commit is missing');
      expect(s.text).not.toContain('run `guardloop install`');

      // Chained as install advises: every hook live, nothing open, and a commit runs the guards.
      writeFileSync(join(hooks, 'pre-commit'), '#!/bin/sh\nnpm test >/dev/null 2>&1 || :\n.loop/hooks/pre-commit "$@" || exit $?\n');
      for (const h of ['pre-merge-commit', 'post-commit', 'pre-push']) {
        writeFileSync(join(hooks, h), `#!/bin/sh\n.loop/hooks/${h} "$@" || exit $?\n`);
        chmodSync(join(hooks, h), 0o755);
      }
      const ok = await status(repo.dir);
      expect(ok.code, ok.text).toBe(0);
      expect(ok.json.git.hooks.every((h: { callsGuardloop: boolean }) => h.callsGuardloop)).toBe(true);
      repo.write('BAD', 'x\n');
      repo.git('add', 'BAD');
      const bad = await repo.commit('bad');
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('✗ no-bad');
    }));
});

describe('status: core.hooksPath set to the empty string', () => {
  it('is an open route (git runs no hook) with its fix, not a crash; the fix works', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      repo.git('config', 'core.hooksPath', '');
      const s = await status(repo.dir);
      expect(s.code, s.stderr).toBe(1);
      expect(routes(s)).toEqual(['hooks-path-empty']);
      expect(messageOf(s, 'hooks-path-empty')[0]).toContain('core.hooksPath is empty: git runs no hook');
      expect(messageOf(s, 'hooks-path-empty')[0]).toContain('run `git config --unset core.hooksPath && guardloop install`');
      expect(s.text).toContain('core.hooksPath is empty, so git runs no hook');
      expect(s.json.git).toMatchObject({ kind: 'empty', configured: '', hooks: [] });
      repo.git('config', '--unset', 'core.hooksPath');
      expect((await repo.cli(['install'])).code).toBe(0);
      expect((await status(repo.dir)).code).toBe(0);
    }));
});

describe('status in a teammate\'s fresh clone', () => {
  it('after `npm install` (prepare → guardloop install) status is clean: install set notes.guardloop.mergeStrategy; still reported when unset', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      const parent = mkdtempSync(join(tmpdir(), 'guardloop-clone-'));
      try {
        const clone = join(parent, 'clone');
        expect((await exec('git', ['clone', '-q', repo.dir, clone], { cwd: parent, env: cleanEnv() })).code).toBe(0);
        mkdirSync(join(clone, 'node_modules', '.bin'), { recursive: true });
        const { symlinkSync } = await import('node:fs');
        symlinkSync(join(repo.dir, 'node_modules', 'guardloop'), join(clone, 'node_modules', 'guardloop'));
        symlinkSync(CLI, join(clone, 'node_modules', '.bin', 'guardloop'));
        const before = await status(clone);
        expect(routes(before)).toEqual(['hooks-path-unset', 'notes-merge']);
        const install = await exec(process.execPath, [CLI, 'install'], { cwd: clone, env: cleanEnv() });
        expect(install.stdout).toContain('Also set git config notes.guardloop.mergeStrategy cat_sort_uniq');
        const after = await status(clone);
        expect(after.code, after.text).toBe(0);
        expect((await exec('git', ['config', 'notes.guardloop.mergeStrategy'], { cwd: clone, env: cleanEnv() })).stdout.trim()).toBe('cat_sort_uniq');
        expect((await exec(process.execPath, [CLI, 'install'], { cwd: clone, env: cleanEnv() })).stdout).not.toContain('mergeStrategy');
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    }));
});
