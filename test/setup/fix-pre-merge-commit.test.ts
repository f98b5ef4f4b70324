import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notesOf, withGitRepo } from '../helpers/git-repo.js';
import { gitIn, leanRepo } from './helpers.js';

// `git merge` and `git pull` run pre-merge-commit, not pre-commit: without it a clean merge gets no
// record, and `audit.merges: require` then refuses the next push.
describe('the pre-merge-commit hook', () => {
  it('init writes it; a clean `git merge --no-ff` records an ACCEPTED verdict for the merge tree; a failing guard refuses the merge', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      const hook = join(repo.dir, '.loop/hooks/pre-merge-commit');
      expect(existsSync(hook)).toBe(true);
      expect(statSync(hook).mode & 0o111).not.toBe(0);
      expect(readFileSync(hook, 'utf8')).toContain('run --hook pre-commit');

      repo.git('checkout', '-q', '-b', 'feat');
      repo.write('feat.txt', 'feature\n');
      repo.git('add', 'feat.txt');
      expect((await repo.commit('feature')).code).toBe(0);
      repo.git('checkout', '-q', 'main');
      repo.write('main.txt', 'main work\n');
      repo.git('add', 'main.txt');
      expect((await repo.commit('main work')).code).toBe(0);

      const merge = await gitIn(repo.dir, ['merge', '--no-ff', '-m', 'merge feat', 'feat']);
      expect(merge.code, merge.stderr).toBe(0);
      expect(merge.stderr).toContain('✓ no-bad');
      expect(repo.git('rev-list', '--parents', '-1', 'HEAD').split(' ')).toHaveLength(3);
      const tree = repo.git('rev-parse', 'HEAD^{tree}');
      expect(notesOf(repo, tree).map((r) => [r.status, r.hook])).toEqual([['ACCEPTED', 'pre-commit']]);
      const audit = await repo.cli(['audit', 'HEAD~1..HEAD']);
      expect(audit.code, audit.stdout + audit.stderr).toBe(0);

      // A branch whose failure was committed past the hooks: merging it is refused, nothing committed.
      repo.git('checkout', '-q', '-b', 'bad');
      repo.write('BAD', 'x\n');
      repo.git('add', 'BAD');
      expect((await repo.commit('bad', ['--no-verify'])).code).toBe(0);
      repo.git('checkout', '-q', 'main');
      const before = repo.git('rev-parse', 'HEAD');
      const refused = await gitIn(repo.dir, ['merge', '--no-ff', '-m', 'merge bad', 'bad']);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('✗ no-bad');
      expect(repo.git('rev-parse', 'HEAD')).toBe(before);
    }));

  it('status checks it: a lean .loop/hooks without it names the command that writes it', () =>
    withGitRepo(async (repo) => {
      await leanRepo(repo);
      repo.git('rm', '-q', '.loop/hooks/pre-merge-commit');
      const status = await repo.cli(['status', '--json']);
      expect(status.code).toBe(1);
      const json = JSON.parse(status.stdout);
      expect(json.git.hooks.find((h: { name: string }) => h.name === 'pre-merge-commit')).toMatchObject({ present: false });
      expect(json.problems).toContainEqual({ route: 'hooks-missing', message: expect.stringContaining('pre-merge-commit: .loop/hooks/pre-merge-commit is missing') });
      // `guardloop install` still makes an older init's three hooks live.
      repo.git('config', '--unset', 'core.hooksPath');
      expect((await repo.cli(['install'])).code).toBe(0);
      expect(repo.git('config', 'core.hooksPath')).toBe('.loop/hooks');
    }));

  it('husky mode appends it to .husky/pre-merge-commit once (init is idempotent)', () =>
    withGitRepo(async (repo) => {
      repo.installPackage({ devDependencies: { husky: '^9.1.7' } });
      repo.config('guards: []\n');
      expect((await repo.cli(['init'])).code).toBe(0);
      expect((await repo.cli(['init'])).code).toBe(0);
      const text = readFileSync(join(repo.dir, '.husky/pre-merge-commit'), 'utf8');
      expect(text.match(/run --hook pre-commit/g)).toHaveLength(1);
    }));
});
