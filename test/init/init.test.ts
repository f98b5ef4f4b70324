import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, notesOf, withGitRepo } from '../helpers/git-repo.js';

function snapshot(dir: string, files: string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('guardloop init', () => {
  it('lean mode (no husky in the project): writes the committed hooks, sets core.hooksPath and a prepare script, a starter config from package.json scripts, and a second run changes nothing', () =>
    withGitRepo(async (repo) => {
      repo.installPackage({ scripts: { test: 'node -e "process.exit(0)"', lint: 'echo lint ok', build: 'tsc' } });
      const res = await repo.cli(['init']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('Hook mode: lean');
      expect(res.stdout).toContain('does not use husky');
      const pkg = JSON.parse(repo.read('package.json'));
      expect(pkg.devDependencies?.husky).toBeUndefined();
      expect(pkg.scripts.prepare).toBe('guardloop install');
      expect(existsSync(join(repo.dir, '.husky'))).toBe(false);
      for (const hook of ['pre-commit', 'post-commit', 'pre-push', 'agent']) {
        expect(repo.read(`.loop/hooks/${hook}`).split('\n')[0]).toBe('#!/bin/sh');
        expect(statSync(join(repo.dir, '.loop/hooks', hook)).mode & 0o111).not.toBe(0);
      }
      expect(repo.read('.loop/hooks/pre-commit')).toContain('exec "$gl" run --hook pre-commit');
      expect(repo.read('.loop/hooks/pre-push')).toContain('exec "$gl" run --hook pre-push "$@"');
      expect(repo.read('.loop/hooks/post-commit')).toContain('run --hook post-commit');
      const cfg = repo.read('.loop/config.yaml');
      expect(cfg).toContain('id: lint');
      expect(cfg).toContain('npm run --silent lint');
      expect(cfg).toContain('id: test');
      expect(cfg).not.toContain('id: build');
      expect(cfg.split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/guardloop/schema.json');
      expect(repo.git('config', 'core.hooksPath')).toBe('.loop/hooks');
      expect(repo.git('config', 'notes.guardloop.mergeStrategy')).toBe('cat_sort_uniq');
      expect(res.stdout).toContain('Next:');

      const files = ['package.json', '.loop/hooks/pre-commit', '.loop/hooks/post-commit', '.loop/hooks/pre-push', '.loop/hooks/agent', '.loop/config.yaml'];
      const before = snapshot(repo.dir, files);
      const again = await repo.cli(['init']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('nothing to change');
      expect(snapshot(repo.dir, files)).toEqual(before);

      // The starter config is valid and the hook is live: a commit runs the guards and is recorded.
      repo.git('add', '-A');
      const commit = await repo.commit('guarded');
      expect(commit.code, commit.stderr).toBe(0);
      expect(commit.stderr).toContain('✓ lint');
      expect(commit.stderr).toContain('✓ test');
      expect((notesOf(repo, 'HEAD^{tree}')[0] as any).status).toBe('ACCEPTED');
      // The hooks are committed: they travel with the repository.
      expect(repo.git('ls-files', '-s', '.loop/hooks/pre-commit')).toMatch(/^100755 /);
    }));

  it('husky mode when package.json has husky: adds the prepare script and all three hooks to .husky, and says why', () =>
    withGitRepo(async (repo) => {
      repo.installPackage({ devDependencies: { husky: '^9.1.7' } });
      const res = await repo.cli(['init']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('Hook mode: husky');
      expect(res.stdout).toContain('husky in package.json');
      expect(JSON.parse(repo.read('package.json')).scripts.prepare).toBe('husky');
      for (const hook of ['pre-commit', 'post-commit', 'pre-push']) {
        expect(repo.read(`.husky/${hook}`)).toContain(`run --hook ${hook}`);
        expect(repo.read(`.husky/${hook}`)).not.toMatch(/^#!/);
        expect(statSync(join(repo.dir, '.husky', hook)).mode & 0o111).not.toBe(0);
      }
      expect(existsSync(join(repo.dir, '.loop/hooks'))).toBe(false);
      expect(repo.git('config', 'core.hooksPath')).toBe('.husky/_');
      const before = snapshot(repo.dir, ['.husky/pre-commit', '.husky/post-commit', '.husky/pre-push']);
      expect((await repo.cli(['init'])).stdout).toContain('nothing to change');
      expect(snapshot(repo.dir, ['.husky/pre-commit', '.husky/post-commit', '.husky/pre-push'])).toEqual(before);
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      repo.git('add', '-A');
      const commit = await repo.commit('through husky');
      expect(commit.code, commit.stderr).toBe(0);
      expect((notesOf(repo, 'HEAD^{tree}')[0] as any).status).toBe('ACCEPTED');
    }));

  it('husky mode when .husky/ exists: appends to an existing pre-commit hook and an existing prepare script without clobbering them', () =>
    withGitRepo(async (repo) => {
      repo.installPackage({ scripts: { prepare: 'node setup.js' } });
      repo.write('.husky/pre-commit', 'echo "my own check"\n');
      const res = await repo.cli(['init']);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('Hook mode: husky');
      expect(res.stdout).toContain('a .husky/ folder');
      const hook = repo.read('.husky/pre-commit');
      expect(hook.startsWith('echo "my own check"\n\n# guardloop: run the guards on the staged content and record the verdict in refs/notes/guardloop')).toBe(true);
      expect(hook).toMatch(/exec "\$gl" run --hook pre-commit\n$/);
      expect(repo.read('.husky/post-commit')).toContain('run --hook post-commit');
      expect(repo.read('.husky/pre-push')).toContain('run --hook pre-push "$@"');
      expect(JSON.parse(repo.read('package.json')).scripts.prepare).toBe('node setup.js && husky');
      const cfg = repo.read('.loop/config.yaml');
      expect(cfg).toContain('no-conflict-markers');
    }));

  it('husky mode replaces an earlier guardloop line (exit 127 in a worktree without node_modules) with the current one, then keeps it', () =>
    withGitRepo(async (repo) => {
      repo.installPackage({ devDependencies: { husky: '^9.1.7' } });
      repo.write('.husky/pre-commit', 'echo mine\nguardloop run --hook pre-commit\n');
      const res = await repo.cli(['init']);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(".husky/pre-commit: replaced an earlier guardloop's line");
      const hook = repo.read('.husky/pre-commit');
      expect(hook.startsWith('echo mine\n# guardloop: run the guards')).toBe(true);
      expect(hook).not.toMatch(/^guardloop run --hook pre-commit$/m);
      expect(hook).toMatch(/exec "\$gl" run --hook pre-commit\n$/);
      const again = await repo.cli(['init']);
      expect(again.stdout).toContain('.husky/pre-commit: already calls guardloop');
      expect(repo.read('.husky/pre-commit')).toBe(hook);
    }));

  it('says what to do when there is no package.json', () =>
    withGitRepo(async (repo) => {
      const res = await repo.cli(['init']);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('npm init -y');
    }));
});
