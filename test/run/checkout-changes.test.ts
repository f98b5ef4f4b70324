import { describe, expect, it } from 'vitest';
import { notesOf, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

const INVARIANT = 'In this codebase, a check must never change files, because it causes broken builds.';

// A base commit, then a partially staged file: the guards run in a temporary checkout.
function stagePartially(repo: TestRepo, files: Record<string, string>): void {
  repo.installPackage();
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  for (let i = 0; i < 20; i++) repo.write(`untouched/${i}.txt`, `${i}\n`);
  repo.write('partial.txt', 'one\ntwo\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'base');
  repo.write('partial.txt', 'one staged\ntwo\n');
  repo.git('add', 'partial.txt');
  repo.write('partial.txt', 'one staged\ntwo unstaged\n');
}

describe('what a guard changes in the temporary checkout', () => {
  it('is found whatever stays the same: same size at once, an old time put back, the exec bit, a deletion, a symlink over a file or a folder', () =>
    withGitRepo(async (repo) => {
      stagePartially(repo, { 'same.txt': 'aaaa\n', 'kept-time.txt': 'bbbb\n', 'exec.sh': 'echo\n', 'gone.txt': 'gone\n', 'link-me.txt': 'link\n', 'dir/inner.txt': 'inner\n' });
      const script = [
        "printf 'AAAA\\n' > same.txt",
        't=$(stat -c %y kept-time.txt)',
        "printf 'BBBB\\n' > kept-time.txt",
        'touch -d "$t" kept-time.txt',
        'chmod +x exec.sh',
        'rm gone.txt',
        'rm link-me.txt && ln -s same.txt link-me.txt',
        'mv dir dir.real && ln -s dir.real dir',
        'echo new > untracked.txt',
      ].join(' && ');
      repo.config(`guards:\n  - id: sneaky\n    run: ${JSON.stringify(script)}\n    invariant: "${INVARIANT}"\n`);
      const res = await repo.cli(['run', '--hook', 'pre-commit']);
      expect(res.stderr).toContain('temporary checkout');
      expect(res.code).not.toBe(0);
      const [record] = notesOf(repo, repo.git('write-tree')) as Array<{ isolated: boolean; verdicts: Array<{ status: string; modified?: string[] }> }>;
      expect(record.isolated).toBe(true);
      expect(record.verdicts[0].status).toBe('fail');
      expect(record.verdicts[0].modified).toEqual(['dir/inner.txt', 'exec.sh', 'gone.txt', 'kept-time.txt', 'link-me.txt', 'same.txt']);
      // The person's files are as they were.
      expect(repo.read('same.txt')).toBe('aaaa\n');
      expect(repo.read('partial.txt')).toBe('one staged\ntwo unstaged\n');
    }));

  it("stages a fix guard's same-size edit made the moment the checkout is written, and carries it to the working copy", () =>
    withGitRepo(async (repo) => {
      stagePartially(repo, { 'doc.txt': 'teh cat\n' });
      repo.config(`guards:\n  - id: typo\n    run: "sed -i s/teh/the/ doc.txt"\n    fix: true\n    invariant: "${INVARIANT}"\n`);
      const res = await repo.cli(['run', '--hook', 'pre-commit']);
      expect(res.code, res.stderr).toBe(0);
      const tree = repo.git('write-tree');
      expect(repo.git('cat-file', '-p', `${tree}:doc.txt`)).toBe('the cat');
      expect(repo.git('cat-file', '-p', `${tree}:partial.txt`)).toBe('one staged\ntwo');
      expect(repo.read('doc.txt')).toBe('the cat\n');
      expect(repo.read('partial.txt')).toBe('one staged\ntwo unstaged\n');
      const [record] = notesOf(repo, tree) as Array<{ isolated: boolean; verdicts: Array<{ status: string; modified?: string[] }> }>;
      expect(record).toMatchObject({ isolated: true, verdicts: [{ status: 'pass', modified: ['doc.txt'] }] });
    }));
});
