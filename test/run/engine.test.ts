import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, notesOf, withGitRepo } from '../helpers/git-repo.js';
import { processesWith, waitUntil } from '../helpers/processes.js';

const config = (...guards: string[]) => `guards:\n${guards.join('')}`;
const record = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

describe('guardloop run (the engine)', () => {
  it('kills a guard and everything it started when it times out', () =>
    withGitRepo(async (repo) => {
      const dir = mkdtempSync(join(tmpdir(), 'guardloop-engine-'));
      // Every process of the guard carries the token on its command line; none ends by itself.
      const token = String(Math.floor(Math.random() * 1e9));
      try {
        repo.installPackage();
        repo.config(config(guardYaml('slow', `(touch ${dir}/child-started; sleep 1000.${token}; touch late-child) & sleep 1000.${token}; touch late-parent`, '    timeout: 1\n')));
        repo.write('a.txt', 'x\n');
        repo.git('add', '-A');
        const res = await repo.cli(['run', '--json']);
        expect(res.code).toBe(1);
        const r = record(res.stdout);
        expect(r.verdicts[0]).toMatchObject({ guard: 'slow', status: 'timeout' });
        expect(r.verdicts[0].feedback).toContain('timed out after 1 s');
        // The background child did start, and no process of the guard is left (polled: the kill has a grace period).
        expect(existsSync(join(dir, 'child-started'))).toBe(true);
        expect(await waitUntil(() => processesWith(token).length === 0, 30_000)).toBe(true);
        expect(existsSync(join(repo.dir, 'late-child'))).toBe(false);
        expect(existsSync(join(repo.dir, 'late-parent'))).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }));

  it('reports a command that cannot start as error with a hint', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.write('.loop/config.yaml', `guards:\n  - id: shell\n    run: "no-such-tool-xyz --check"\n    invariant: "In this codebase, x must never happen, because it causes y."\n  - id: argv\n    run: ["no-such-binary-xyz", "a"]\n    invariant: "In this codebase, x must never happen, because it causes y."\n`);
      repo.write('a.txt', 'x\n');
      repo.git('add', '-A');
      const res = await repo.cli(['run', '--json']);
      expect(res.code).toBe(1);
      const r = record(res.stdout);
      expect(r.verdicts.map((v: any) => v.status)).toEqual(['error', 'error']);
      expect(r.verdicts[0].feedback).toContain('not found in PATH');
      expect(r.verdicts[1].feedback).toContain('"no-such-binary-xyz" was not found in PATH');
    }));

  it('runs a guard with files only when a changed path matches, and expands {files} safely quoted', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(
        config(
          guardYaml('md', 'printf "<%s>" {files}', '    files: ["*.md"]\n'),
          guardYaml('py', 'echo python', '    files: ["**/*.py"]\n'),
          guardYaml('args', 'x', '').replace('run: "x"', 'run: ["printf", "[%s]", "{files}"]').replace('invariant', 'files: ["docs/**"]\n    invariant'),
        ),
      );
      repo.write("docs/it's a $HOME.md", 'x\n');
      repo.write('b.md', 'y\n');
      repo.git('add', '-A');
      const res = await repo.cli(['run', '--json']);
      expect(res.code).toBe(0);
      const r = record(res.stdout);
      expect(r.verdicts[0]).toMatchObject({ guard: 'md', status: 'pass', feedback: "<b.md><docs/it's a $HOME.md>" });
      expect(r.verdicts[1]).toMatchObject({ guard: 'py', status: 'skipped' });
      expect(r.verdicts[2]).toMatchObject({ guard: 'args', status: 'pass', feedback: "[docs/it's a $HOME.md]" });
      expect(res.stderr).toContain('– py');
    }));

  it('gives guards a fixed environment plus their own env, and node_modules/.bin on PATH', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(config(guardYaml('env', 'echo "$TZ|$LC_ALL|$NO_COLOR|$GUARDLOOP_GUARD|$MINE" && command -v guardloop', '    env:\n      MINE: "yes"\n')));
      repo.write('a.txt', 'x\n');
      repo.git('add', '-A');
      const res = await repo.cli(['run', '--json'], { env: { TZ: 'Europe/Paris', LC_ALL: 'de_DE.UTF-8' } });
      const r = record(res.stdout);
      expect(r.verdicts[0].feedback).toMatch(/^UTC\|C\|1\|env\|yes\n.*node_modules\/\.bin\/guardloop\n$/);
    }));

  // Guards run at most availableParallelism() at a time: with one slot nothing can finish out of order.
  it.skipIf(availableParallelism() < 2)('prints and records guards in declaration order even when they finish out of order', () =>
    withGitRepo(async (repo) => {
      const dir = mkdtempSync(join(tmpdir(), 'guardloop-engine-'));
      try {
        repo.installPackage();
        // `first` ends only once `third` has run: both pass only if they ran at the same time (else `first` times out).
        const first = guardYaml('first', `while [ ! -e ${dir}/third ]; do sleep 0.05; done; echo 1`, '    timeout: 30s\n');
        repo.config(config(first, guardYaml('second', 'echo 2'), guardYaml('third', `touch ${dir}/third; exit 3`)));
        repo.write('a.txt', 'x\n');
        repo.git('add', '-A');
        const res = await repo.cli(['run', '--json']);
        const r = record(res.stdout);
        expect(r.verdicts.map((v: any) => `${v.guard}:${v.status}`)).toEqual(['first:pass', 'second:pass', 'third:fail']);
        const order = ['✓ first', '✓ second', '✗ third'].map((s) => res.stderr.indexOf(s));
        expect(order.every((p, i) => p >= 0 && (i === 0 || p > order[i - 1]))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }));

  it('strips ANSI codes from the record and cuts long output with a marker', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.write('.loop/config.yaml', `limits:\n  output: 2000\nguards:\n${guardYaml('noisy', `printf '\\033[31mred\\033[0m\\n'; seq 1 5000`)}`);
      repo.write('a.txt', 'x\n');
      repo.git('add', '-A');
      const r = record((await repo.cli(['run', '--json'])).stdout);
      const fb: string = r.verdicts[0].feedback;
      expect(fb.startsWith('red\n1\n2\n')).toBe(true);
      expect(fb).toMatch(/\[guardloop: \d+ characters of output cut\]/);
      expect(fb.trimEnd().endsWith('5000')).toBe(true);
      expect(fb.length).toBeLessThan(2200);
    }));

  it('checks the staged content of a partially staged file in a temporary checkout, leaving the work tree alone', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(config(guardYaml('staged-only', 'cat notes.txt && ! grep -q UNSTAGED notes.txt && test ! -e untracked.txt && pwd')));
      repo.write('notes.txt', 'one\n');
      repo.git('add', '-A');
      expect((await repo.commit('base')).code).toBe(0);
      repo.write('notes.txt', 'one\nstaged\n');
      repo.git('add', 'notes.txt');
      repo.write('notes.txt', 'one\nstaged\nUNSTAGED\n');
      repo.write('untracked.txt', 'mine\n');
      const before = { status: repo.git('status', '--porcelain'), index: repo.git('ls-files', '-s'), diff: repo.git('diff') };
      const res = await repo.commit('partial');
      expect(res.code).toBe(0);
      expect(res.stderr).toContain('temporary checkout');
      expect(repo.read('notes.txt')).toBe('one\nstaged\nUNSTAGED\n');
      expect(repo.read('untracked.txt')).toBe('mine\n');
      expect(repo.git('show', 'HEAD:notes.txt')).toBe('one\nstaged');
      expect(repo.git('diff')).toBe(before.diff);
      const r = notesOf(repo, 'HEAD^{tree}')[0] as any;
      expect(r.isolated).toBe(true);
      expect(r.verdicts[0].feedback).toContain('one\nstaged\n');
      expect(r.verdicts[0].feedback).not.toContain(repo.dir);
    }));

  it('rejects a check-only guard that modifies files and puts the files back', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(config(guardYaml('sneaky', 'echo changed > a.txt')));
      repo.write('a.txt', 'original\n');
      repo.git('add', '-A');
      const res = await repo.cli(['run', '--json']);
      expect(res.code).toBe(1);
      const r = record(res.stdout);
      expect(r.verdicts[0]).toMatchObject({ status: 'fail', modified: ['a.txt'] });
      expect(r.verdicts[0].feedback).toContain('guard modified files: a.txt');
      expect(repo.read('a.txt')).toBe('original\n');
    }));

  it('stages a fix guard’s changes in place, and the record holds the fixed tree', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(config(guardYaml('format', "sed -i 's/  */ /g' code.txt", '    fix: true\n    files: ["*.txt"]\n')));
      repo.write('code.txt', 'a   b\n');
      repo.git('add', '-A');
      const res = await repo.commit('fix');
      expect(res.code).toBe(0);
      expect(repo.git('show', 'HEAD:code.txt')).toBe('a b');
      expect(repo.read('code.txt')).toBe('a b\n');
      expect(repo.git('status', '--porcelain')).toBe('');
      const r = notesOf(repo, 'HEAD^{tree}')[0] as any;
      expect(r.tree).toBe(repo.git('rev-parse', 'HEAD^{tree}'));
      expect(r.verdicts[0].modified).toEqual(['code.txt']);
    }));

  it('with unstaged work, stages the fix and applies it to the working copy only where it applies cleanly', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(config(guardYaml('format', "sed -i 's/  */ /g' *.txt", '    fix: true\n    files: ["*.txt"]\n')));
      repo.write('clean.txt', 'line1\nline2\nline3\nline4\nline5\nline6\nline7\n');
      repo.write('clash.txt', 'x\n');
      repo.git('add', '-A');
      expect((await repo.commit('base')).code).toBe(0);
      repo.write('clean.txt', 'line1   spaced\nline2\nline3\nline4\nline5\nline6\nline7\n');
      repo.write('clash.txt', 'p   q\n');
      repo.git('add', '-A');
      // Unstaged: a far-away hunk in clean.txt (applies), the same line in clash.txt (conflicts).
      repo.write('clean.txt', 'line1   spaced\nline2\nline3\nline4\nline5\nline6\nline7 unstaged\n');
      repo.write('clash.txt', 'p   q   mine\n');
      const res = await repo.commit('fix');
      expect(res.code).toBe(0);
      expect(repo.git('show', 'HEAD:clean.txt')).toBe('line1 spaced\nline2\nline3\nline4\nline5\nline6\nline7');
      expect(repo.git('show', 'HEAD:clash.txt')).toBe('p q');
      expect(repo.read('clean.txt')).toBe('line1 spaced\nline2\nline3\nline4\nline5\nline6\nline7 unstaged\n');
      expect(repo.read('clash.txt')).toBe('p   q   mine\n');
      expect(res.stderr).toContain('could not be applied to your working copy of: clash.txt');
    }));

  it('a fix guard in the temporary checkout carries its fix back whatever diff.noprefix and diff.relative say', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(config(guardYaml('format', "sed -i 's/  */ /g' *.txt", '    fix: true\n    files: ["*.txt"]\n')));
      repo.write('clean.txt', 'line1\nline2\nline3\nline4\nline5\nline6\nline7\n');
      repo.git('add', '-A');
      expect((await repo.commit('base')).code).toBe(0);
      repo.git('config', 'diff.noprefix', 'true');
      repo.git('config', 'diff.relative', 'true');
      repo.write('clean.txt', 'line1   spaced\nline2\nline3\nline4\nline5\nline6\nline7\n');
      repo.git('add', '-A');
      repo.write('clean.txt', 'line1   spaced\nline2\nline3\nline4\nline5\nline6\nline7 unstaged\n');
      const res = await repo.commit('fix');
      expect(res.code, res.stderr).toBe(0);
      expect(repo.git('show', 'HEAD:clean.txt')).toBe('line1 spaced\nline2\nline3\nline4\nline5\nline6\nline7');
      expect(repo.read('clean.txt')).toBe('line1 spaced\nline2\nline3\nline4\nline5\nline6\nline7 unstaged\n');
    }));

  it.each(['in place', 'in a temporary checkout'])('never lets a guard’s git commands reach the user’s repository (%s)', (mode) =>
    withGitRepo(async (repo) => {
      repo.installHook();
      // What a test suite does: a throwaway repository of its own, configured; then a look at the candidate.
      const script = 'd=$(mktemp -d) && cd "$d" && git init -q && git config user.name Inner && git config core.worktree /nowhere && cd - >/dev/null && git diff --cached --name-only && git rev-parse --show-toplevel >/dev/null';
      repo.config(`guards:\n${guardYaml('inner-git', script)}`);
      repo.write('a.txt', 'one\n');
      repo.git('add', '-A');
      expect((await repo.commit('base')).code).toBe(0);
      repo.write('a.txt', 'two\n');
      repo.git('add', 'a.txt');
      if (mode !== 'in place') repo.write('a.txt', 'two\nunstaged\n');
      const configBefore = repo.read('.git/config');
      const res = await repo.commit('change');
      expect(res.code, res.stderr).toBe(0);
      expect(repo.read('.git/config')).toBe(configBefore);
      const r = notesOf(repo, 'HEAD^{tree}')[0] as any;
      expect(r.isolated).toBe(mode !== 'in place');
      // Inside the guard, git sees the candidate: the staged change.
      expect(r.verdicts[0].feedback).toBe('a.txt\n');
    }));

  it('prints the record with --json and exits 1 on rejection, 2 on a bad --hook', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(config(guardYaml('bad', 'false', '    on: [pre-push]\n'), guardYaml('good', 'true')));
      repo.write('a.txt', 'x\n');
      repo.git('add', '-A');
      const commitRun = await repo.cli(['run', '--hook', 'pre-commit', '--json']);
      expect(commitRun.code).toBe(0);
      expect(record(commitRun.stdout).verdicts.map((v: any) => v.guard)).toEqual(['good']);
      const all = await repo.cli(['run', '--json', '--no-cache']);
      expect(all.code).toBe(1);
      expect(record(all.stdout).status).toBe('REJECTED');
      const bad = await repo.cli(['run', '--hook', 'pre-merge']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--hook must be one of');
    }));
});
