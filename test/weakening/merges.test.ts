import { describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { call, checkCandidate, commitBase, findingPlaces } from './helpers.js';

const SNAP = (out: string) => `// Vitest Snapshot v1\n\nexports[\`render 1\`] = \`"${out}"\`;\n`;

// main: render + its snapshot; branch `feat` changes the snapshot in one commit and the code in another
// (each passes no-snapshot-with-code on its own); main moves on with other code meanwhile.
function branchWithSnapshotAndCode(repo: TestRepo): { main: string; feat: string } {
  commitBase(repo, {
    'src/render.ts': 'export const render = () => "<b>hi</b>";\n',
    'src/__snapshots__/render.test.ts.snap': SNAP('<b>hi</b>'),
    'src/render.test.ts': 'it("render", () => expect(render()).toMatchSnapshot());\n',
    'src/other.ts': 'export const other = 1;\n',
  });
  repo.git('branch', '-M', 'main');
  repo.git('checkout', '-q', '-b', 'feat');
  commitBase(repo, { 'src/__snapshots__/render.test.ts.snap': SNAP('<b>hello</b>') });
  commitBase(repo, { 'src/render.ts': 'export const render = () => "<b>hello</b>";\n' });
  repo.git('checkout', '-q', 'main');
  const main = commitBase(repo, { 'src/other.ts': 'export const other = 2;\n' });
  return { main, feat: repo.git('rev-parse', 'feat') };
}

describe('merges: a finding counts only when it is found against every parent', () => {
  it('a `git merge --no-ff` of a branch whose commits each passed passes (GUARDLOOP_PARENTS); against the first parent alone it would not', () =>
    withGitRepo(async (repo) => {
      const { main, feat } = branchWithSnapshotAndCode(repo);
      repo.git('merge', '-q', '--no-ff', '-m', 'merge feat', 'feat');
      const tree = repo.git('rev-parse', 'HEAD^{tree}');
      const firstParentOnly = await repo.cli(['check', 'no-snapshot-with-code', '--base', main, '--tree', tree]);
      expect(findingPlaces(firstParentOnly)).toEqual(['src/__snapshots__/render.test.ts.snap:3']);
      const merged = await repo.cli(['check', 'no-snapshot-with-code', '--base', main, '--tree', tree], { env: { GUARDLOOP_PARENTS: `${main} ${feat}` } });
      expect(merged).toMatchObject({ code: 0, stdout: '' });
    }));

  it('a merge’s pre-commit (base HEAD, MERGE_HEAD present) is judged against both parents; a skip the merge itself adds is found against both', () =>
    withGitRepo(async (repo) => {
      branchWithSnapshotAndCode(repo);
      repo.git('merge', '-q', '--no-ff', '--no-commit', 'feat');
      const byHand = await repo.cli(['check', 'no-snapshot-with-code']);
      expect(byHand).toMatchObject({ code: 0, stdout: '' });
      const out = await checkCandidate(repo, 'no-focused-or-skipped-tests', { 'src/render.test.ts': `${call('it', 'skip')}"render", () => expect(render()).toMatchSnapshot());\n` });
      expect(findingPlaces(out)).toEqual(['src/render.test.ts:1']);
      expect(out.code, out.stderr).toBe(1);
    }));
});

describe('no base: nothing to weaken yet', () => {
  it('with GUARDLOOP_BASE empty (a first commit, a project adopting guardloop) no check reports anything', () =>
    withGitRepo(async (repo) => {
      const files = {
        'test/a.test.ts': `${call('it', 'only')}"a", () => {});\n`,
        'src/a.ts': '// @ts-ignore\nexport const a: number = "1";\n',
        'src/__snapshots__/a.test.ts.snap': SNAP('a'),
        'vitest.config.ts': 'export default { test: { coverage: { thresholds: { lines: 0 } } } };\n',
      };
      for (const check of ['no-focused-or-skipped-tests', 'no-deleted-tests', 'no-removed-assertions', 'no-lowered-coverage', 'no-suppression-comments', 'no-snapshot-with-code']) {
        const out = await checkCandidate(repo, check, files, '');
        expect(out, check).toMatchObject({ code: 0, stdout: '', stderr: '' });
      }
      // By hand on an unborn branch (no HEAD) too.
      const byHand = await repo.cli(['check', 'no-suppression-comments']);
      expect(byHand).toMatchObject({ code: 0, stdout: '' });
    }));
});
