import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, exec, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, todoRepo } from './helpers.js';

const SESSION = '4e994f1e-48f4-4ade-b0e5-8e5f5bea14d2';
// The shell an agent runs commands in: its marker variable makes a commit a GENERATOR's.
const AGENT_ENV = { CLAUDECODE: '1' };

// What Claude Code sends its UserPromptSubmit hook when a person submits a prompt.
function promptPayload(dir: string) {
  return { session_id: SESSION, transcript_path: `${dir}/.git/transcript.jsonl`, cwd: dir, hook_event_name: 'UserPromptSubmit', prompt: 'Create src/a.js exporting a function a().' };
}

// The agent's attack from the issue: its guard is made to run `true`, committed with --no-verify,
// then a TODO goes into the code.
async function weakenAndCommit(repo: TestRepo): Promise<string> {
  repo.config(`guards:\n${guardYaml('no-todo', 'true', '    layer: lint\n')}`);
  const res = await exec('git', ['commit', '-q', '--no-verify', '-am', 'weaken the guard'], { cwd: repo.dir, env: cleanEnv(AGENT_ENV) });
  expect(res.code).toBe(0);
  repo.write('src/a.js', 'export const a = 1; // TODO: later\n');
  return repo.git('rev-parse', 'HEAD');
}

describe('an agent cannot move its own baseline', () => {
  it('a weakened guard committed with --no-verify during the turn: the stop judges from the turn start and rejects', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      installTranscript(repo);
      const start = repo.git('rev-parse', 'HEAD');
      const turn = await hook(repo, 'claude', promptPayload(repo.dir), { hook: 'turn-start' });
      expect(turn).toMatchObject({ code: 0, stdout: '' });
      const weakened = await weakenAndCommit(repo);
      const stop = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      const reply = JSON.parse(stop.stdout);
      expect(reply.decision).toBe('block');
      // The guard from the turn's start ran (and found the TODO), and the config change is a protected one.
      expect(reply.reason).toContain('no-todo');
      expect(reply.reason).toContain('TODO: later');
      expect(reply.reason).toContain('.loop/config.yaml');
      const [rec] = records(repo);
      expect(rec).toMatchObject({ status: 'REJECTED', base: start, baseline: { how: 'turn-start', commits: [weakened] } });
      expect(rec.verdicts.map((v: { guard: string; status: string }) => [v.guard, v.status])).toEqual([
        ['no-todo', 'fail'],
        ['protected-paths', 'fail'],
      ]);
      // The commit made during the turn is part of the candidate's diff.
      expect(rec.artifact.files.sort()).toEqual(['.loop/config.yaml', 'src/a.js']);
      expect(stop.stderr).toContain('hold');
    }));

  it('without a recorded turn start, the newest commit whose tree holds an ACCEPTED record is the base', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      installTranscript(repo);
      const start = repo.git('rev-parse', 'HEAD');
      // A person checks the committed state: ℛ holds an ACCEPTED record for HEAD's tree.
      expect((await repo.cli(['run'])).code).toBe(0);
      const weakened = await weakenAndCommit(repo);
      const stop = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(JSON.parse(stop.stdout).decision).toBe('block');
      const rec = records(repo).find((r) => r.source === 'GENERATOR')!;
      expect(rec).toMatchObject({ status: 'REJECTED', base: start, baseline: { how: 'accepted', commits: [weakened] } });
    }));

  it('a commit of a tree the stop ACCEPTED moves the base up to it; a pre-commit ACCEPTED (other guards) does not', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      installTranscript(repo);
      const start = repo.git('rev-parse', 'HEAD');
      await hook(repo, 'claude', promptPayload(repo.dir), { hook: 'turn-start' });
      // A commit through the pre-commit hook from the agent's shell: its guards are not the stop's.
      repo.write('src/b.js', 'export const b = 2;\n');
      repo.git('add', 'src/b.js');
      expect((await repo.cli(['run', '--hook', 'pre-commit'], { env: AGENT_ENV })).code).toBe(0);
      repo.git('commit', '-q', '-m', 'b');
      const b = repo.git('rev-parse', 'HEAD');
      repo.write('src/b2.js', 'export const b2 = 2;\n');
      // The stop judges from the turn start, the agent's commit included.
      expect(await hook(repo, 'claude', stopPayload('claude', repo.dir, 0))).toMatchObject({ code: 0, stdout: '' });
      const first = records(repo).filter((r) => r.hook === 'stop')[0];
      expect(first).toMatchObject({ status: 'ACCEPTED', base: start, baseline: { how: 'turn-start', commits: [b] } });
      // The stop's ACCEPTED tree is committed (even with --no-verify): from now on it is the base.
      repo.git('add', '-A');
      expect((await exec('git', ['commit', '-q', '--no-verify', '-m', 'the accepted tree'], { cwd: repo.dir, env: cleanEnv(AGENT_ENV) })).code).toBe(0);
      expect(repo.git('rev-parse', 'HEAD^{tree}')).toBe(first.tree);
      repo.write('src/c.js', 'export const c = 3;\n');
      expect(await hook(repo, 'claude', stopPayload('claude', repo.dir, 0))).toMatchObject({ code: 0, stdout: '' });
      const second = records(repo).filter((r) => r.hook === 'stop')[1];
      expect(second.base).toBe(repo.git('rev-parse', 'HEAD'));
      expect(second.artifact.files).toEqual(['src/c.js']);
    }));

  it('HEAD moved off the turn’s line (reset, amend, another branch): the turn start stays the base', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      installTranscript(repo);
      repo.write('src/b.js', 'export const b = 2;\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'b');
      const start = repo.git('rev-parse', 'HEAD');
      await hook(repo, 'claude', promptPayload(repo.dir), { hook: 'turn-start' });
      // The agent goes back one commit, weakens the guard there and commits it as an amend.
      repo.git('reset', '-q', '--soft', 'HEAD~1');
      await weakenAndCommit(repo);
      const stop = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(JSON.parse(stop.stdout).decision).toBe('block');
      const [rec] = records(repo);
      expect(rec).toMatchObject({ status: 'REJECTED', base: start, baseline: { how: 'turn-start' } });
      expect(rec.verdicts.map((v: { guard: string }) => v.guard)).toEqual(['no-todo', 'protected-paths']);
    }));

  it('bootstrap: before any config is committed, an agent’s own `protected: []` does not unprotect .loop/', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.write('src/a.js', 'export const a = 1;\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'init');
      installTranscript(repo);
      repo.config(`protected: []\nguards:\n${guardYaml('ok', 'true', '    layer: lint\n')}`);
      const stop = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      const reply = JSON.parse(stop.stdout);
      expect(reply.decision).toBe('block');
      expect(reply.reason).toContain('.loop/config.yaml');
      expect(records(repo)[0].verdicts.find((v: { guard: string }) => v.guard === 'protected-paths')).toMatchObject({ status: 'fail' });
    }));

  it('what starts or defines a guard is protected too: a script a guard runs in package.json, .husky/, the agent hook configs', () =>
    withGitRepo(async (repo) => {
      repo.installPackage({ scripts: { lint: '! grep -rn TODO src' } });
      repo.config(`agent:\n  maxAttempts: 9\nguards:\n${guardYaml('lint', 'npm run --silent lint', '    layer: lint\n')}`);
      repo.write('src/a.js', 'export const a = 1;\n');
      repo.write('.husky/pre-commit', 'guardloop run --hook pre-commit\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'init');
      installTranscript(repo);
      const protectedVerdict = async () => {
        const reply = JSON.parse((await hook(repo, 'claude', stopPayload('claude', repo.dir, 0))).stdout || '{}');
        return reply.decision === 'block' && String(reply.reason).includes('protected');
      };
      // A new dependency in package.json is the agent's to add.
      const pkg = JSON.parse(repo.read('package.json'));
      repo.write('package.json', JSON.stringify({ ...pkg, dependencies: { left: '1.0.0' } }, null, 2));
      expect(await protectedVerdict()).toBe(false);
      // Making the guard's script pass whatever happens is not.
      repo.write('package.json', JSON.stringify({ ...pkg, scripts: { lint: 'true' } }, null, 2));
      expect(await protectedVerdict()).toBe(true);
      // A script the guard's script runs, and the same script in a sub-package, are the guard's too.
      repo.write('package.json', JSON.stringify({ ...pkg, scripts: { lint: 'npm run lint:core', 'lint:core': '! grep -rn TODO src' } }, null, 2));
      repo.git('add', 'package.json');
      repo.git('commit', '-q', '-m', 'nested lint (a person)');
      expect((await repo.cli(['run'])).code).toBe(0);
      repo.write('package.json', JSON.stringify({ ...pkg, scripts: { lint: 'npm run lint:core', 'lint:core': 'true' } }, null, 2));
      expect(await protectedVerdict()).toBe(true);
      repo.git('checkout', 'package.json');
      repo.write('sub/package.json', JSON.stringify({ scripts: { lint: 'true' } }));
      expect(await protectedVerdict()).toBe(true);
      rmSync(join(repo.dir, 'sub'), { recursive: true });
      repo.write('.husky/pre-commit', 'exit 0\n');
      expect(await protectedVerdict()).toBe(true);
      repo.git('checkout', '.husky/pre-commit');
      repo.write('.claude/settings.json', '{"env":{"GUARDLOOP":"0"}}\n');
      expect(await protectedVerdict()).toBe(true);
    }));
});

describe('a person’s check counts for the commit it was made for', () => {
  it('a revert to a tree a person once accepted does not move the base (the record was given on another parent)', () =>
    withGitRepo(async (repo) => {
      repo.installHook();
      // A person commits a weak guard, then a strong one, both through the hook (ACCEPTED, HUMAN).
      repo.config(`guards:\n${guardYaml('no-todo', 'true', '    layer: lint\n')}`);
      repo.write('src/a.js', 'export const a = 1;\n');
      repo.git('add', '-A');
      expect((await repo.commit('weak')).code).toBe(0);
      repo.config(`guards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}`);
      repo.git('add', '-A');
      expect((await repo.commit('strong')).code).toBe(0);
      const strong = repo.git('rev-parse', 'HEAD');
      installTranscript(repo);
      await hook(repo, 'claude', promptPayload(repo.dir), { hook: 'turn-start' });
      // The agent reverts to the weak tree (git revert runs no pre-commit hook) and adds a TODO.
      expect((await exec('git', ['revert', '--no-edit', 'HEAD'], { cwd: repo.dir, env: cleanEnv(AGENT_ENV) })).code).toBe(0);
      repo.write('src/a.js', 'export const a = 1; // TODO\n');
      const reply = JSON.parse((await hook(repo, 'claude', stopPayload('claude', repo.dir, 0))).stdout);
      expect(reply.decision).toBe('block');
      const rec = records(repo).find((r) => r.hook === 'stop')!;
      expect(rec.base).toBe(strong);
    }));
});
