import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardYaml, notesOf, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// A guard that announces its start (a marker file) and waits until the test releases it: the test
// edits the work tree exactly while the guard runs, with no sleep deciding when.
function gated(): { marker: string; release: string; wait: string } {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-gate-'));
  dirs.push(dir);
  const marker = join(dir, 'started');
  const release = join(dir, 'release');
  return { marker, release, wait: `echo x >> ${marker}; while [ ! -e ${release} ]; do sleep 0.02; done` };
}

async function until(test: () => boolean): Promise<void> {
  // Waits for an event (the guard's marker); the bound only keeps a broken run from hanging the suite.
  for (let i = 0; i < 3000 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(test()).toBe(true);
}

function setup(repo: TestRepo, guards: string): void {
  repo.installHook();
  repo.config(`guards:\n${guards}`);
  repo.write('code.txt', 'a   b\n');
  repo.write('other.txt', 'untouched\n');
  repo.git('add', '-A');
  repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'base');
  repo.write('code.txt', 'a   b\nstaged line\n');
  repo.git('add', 'code.txt');
}

describe('an edit saved while the guards run', () => {
  it('check-only guard in place: both edits (staged file, untouched tracked file) survive byte for byte; the verdict comes from a private copy', () =>
    withGitRepo(async (repo) => {
      const gate = gated();
      setup(repo, guardYaml('check', `${gate.wait}; grep -q 'staged line' code.txt`));
      const commit = repo.commit('with a person typing');
      await until(() => existsSync(gate.marker));
      // The person keeps typing: one line onto the staged file, one onto a file nobody staged.
      appendFileSync(join(repo.dir, 'code.txt'), 'typed during the run\n');
      appendFileSync(join(repo.dir, 'other.txt'), 'autosaved during the run\n');
      writeFileSync(gate.release, '');
      const res = await commit;
      expect(res.code).toBe(0);
      expect(repo.read('code.txt')).toBe('a   b\nstaged line\ntyped during the run\n');
      expect(repo.read('other.txt')).toBe('untouched\nautosaved during the run\n');
      // The commit holds exactly what was staged; the edits are still there, unstaged.
      expect(repo.git('show', 'HEAD:code.txt')).toBe('a   b\nstaged line');
      expect(repo.git('show', 'HEAD:other.txt')).toBe('untouched');
      expect(repo.git('diff', '--name-only')).toBe('code.txt\nother.txt');
      expect(repo.git('diff', '--cached', '--name-only')).toBe('');
      expect(res.stderr).toContain('files changed while the guards ran');
      const [rec] = notesOf(repo, 'HEAD^{tree}');
      expect(rec).toMatchObject({ status: 'ACCEPTED', isolated: true, drifted: ['code.txt', 'other.txt'] });
      // The guard ran twice: in place (dropped), then in the private copy.
      expect(readFileSync(gate.marker, 'utf8')).toBe('x\nx\n');
    }));

  it('fix guard: the fix is staged from a private copy, the person’s edits survive byte for byte, nothing half-typed is committed', () =>
    withGitRepo(async (repo) => {
      const gate = gated();
      setup(repo, guardYaml('format', `${gate.wait}; sed -i 's/  */ /g' code.txt`, '    fix: true\n'));
      const commit = repo.commit('with a person typing');
      await until(() => existsSync(gate.marker));
      appendFileSync(join(repo.dir, 'code.txt'), 'half-typ');
      appendFileSync(join(repo.dir, 'other.txt'), 'autosaved during the run\n');
      writeFileSync(gate.release, '');
      const res = await commit;
      expect(res.code).toBe(0);
      // Committed: the staged content with the fix, and not a byte of the half-typed edit.
      expect(repo.git('show', 'HEAD:code.txt')).toBe('a b\nstaged line');
      expect(repo.git('show', 'HEAD:other.txt')).toBe('untouched');
      // The working copy got the fix where it applies, and keeps the person's bytes.
      expect(repo.read('code.txt')).toBe('a b\nstaged line\nhalf-typ');
      expect(repo.read('other.txt')).toBe('untouched\nautosaved during the run\n');
    }));

  it('a file staged while the guards run (git commit holds no index lock meanwhile): the commit is refused, the staging kept', () =>
    withGitRepo(async (repo) => {
      const gate = gated();
      setup(repo, guardYaml('check', `${gate.wait}; ! grep -q BAD code.txt`));
      const head = repo.git('rev-parse', 'HEAD');
      const judged = repo.git('write-tree');
      const commit = repo.commit('staged mid-run');
      await until(() => existsSync(gate.marker));
      repo.write('code.txt', 'BAD\n');
      repo.git('add', 'code.txt');
      writeFileSync(gate.release, '');
      const res = await commit;
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('the index changed while the guards ran (code.txt)');
      expect(repo.git('rev-parse', 'HEAD')).toBe(head);
      // What the person staged is still staged.
      expect(repo.git('show', ':code.txt')).toBe('BAD');
      // The REJECTED record is on the tree the guards judged, and says why.
      const [rec] = notesOf(repo, judged) as Array<{ status: string; verdicts: Array<{ guard: string; status: string }> }>;
      expect(rec.status).toBe('REJECTED');
      expect(rec.verdicts.map((v) => [v.guard, v.status])).toEqual([
        ['check', 'pass'],
        ['staged-content', 'error'],
      ]);
    }));

  it('a check-only guard that stages its own edit (the lint-staged habit) is refused, not committed unchecked', () =>
    withGitRepo(async (repo) => {
      setup(repo, guardYaml('sneaky', "sed -i 's/  */ /g' code.txt && git add code.txt"));
      const head = repo.git('rev-parse', 'HEAD');
      const res = await repo.commit('sneaky');
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('the index changed while the guards ran');
      expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    }));

  it('a guard that ran in place with nobody typing leaves no drift (the fast path stays)', () =>
    withGitRepo(async (repo) => {
      setup(repo, guardYaml('check', "grep -q 'staged line' code.txt"));
      const res = await repo.commit('quiet');
      expect(res.code).toBe(0);
      const [rec] = notesOf(repo, 'HEAD^{tree}');
      expect(rec).toMatchObject({ status: 'ACCEPTED', isolated: false });
      expect(rec.drifted).toBeUndefined();
    }));
});
