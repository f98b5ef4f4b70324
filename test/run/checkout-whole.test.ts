import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startToken } from '../../src/git/process-alive.js';
import { guardYaml, notesOf, withGitRepo } from '../helpers/git-repo.js';
import { waitUntil } from '../helpers/processes.js';

// A guard that writes down where it ran and every file it saw there (the private git dir left out),
// with the content of the two files the test checks.
const LISTING = `pwd > "$MARK/where" && find . -path ./.git -prune -o \\( -type f -o -type l \\) -print | sed 's|^\\./||' | LC_ALL=C sort > "$MARK/files" && cat a/staged.txt > "$MARK/staged" && cat b/far.txt > "$MARK/far"`;

describe('the temporary checkout of a partially staged commit', () => {
  it('holds every file of the candidate, whatever sparse checkout and submodule.recurse say, and is removed after the run', () =>
    withGitRepo(async (repo) => {
      const mark = mkdtempSync(join(tmpdir(), 'guardloop-whole-'));
      try {
        repo.installHook();
        repo.config(`guards:\n${guardYaml('listing', LISTING)}`);
        repo.write('a/staged.txt', 'base\n');
        repo.write('b/far.txt', 'far away\n');
        for (let i = 0; i < 30; i++) repo.write(`b/deep/${i}/f.txt`, `${i}\n`);
        repo.write('top.txt', 'top\n');
        repo.git('add', '-A');
        repo.git('commit', '-q', '--no-verify', '-m', 'base');
        // The person works on a/ only: b/ is not in their work tree at all.
        repo.git('sparse-checkout', 'set', 'a', '.loop', '.husky');
        repo.git('config', 'submodule.recurse', 'true');
        expect(existsSync(join(repo.dir, 'b', 'far.txt'))).toBe(false);
        repo.write('a/staged.txt', 'staged\n');
        repo.git('add', 'a/staged.txt');
        repo.write('a/staged.txt', 'staged\nand not staged\n');
        const res = await repo.commit('partial', [], { MARK: mark });
        expect(res.code, res.stderr).toBe(0);
        expect(notesOf(repo, 'HEAD^{tree}')[0]).toMatchObject({ status: 'ACCEPTED', isolated: true });
        // Exactly the candidate's files, with its content: the staged version, and b/ as committed.
        const tree = repo.git('ls-tree', '-r', '--name-only', 'HEAD').split('\n');
        expect(readFileSync(join(mark, 'files'), 'utf8').trim().split('\n')).toEqual([...tree, 'node_modules'].sort());
        expect(readFileSync(join(mark, 'staged'), 'utf8')).toBe('staged\n');
        expect(readFileSync(join(mark, 'far'), 'utf8')).toBe('far away\n');
        expect(repo.read('a/staged.txt')).toBe('staged\nand not staged\n');
        // The checkout is no run's once the commit is over (its owner file is gone at once) and its
        // files go in the background.
        const where = readFileSync(join(mark, 'where'), 'utf8').trim();
        const checkout = join(where, '..');
        expect(existsSync(join(checkout, 'owner'))).toBe(false);
        expect(await waitUntil(() => !existsSync(checkout), 30_000)).toBe(true);
      } finally {
        rmSync(mark, { recursive: true, force: true });
      }
    }));

  it('sweeps what killed runs left (a checkout, a removal marker) but not a checkout another process is still removing', () =>
    withGitRepo(async (repo) => {
      const root = mkdtempSync(join(tmpdir(), 'guardloop-sweep-'));
      try {
        repo.config(`guards:\n${guardYaml('ok', 'true')}`);
        repo.write('a.txt', 'a\n');
        repo.git('add', '-A');
        const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
        const checkouts = join(root, `guardloop-${uid}`);
        // Named after this (live) process but recorded with another start: a dead run's, as after a reused pid.
        const dead = `${process.pid}\n${repo.dir}\nnot-this-process\n`;
        const leftBehind = join(checkouts, `${process.pid}-aaaaaa`);
        const beingRemoved = join(checkouts, `${process.pid}-bbbbbb`);
        for (const dir of [leftBehind, beingRemoved]) {
          mkdirSync(join(dir, 'tree', 'src'), { recursive: true });
          writeFileSync(join(dir, 'tree', 'src', 'f.txt'), 'x\n');
          writeFileSync(join(dir, 'owner'), dead);
        }
        // A removal still at work (named by a live process: this one) and the marker of one that is over.
        writeFileSync(`${beingRemoved}.rm`, `${process.pid}\n${startToken(process.pid) ?? ''}\n`);
        writeFileSync(join(checkouts, `${process.pid}-cccccc.rm`), `${process.pid}\nnot-this-process\n`);
        const res = await repo.cli(['run', '--hook', 'pre-commit'], { env: { GUARDLOOP_TMPDIR: root } });
        expect(res.code, res.stderr).toBe(0);
        expect(existsSync(join(beingRemoved, 'tree', 'src', 'f.txt'))).toBe(true);
        expect(existsSync(join(checkouts, `${process.pid}-cccccc.rm`))).toBe(false);
        expect(await waitUntil(() => !existsSync(leftBehind), 30_000)).toBe(true);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }));
});
