import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishRecord, type RecordV1 } from '../../src/store/record.js';
import { guardYaml, notesOf, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

// Tests decide who is verifying, whatever machine runs them.
const HUMAN = { CI: undefined, GITHUB_ACTIONS: undefined };
const NO_BAD = guardYaml('no-bad', '! grep -rq BAD src', '    on: [pre-commit]\n');

function commitAll(repo: TestRepo, message: string): string {
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', message);
  return repo.git('rev-parse', 'HEAD');
}

const records = (repo: TestRepo, commit: string) => notesOf(repo, `${commit}^{tree}`) as unknown as RecordV1[];

describe('guardloop verify', () => {
  it('records a passing commit as new, then as verified against that record', () =>
    withGitRepo(async (repo) => {
      repo.config(`guards:\n${NO_BAD}`);
      repo.write('src/a.txt', 'fine\n');
      const sha = commitAll(repo, 'a passing commit');

      const first = await repo.cli(['verify'], { env: HUMAN });
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(`${sha.slice(0, 12)} a passing commit — ACCEPTED (new`);
      const [rec] = records(repo, sha);
      expect(rec).toMatchObject({ hook: 'verify', source: 'HUMAN', status: 'ACCEPTED', reward: 1, base: null, verify: { commit: sha, outcome: 'new', against: [] }, isolated: true });
      expect(rec.tool?.version).toMatch(/\d/);
      expect(typeof rec.host).toBe('string');
      expect(typeof rec.user).toBe('string');

      const second = await repo.cli(['verify', sha], { env: HUMAN });
      expect(second.code).toBe(0);
      expect(second.stdout).toContain(`ACCEPTED, verified (agrees with record ${rec.id.slice(0, 12)})`);
      const after = records(repo, sha);
      expect(after).toHaveLength(2);
      expect(after[1].verify).toEqual({ commit: sha, outcome: 'verified', against: [rec.id] });
      // In a CI job (CI=true, or GitHub Actions) the record is the CI's.
      expect((await repo.cli(['verify'], { env: { CI: 'true', GITHUB_ACTIONS: undefined } })).code).toBe(0);
      expect((await repo.cli(['verify'], { env: { CI: undefined, GITHUB_ACTIONS: 'true' } })).code).toBe(0);
      expect(records(repo, sha).map((r) => r.source)).toEqual(['HUMAN', 'HUMAN', 'CI', 'CI']);
    }));

  it('rejects a failing commit (exit 1) and names the guard with the tail of its output', () =>
    withGitRepo(async (repo) => {
      repo.config(`guards:\n${NO_BAD}`);
      repo.write('src/a.txt', 'fine\n');
      commitAll(repo, 'base');
      repo.write('src/b.txt', 'BAD line\n');
      const sha = commitAll(repo, 'a failing commit');

      const res = await repo.cli(['verify', 'HEAD'], { env: HUMAN });
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(`${sha.slice(0, 12)} a failing commit — REJECTED (new`);
      expect(res.stdout).toContain('no-bad failed (exit 1)');
      expect(res.stderr).toContain('1 REJECTED');
      const [rec] = records(repo, sha);
      expect(rec).toMatchObject({ status: 'REJECTED', reward: -1, base: repo.git('rev-parse', 'HEAD~1'), verify: { commit: sha, outcome: 'new' } });
      // A range verifies each commit, oldest first: 1 any REJECTED.
      const both = await repo.cli(['verify', 'HEAD~1..HEAD', '--json'], { env: HUMAN });
      expect(both.code).toBe(1);
      expect(both.stdout.trim().split('\n').map((l) => JSON.parse(l).status)).toEqual(['REJECTED']);
      const unknown = await repo.cli(['verify', 'no-such-rev'], { env: HUMAN });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('"no-such-rev" is not a commit');
    }));

  it('reports a forged ACCEPTED record (written by hand with git notes) as not reproducible, exit 4', () =>
    withGitRepo(async (repo) => {
      repo.config(`guards:\n${NO_BAD}`);
      repo.write('src/a.txt', 'fine\n');
      const good = commitAll(repo, 'good');
      expect((await repo.cli(['verify'], { env: HUMAN })).code).toBe(0);
      repo.write('src/b.txt', 'BAD\n');
      const bad = commitAll(repo, 'bad, pushed with --no-verify');
      const badTree = repo.git('rev-parse', `${bad}^{tree}`);

      // The forger copies a real ACCEPTED record, points it at the failing tree, and gives it a valid id.
      const { id: _id, verify: _verify, ...real } = records(repo, good)[0];
      const { line, record: forged } = finishRecord({ ...real, hook: 'pre-commit', tree: badTree, base: good, ts: '2026-01-01T00:00:00.000Z' });
      const file = join(repo.dir, '.git', 'forged.json');
      writeFileSync(file, `${line}\n`);
      repo.git('notes', '--ref=guardloop', 'add', '-F', file, badTree);
      const forgedId = forged.id;
      expect((await repo.cli(['log', '--json'], { env: HUMAN })).stdout).toContain(forgedId);
      expect((await repo.cli(['audit', `${good}..${bad}`], { env: HUMAN })).code).toBe(0);

      const res = await repo.cli(['verify', bad], { env: HUMAN });
      expect(res.code).toBe(4);
      expect(res.stdout).toContain('NOT REPRODUCIBLE');
      expect(res.stdout).toContain(`guardloop show ${forgedId.slice(0, 12)}`);
      expect(res.stderr).toContain('exit 4');
      const recs = records(repo, bad);
      expect(recs.map((r) => r.status)).toEqual(['ACCEPTED', 'REJECTED']);
      expect(recs[1].verify).toEqual({ commit: bad, outcome: 'not-reproducible', against: [forgedId] });
      // Before the re-run, audit took the forged record at its word; after it, the re-run decides.
      const audit = await repo.cli(['audit', `${good}..${bad}`, '--json'], { env: HUMAN });
      expect(audit.code).toBe(1);
      expect(JSON.parse(audit.stdout).commits[0]).toMatchObject({ commit: bad, verdict: 'unverified', cause: { kind: 'not-reproducible', record: recs[1].id, guards: ['no-bad'] } });
      expect((await repo.cli(['audit', `${good}..${bad}`], { env: HUMAN })).stdout).toContain('not reproducible');
      // 4 wins over 1 when both are found.
      expect((await repo.cli(['verify', `${good}..${bad}`, bad], { env: HUMAN })).code).toBe(4);
    }));

  it("leaves the user's index, working tree, untracked files and HEAD exactly as they were", () =>
    withGitRepo(async (repo) => {
      repo.config(`guards:\n${guardYaml('writes', 'touch made-by-guard && test "$(cat src/a.txt)" = one && test ! -e untracked.txt', '    on: [pre-commit]\n')}`);
      repo.write('src/a.txt', 'one\n');
      const first = commitAll(repo, 'one');
      repo.write('src/a.txt', 'two\n');
      commitAll(repo, 'two');
      repo.write('src/a.txt', 'staged\n');
      repo.git('add', 'src/a.txt');
      repo.write('src/a.txt', 'unstaged\n');
      repo.write('untracked.txt', 'mine\n');
      repo.git('status', '--porcelain');
      const index = readFileSync(join(repo.dir, '.git', 'index'));
      const head = repo.git('rev-parse', 'HEAD');
      const status = repo.git('status', '--porcelain=v1', '--untracked-files=all');

      const res = await repo.cli(['verify', first], { env: HUMAN });
      // The guard saw the commit's content (not the staged or unstaged one, no untracked file) and
      // what it wrote stayed in the temporary checkout.
      expect(res.stdout).toContain(`${first.slice(0, 12)} one — ACCEPTED`);
      expect(res.code).toBe(0);
      expect(readFileSync(join(repo.dir, '.git', 'index')).equals(index)).toBe(true);
      expect(repo.git('rev-parse', 'HEAD')).toBe(head);
      expect(repo.git('status', '--porcelain=v1', '--untracked-files=all')).toBe(status);
      expect(repo.read('src/a.txt')).toBe('unstaged\n');
      expect(repo.git('show', ':src/a.txt')).toBe('staged');
      expect(repo.read('untracked.txt')).toBe('mine\n');
      expect(existsSync(join(repo.dir, 'made-by-guard'))).toBe(false);
    }));

  it("uses the commit's own config: a later commit's guards never judge an earlier commit", () =>
    withGitRepo(async (repo) => {
      repo.config(`guards:\n${guardYaml('old-guard', 'test -f src/a.txt', '    on: [pre-commit]\n')}`);
      repo.write('src/a.txt', 'a\n');
      const early = commitAll(repo, 'early');
      repo.config(`guards:\n${guardYaml('new-guard', 'false', '    on: [pre-commit]\n')}`);
      const later = commitAll(repo, 'config made stricter');

      const res = await repo.cli(['verify', early, later], { env: HUMAN });
      expect(res.code).toBe(1);
      expect(records(repo, early)[0]).toMatchObject({ status: 'ACCEPTED', spec: { guards: [{ id: 'old-guard' }] } });
      expect(records(repo, later)[0]).toMatchObject({ status: 'REJECTED', spec: { guards: [{ id: 'new-guard' }] } });
      // Deleting the config doesn't escape it: the config the commit removed judges it.
      repo.git('rm', '-q', '.loop/config.yaml');
      const removed = commitAll(repo, 'drop the guards');
      expect((await repo.cli(['verify', removed], { env: HUMAN })).code).toBe(1);
      expect(records(repo, removed)[0]).toMatchObject({ status: 'REJECTED', spec: { guards: [{ id: 'new-guard' }] } });
    }));

  it("judges the commit's change against its first parent: GUARDLOOP_BASE, the checkout's HEAD, and files globs", () =>
    withGitRepo(async (repo) => {
      const seen = join(repo.dir, '.git', 'seen');
      mkdirSync(seen, { recursive: true });
      const record = `echo "$GUARDLOOP_BASE $(git rev-parse HEAD) $(git diff --cached --name-only | tr '\\n' ,)" > ${seen}/$GUARDLOOP_GUARD`;
      repo.config(`guards:\n${guardYaml('txt', record, '    on: [pre-commit]\n    files: ["*.txt"]\n')}${guardYaml('always', record, '    on: [pre-commit]\n')}`);
      repo.write('a.txt', 'a\n');
      const root = commitAll(repo, 'root');
      expect((await repo.cli(['verify', root], { env: HUMAN })).code).toBe(0);
      // A root commit: every file is its change (its HEAD there is unborn, so rev-parse prints HEAD).
      expect(readFileSync(join(seen, 'txt'), 'utf8')).toContain('.loop/config.yaml,a.txt,');
      repo.write('notes.md', 'no txt here\n');
      const second = commitAll(repo, 'only markdown');
      expect((await repo.cli(['verify', second], { env: HUMAN })).code).toBe(0);
      expect(readFileSync(join(seen, 'always'), 'utf8')).toBe(`${root} ${root} notes.md,\n`);
      expect(records(repo, second)[0].verdicts.map((v) => [v.guard, v.status])).toEqual([
        ['txt', 'skipped'],
        ['always', 'pass'],
      ]);
    }));

  it('makes node_modules available in the temporary checkout through `link`, as a symlink', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      mkdirSync(join(repo.dir, 'node_modules', 'dep'), { recursive: true });
      writeFileSync(join(repo.dir, 'node_modules', 'dep', 'index.js'), 'module.exports = 42;\n');
      const check = `test -L node_modules && test "$(pwd -P)" != "${realpathSync(repo.dir)}" && node -e "process.exit(require('dep') === 42 ? 0 : 1)"`;
      repo.config(`guards:\n${guardYaml('dep', check, '    on: [pre-commit]\n')}`);
      const sha = commitAll(repo, 'uses dep');
      const res = await repo.cli(['verify', sha], { env: HUMAN });
      expect(res.stdout).toContain('ACCEPTED');
      expect(res.code).toBe(0);
      expect(records(repo, sha)[0].verdicts[0]).toMatchObject({ guard: 'dep', status: 'pass' });
    }));
});
