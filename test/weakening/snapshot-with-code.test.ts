import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { checkCandidate, commitBase, findingPlaces } from './helpers.js';

const CHECK = 'no-snapshot-with-code';
const SNAP = (out: string) => `// Vitest Snapshot v1\n\nexports[\`render 1\`] = \`"${out}"\`;\n`;

describe('guardloop check no-snapshot-with-code', () => {
  it('fails when a snapshot changes in the same diff as source code, listing that source', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'src/render.ts': 'export const render = () => "<b>hi</b>";\n',
        'src/__snapshots__/render.test.ts.snap': SNAP('<b>hi</b>'),
        'src/render.test.ts': 'it("render", () => expect(render()).toMatchSnapshot());\n',
      });
      const out = await checkCandidate(repo, CHECK, {
        'src/render.ts': 'export const render = () => "<i>hi</i>";\n',
        'src/__snapshots__/render.test.ts.snap': SNAP('<i>hi</i>'),
      });
      expect(out.code, out.stderr).toBe(1);
      expect(findingPlaces(out)).toEqual(['src/__snapshots__/render.test.ts.snap:3']);
      expect(out.stdout).toContain('src/__snapshots__/render.test.ts.snap:3: updates a snapshot in the same change as source code (src/render.ts) — a snapshot rewritten together with the code it pins accepts whatever the code now does;');
    }));

  it('passes on near misses: a snapshot updated on its own, with only its test, and a new snapshot added with new code', () =>
    withGitRepo(async (repo) => {
      commitBase(repo, {
        'src/render.ts': 'export const render = () => "<b>hi</b>";\n',
        'src/__snapshots__/render.test.ts.snap': SNAP('<b>hi</b>'),
        'src/render.test.ts': 'it("render", () => expect(render()).toMatchSnapshot());\n',
      });
      const alone = await checkCandidate(repo, CHECK, { 'src/__snapshots__/render.test.ts.snap': SNAP('<b>hello</b>'), 'README.md': 'Renders.\n' });
      expect(alone).toMatchObject({ code: 0, stdout: '' });
      const withTest = await checkCandidate(repo, CHECK, { 'src/render.test.ts': 'it("render", () => expect(render()).toMatchSnapshot("b"));\n' });
      expect(withTest).toMatchObject({ code: 0, stdout: '' });
      repo.git('commit', '-q', '-m', 'snapshot reviewed');
      const added = await checkCandidate(repo, CHECK, {
        'src/list.ts': 'export const list = () => "<ul></ul>";\n',
        'src/__snapshots__/list.test.ts.snap': SNAP('<ul></ul>'),
      });
      expect(added).toMatchObject({ code: 0, stdout: '' });
    }));
});
