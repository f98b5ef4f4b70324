import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishRecord, type RecordV1 } from '../../src/store/record.js';
import { cleanEnv, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { NO_BAD, unverifiedCommit, verifiedCommit } from './helpers.js';

// Which records vouch for a commit: an ACCEPTED verdict on its tree from a hook that judges commits,
// judged against a base that covers the commit's change. An amend or squash of a --no-verify commit
// doesn't launder it; an honest amend of a checked commit stays verified; a 0-guard manual run, a
// pre-push run or a record naming another tree vouches for nothing; commits from before guardloop
// are not flagged; the latest re-run decides by time, not by line order.

async function audit(repo: TestRepo, range: string): Promise<Record<string, any>> {
  const res = await repo.cli(['audit', range, '--json']);
  expect([0, 1], res.stderr).toContain(res.code);
  return Object.fromEntries(JSON.parse(res.stdout).commits.map((c: any) => [c.commit, c]));
}

function records(repo: TestRepo, rev: string): RecordV1[] {
  return repo
    .git('notes', '--ref=guardloop', 'show', `${rev}^{tree}`)
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RecordV1);
}

describe('what vouches for a commit', () => {
  it('an amend through the hook of a --no-verify commit is not verified (its record was judged against the unchecked commit); an amend of a checked commit is', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      const base = await verifiedCommit(repo, 'a.txt', 'base');
      await unverifiedCommit(repo, 'wip.txt', 'wip, unchecked');
      repo.write('tidy.txt', 'tidy\n');
      repo.git('add', '-A');
      const amended = await repo.commit('tidy', ['--amend']);
      expect(amended.code, amended.stderr).toBe(0);
      const laundered = repo.git('rev-parse', 'HEAD');
      let got = await audit(repo, `${base}..HEAD`);
      expect(got[laundered]).toMatchObject({ verdict: 'unverified', cause: { kind: 'other-base' } });

      // An honest amend: the commit it replaces was checked, so both halves of the change were judged.
      repo.git('reset', '-q', '--hard', base);
      await verifiedCommit(repo, 'b.txt', 'checked');
      repo.write('b2.txt', 'more\n');
      repo.git('add', '-A');
      expect((await repo.commit('checked, amended', ['--amend'])).code).toBe(0);
      const honest = repo.git('rev-parse', 'HEAD');
      got = await audit(repo, `${base}..HEAD`);
      expect(got[honest]).toMatchObject({ verdict: 'verified' });
    }));

  it('a fixup rebase that squashes a --no-verify commit into a checked one is not verified', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      const base = await verifiedCommit(repo, 'a.txt', 'base');
      await unverifiedCommit(repo, 'wip.txt', 'wip, unchecked');
      await verifiedCommit(repo, 'more.txt', 'checked on top');
      execFileSync('git', ['-c', 'core.hooksPath=/dev/null', 'rebase', '-q', '-i', base], { cwd: repo.dir, env: cleanEnv({ GIT_SEQUENCE_EDITOR: "sed -i '2s/^pick/fixup/'" }) });
      const squashed = repo.git('rev-parse', 'HEAD');
      expect(repo.git('rev-parse', 'HEAD~1')).toBe(base);
      const got = await audit(repo, `${base}..HEAD`);
      expect(got[squashed].verdict).toBe('unverified');
    }));

  it('a manual run of no guard, a pre-push run and a record whose tree field names another tree vouch for nothing', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(`guards:\n${guardYaml('no-bad', 'test ! -e bad')}${guardYaml('push-only', 'true', '    on: [pre-push]\n')}`);
      const base = await verifiedCommit(repo, 'a.txt', 'base');
      const bad = await unverifiedCommit(repo, 'bad', 'bad, unchecked');
      const manual = await repo.cli(['run', '--hook', 'manual']);
      expect(manual.code, manual.stderr).toBe(0);
      expect(records(repo, bad).map((r) => [r.hook, r.status])).toContainEqual(['manual', 'ACCEPTED']);
      // A copy of the base commit's ACCEPTED record, verbatim (its tree field names the base's tree), put on bad's tree.
      const copy = join(repo.dir, '.git', 'copy.json');
      writeFileSync(copy, `${repo.git('notes', '--ref=guardloop', 'show', `${base}^{tree}`).split('\n')[0]}\n`);
      repo.git('notes', '--ref=guardloop', 'append', '-F', copy, `${bad}^{tree}`);
      // A pre-push ACCEPTED (the pre-push guards only) written as the gate's guards would.
      const [real] = records(repo, base);
      const { id: _id, ...rest } = real;
      const { line } = finishRecord({ ...rest, hook: 'pre-push', tree: repo.git('rev-parse', `${bad}^{tree}`), base });
      writeFileSync(copy, `${line}\n`);
      repo.git('notes', '--ref=guardloop', 'append', '-F', copy, `${bad}^{tree}`);
      const got = await audit(repo, `${base}..HEAD`);
      expect(got[bad].verdict).toBe('unverified');
    }));

  it('commits from before guardloop was set up are not flagged; the commit that adds the config is', () =>
    withGitRepo(async (repo) => {
      repo.write('old.txt', 'old\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'before guardloop');
      const old = repo.git('rev-parse', 'HEAD');
      repo.installHook();
      repo.config(NO_BAD);
      repo.git('add', '-A');
      repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'adopt guardloop, unchecked');
      const adopt = repo.git('rev-parse', 'HEAD');
      const res = await repo.cli(['audit', '--json']);
      expect(res.code).toBe(1);
      const got = Object.fromEntries(JSON.parse(res.stdout).commits.map((c: any) => [c.commit, c.verdict]));
      expect(got).toEqual({ [old]: 'predates', [adopt]: 'unverified' });
      // Verifying the adopting commit is what clears the branch.
      expect((await repo.cli(['verify', adopt])).code).toBe(0);
      expect((await repo.cli(['audit'])).code).toBe(0);
    }));

  it("the latest re-run decides by its time, whatever the order of the note's lines", () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      const base = await verifiedCommit(repo, 'a.txt', 'base');
      const sha = await verifiedCommit(repo, 'b.txt', 'checked');
      const [accepted] = records(repo, sha);
      const { id: _id, ...rest } = accepted;
      const verify = (status: 'ACCEPTED' | 'REJECTED', ts: string) =>
        finishRecord({ ...rest, hook: 'verify', status, reward: status === 'ACCEPTED' ? 1 : -1, ts, verify: { commit: sha, outcome: status === 'ACCEPTED' ? 'verified' : 'not-reproducible', against: [accepted.id] } }).line;
      // The newer re-run (ACCEPTED) is written first, the older one (REJECTED) after it.
      const file = join(repo.dir, '.git', 'reruns.json');
      writeFileSync(file, `${verify('ACCEPTED', '2026-06-02T00:00:00.000Z')}\n${verify('REJECTED', '2026-06-01T00:00:00.000Z')}\n`);
      repo.git('notes', '--ref=guardloop', 'append', '-F', file, `${sha}^{tree}`);
      expect((await audit(repo, `${base}..HEAD`))[sha].verdict).toBe('verified');
    }));

  it('an uncommitted edit of the config cannot switch the gate off (audit.merges: skip in the work tree only)', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      const base = await verifiedCommit(repo, 'a.txt', 'base');
      repo.git('checkout', '-q', '-b', 'side');
      await verifiedCommit(repo, 'b.txt', 'side');
      repo.git('checkout', '-q', 'main');
      await verifiedCommit(repo, 'c.txt', 'main moves on');
      repo.git('-c', 'core.hooksPath=/dev/null', 'merge', '-q', '--no-ff', '--no-edit', 'side');
      const merge = repo.git('rev-parse', 'HEAD');
      repo.config(`${NO_BAD}audit:\n  merges: skip\n`);
      expect((await audit(repo, `${base}..HEAD`))[merge].verdict).toBe('unverified');
    }));

  it('a record judged against the commit itself (guardloop run on a clean tree after committing) does not stall audit, which still flags a later --no-verify commit', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      repo.config(NO_BAD);
      const base = await verifiedCommit(repo, 'a.txt', 'base');
      const b = await verifiedCommit(repo, 'b.txt', 'b');
      expect((await repo.cli(['run', '--no-cache'])).code).toBe(0);
      expect(records(repo, b).map((r) => r.base)).toEqual([base, b]);
      expect((await audit(repo, `${base}..HEAD`))[b].verdict).toBe('verified');
      const bad = await unverifiedCommit(repo, 'bad', 'bad');
      const res = await repo.cli(['audit', `${base}..HEAD`, '--json']);
      expect(res.code).toBe(1);
      expect(JSON.parse(res.stdout).commits.map((c: any) => [c.commit, c.verdict])).toEqual([
        [bad, 'unverified'],
        [b, 'verified'],
      ]);
    }));

  it('ci verifies an amend of a --no-verify commit instead of trusting its record (a guard on the change rejects it there)', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      // A guard on the change, not the tree: it refuses a change that adds a line BAD.
      repo.config(`guards:\n${guardYaml('no-new-bad', 'test -z "$GUARDLOOP_BASE" || ! git diff "$GUARDLOOP_BASE" "$GUARDLOOP_TREE" | grep -q "^+BAD"')}`);
      const base = await verifiedCommit(repo, 'a.txt', 'base');
      repo.write('a.txt', 'BAD\n');
      repo.git('add', '-A');
      expect((await repo.commit('adds BAD, unchecked', ['--no-verify'])).code).toBe(0);
      repo.write('tidy.txt', 'tidy\n');
      repo.git('add', '-A');
      const amended = await repo.commit('tidy', ['--amend']);
      expect(amended.code, amended.stderr).toBe(0);
      const res = await repo.cli(['ci', `${base}..HEAD`]);
      // Exit 4: the amend's own ACCEPTED record (judged against the unchecked commit) did not reproduce.
      expect(res.code, res.stdout + res.stderr).toBe(4);
      expect(res.stdout + res.stderr).not.toMatch(/tidy — trusted by record/);
      expect(res.stdout).toContain('a record judged against another base');
    }));
});
