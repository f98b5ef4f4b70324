import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload, todoRepo } from './helpers.js';

describe('a scripted agent session', () => {
  it('failing change → blocked with the reason → fix → allowed; ℛ holds the chain with provenance, history, retry and task', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      installTranscript(repo);
      // The agent's turn: it writes a TODO and stops.
      repo.write('src/a.js', 'export const a = 1; // TODO: remove me\n');
      repo.write('src/new.js', 'export const b = 2;\n');
      const first = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      const { decision, reason } = JSON.parse(first.stdout);
      expect(decision).toBe('block');
      expect(reason).toContain('src/a.js:1:export const a = 1; // TODO: remove me');
      // The script acts on the reason, then stops again (stop_hook_active: true).
      repo.write('src/a.js', 'export const a = 1;\n');
      const second = await hook(repo, 'claude', stopPayload('claude', repo.dir, 1));
      expect(second).toMatchObject({ code: 0, stdout: '' });

      const [rejected, accepted] = records(repo);
      const session = '4e994f1e-48f4-4ade-b0e5-8e5f5bea14d2';
      expect(rejected).toMatchObject({ status: 'REJECTED', reward: -1, source: 'GENERATOR', agent: 'claude', session, retry: 0, provenance: [], lastMessage: 'Done.' });
      expect(accepted).toMatchObject({ status: 'ACCEPTED', reward: 1, source: 'GENERATOR', agent: 'claude', session, retry: 1, provenance: [rejected.id], lastMessage: 'Fixed.' });
      expect(accepted.history).toEqual([{ id: rejected.id, status: 'REJECTED', verdicts: [{ guard: 'no-todo', status: 'fail', feedback: expect.stringContaining('TODO: remove me'), failures: [expect.stringMatching(/^output [0-9a-f]{16}$/)] }] }]);
      for (const r of [rejected, accepted]) expect(r.spec.task).toBe('Create src/a.js exporting a function a().');
      // The candidate was the working tree, untracked files included.
      expect(accepted.artifact.files).toEqual(['src/new.js']);
      expect(rejected.artifact.files.sort()).toEqual(['src/a.js', 'src/new.js']);
      // The user's index was not touched.
      expect(repo.git('status', '--porcelain')).toBe('?? src/new.js');

      // The chain is closed: the next rejection starts a new one.
      repo.write('src/a.js', '// TODO again\n');
      await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
      expect(records(repo)[2]).toMatchObject({ status: 'REJECTED', retry: 0, provenance: [] });
    }));

  it('after agent.maxAttempts consecutive rejections the stop is let through, the chain escalated, the person told', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo, 'agent:\n  maxAttempts: 3\n');
      installTranscript(repo);
      repo.write('src/a.js', '// TODO\n');
      const replies = [];
      for (let i = 0; i < 3; i++) replies.push(await hook(repo, 'claude', stopPayload('claude', repo.dir, i ? 1 : 0)));
      expect(JSON.parse(replies[0].stdout).reason).toContain('(attempt 1 of 3)');
      expect(JSON.parse(replies[1].stdout).reason).toContain('(attempt 2 of 3)');
      const third = JSON.parse(replies[2].stdout);
      expect(third.decision).toBeUndefined();
      expect(third.systemMessage).toContain('rejected 3 times in a row');
      expect(third.systemMessage).toContain('NOT accepted');
      const rs = records(repo);
      expect(rs.map((r) => [r.status, r.retry, r.escalated ?? false])).toEqual([
        ['REJECTED', 0, false],
        ['REJECTED', 1, false],
        ['REJECTED', 2, true],
      ]);
      expect(rs[2].provenance).toEqual([rs[0].id, rs[1].id]);
      // Elsewhere the person is told on stderr, and the next stop starts a new chain.
      const codex = [];
      for (let i = 0; i < 3; i++) codex.push(await hook(repo, 'codex', stopPayload('codex', repo.dir)));
      expect(codex[2].stdout).toBe('{}\n');
      expect(codex[2].stderr).toContain('rejected 3 times in a row');
      const next = await hook(repo, 'claude', stopPayload('claude', repo.dir, 1));
      expect(JSON.parse(next.stdout).reason).toContain('(attempt 1 of 3)');
    }));
});

describe('protected paths', () => {
  it("an agent's change to .loop/ is rejected (guards from HEAD still run) until a person approves it", () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      installTranscript(repo);
      // The agent weakens its guard instead of fixing the code.
      repo.write('src/a.js', '// TODO\n');
      repo.config('guards: []\n');
      const blocked = await hook(repo, 'claude', stopPayload('claude', repo.dir));
      const { reason } = JSON.parse(blocked.stdout);
      expect(reason).toContain("protected path changed: needs a human's approval (`guardloop approve`): .loop/config.yaml");
      expect(reason).toContain('## no-todo failed'); // the committed config chose the guards
      expect(reason).toContain('## protected-paths failed');

      repo.write('src/a.js', 'export const a = 1;\n');
      repo.config(repo.read('.loop/config.yaml').replace('guards: []', 'guards: []\n# relaxed'));
      expect(JSON.parse((await hook(repo, 'claude', stopPayload('claude', repo.dir, 1))).stdout).reason).toContain('protected path changed');

      // approve refuses inside an agent's shell, needs a confirmation, shows the protected diff only.
      const fromAgent = await repo.cli(['approve', '--yes'], { env: { CLAUDECODE: '1' } });
      expect(fromAgent.code).toBe(2);
      expect(fromAgent.stderr).toContain('refused');
      const unconfirmed = await repo.cli(['approve']);
      expect(unconfirmed.code).toBe(1);
      expect(unconfirmed.stdout).toContain('diff --git a/.loop/config.yaml b/.loop/config.yaml');
      expect(unconfirmed.stdout).not.toContain('src/a.js');
      const ok = await repo.cli(['approve', '--yes']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('approved 1 protected path(s)');
      const approval = records(repo).find((r) => r.approval);
      expect(approval).toMatchObject({ source: 'HUMAN', hook: 'manual', approval: { paths: [{ path: '.loop/config.yaml' }] } });

      // The same protected content now passes, even after more (unprotected) edits.
      repo.write('src/b.js', 'export const b = 1;\n');
      const allowed = await hook(repo, 'claude', stopPayload('claude', repo.dir, 1));
      expect(allowed).toMatchObject({ code: 0, stdout: '' });
      expect(records(repo).pop()).toMatchObject({ status: 'ACCEPTED', retry: 2 });
    }));

  it('test files the guards run: an agent may add a test, not change or delete an existing one', () =>
    withGitRepo(async (repo) => {
      repo.installPackage();
      repo.config(`guards:\n  - id: tests\n    run: "node scripts/check.js && node test/a.test.js"\n    layer: test\n    invariant: "In this codebase, a failing test must never be committed, because it causes regressions."\n`);
      repo.write('scripts/check.js', 'process.exit(0);\n');
      repo.write('test/a.test.js', 'process.exit(0);\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'init');
      repo.write('test/b.test.js', 'process.exit(0);\n');
      expect((await hook(repo, 'codex', stopPayload('codex', repo.dir))).stdout).toBe('{}\n');
      repo.write('scripts/check.js', 'process.exit(0); // changed\n');
      repo.write('test/a.test.js', 'process.exit(0); // skipped\n');
      const { reason } = JSON.parse((await hook(repo, 'codex', stopPayload('codex', repo.dir))).stdout);
      expect(reason).toContain('scripts/check.js, test/a.test.js');
    }));

  it('pre-tool hooks deny an edit of a protected path up front, in each agent’s shape', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo, `  - id: unit\n    run: "node test/a.test.js"\n    layer: test\n    invariant: "In this codebase, a failing test must never be committed, because it causes regressions."\n`);
      repo.write('test/a.test.js', '\n');
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'tests');
      const claude = (file: string) => ({ session_id: 's', cwd: repo.dir, hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: `${repo.dir}/${file}`, content: 'x' } });
      const denied = await hook(repo, 'claude', claude('.loop/config.yaml'), { hook: 'pre-tool' });
      expect(denied.code).toBe(0);
      expect(JSON.parse(denied.stdout)).toEqual({
        hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: expect.stringContaining("protected path changed: needs a human's approval (`guardloop approve`): .loop/config.yaml") },
      });
      expect((await hook(repo, 'claude', claude('test/a.test.js'), { hook: 'pre-tool' })).stdout).toContain('"deny"');
      expect(await hook(repo, 'claude', claude('test/new.test.js'), { hook: 'pre-tool' })).toMatchObject({ code: 0, stdout: '' });
      expect(await hook(repo, 'claude', claude('src/a.js'), { hook: 'pre-tool' })).toMatchObject({ code: 0, stdout: '' });

      const patch = (file: string) => ({ session_id: 's', cwd: repo.dir, hook_event_name: 'PreToolUse', tool_name: 'apply_patch', tool_input: { command: `*** Begin Patch\n*** Update File: ${file}\n@@\n-a\n+b\n*** End Patch\n` } });
      expect(JSON.parse((await hook(repo, 'codex', patch('.loop/config.yaml'), { hook: 'pre-tool' })).stdout).hookSpecificOutput.permissionDecision).toBe('deny');
      expect((await hook(repo, 'codex', patch('src/a.js'), { hook: 'pre-tool' })).stdout).toBe('{}\n');

      const gemini = (file: string) => ({ session_id: 's', cwd: repo.dir, hook_event_name: 'BeforeTool', tool_name: 'write_file', tool_input: { file_path: file, content: 'x' } });
      expect(JSON.parse((await hook(repo, 'gemini', gemini('.loop/config.yaml'), { hook: 'pre-tool' })).stdout)).toEqual({ decision: 'deny', reason: expect.stringContaining('protected path changed') });
      expect((await hook(repo, 'gemini', gemini('src/a.js'), { hook: 'pre-tool' })).stdout).toBe('{}\n');
    }));

  it("a git commit from an agent's shell is GENERATOR: protected paths and the committed config apply", () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      repo.installHook();
      repo.config('guards: []\n');
      repo.git('add', '-A');
      const res = await repo.commit('weaken', [], { CLAUDECODE: '1' });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('protected-paths');
      expect(records(repo).pop()).toMatchObject({ source: 'GENERATOR', agent: 'claude', hook: 'pre-commit', status: 'REJECTED' });
    }));
});
