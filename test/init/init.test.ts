import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notesOf, withGitRepo } from '../helpers/git-repo.js';

function snapshot(dir: string, files: string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('guardloop init', () => {
  it('adds husky and prepare, writes the hook and a starter config from package.json scripts, and a second run changes nothing', () =>
    withGitRepo(async (repo) => {
      repo.installPackage({ scripts: { test: 'node -e "process.exit(0)"', lint: 'echo lint ok', build: 'tsc' } });
      const res = await repo.cli(['init']);
      expect(res.code).toBe(0);
      const pkg = JSON.parse(repo.read('package.json'));
      expect(pkg.devDependencies.husky).toMatch(/^\^9/);
      expect(pkg.scripts.prepare).toBe('husky');
      expect(repo.read('.husky/pre-commit')).toContain('guardloop run --hook pre-commit');
      expect(statSync(join(repo.dir, '.husky/pre-commit')).mode & 0o111).not.toBe(0);
      const cfg = repo.read('.loop/config.yaml');
      expect(cfg).toContain('id: lint');
      expect(cfg).toContain('npm run --silent lint');
      expect(cfg).toContain('id: test');
      expect(cfg).not.toContain('id: build');
      expect(cfg.split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/guardloop/schema.json');
      expect(repo.git('config', 'core.hooksPath')).toBe('.husky/_');
      expect(repo.git('config', 'notes.guardloop.mergeStrategy')).toBe('cat_sort_uniq');
      expect(res.stdout).toContain('Next:');

      const files = ['package.json', '.husky/pre-commit', '.loop/config.yaml'];
      const before = snapshot(repo.dir, files);
      const again = await repo.cli(['init']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('nothing to change');
      expect(snapshot(repo.dir, files)).toEqual(before);

      // The starter config is valid and the hook is live: a commit runs the guards and is recorded.
      repo.git('add', '-A');
      const commit = await repo.commit('guarded');
      expect(commit.code).toBe(0);
      expect(commit.stderr).toContain('✓ lint');
      expect(commit.stderr).toContain('✓ test');
      expect((notesOf(repo, 'HEAD^{tree}')[0] as any).status).toBe('ACCEPTED');
    }));

  it('appends to an existing pre-commit hook and an existing prepare script without clobbering them', () =>
    withGitRepo(async (repo) => {
      repo.installPackage({ scripts: { prepare: 'node setup.js' } });
      repo.write('.husky/pre-commit', 'echo "my own check"\n');
      const res = await repo.cli(['init']);
      expect(res.code).toBe(0);
      expect(repo.read('.husky/pre-commit')).toBe('echo "my own check"\n\n# guardloop: run the guards on the staged content and record the verdict in refs/notes/guardloop\nguardloop run --hook pre-commit\n');
      expect(JSON.parse(repo.read('package.json')).scripts.prepare).toBe('node setup.js && husky');
      const cfg = repo.read('.loop/config.yaml');
      expect(cfg).toContain('no-conflict-markers');
    }));

  it('says what to do when there is no package.json', () =>
    withGitRepo(async (repo) => {
      const res = await repo.cli(['init']);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('npm init -y');
    }));
});
