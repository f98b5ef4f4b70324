import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, withGitRepo } from '../helpers/git-repo.js';
import { hook, records, stopPayload, todoRepo } from './helpers.js';

// What each agent must see on stdout: a block that makes it go on, and an allow.
const CONTRACT: Record<string, { block: (reason: string) => unknown; allow: string }> = {
  claude: { block: (reason) => ({ decision: 'block', reason }), allow: '' },
  codex: { block: (reason) => ({ decision: 'block', reason }), allow: '{}\n' },
  gemini: { block: (reason) => ({ decision: 'deny', reason }), allow: '{}\n' },
  cursor: { block: (reason) => ({ followup_message: reason }), allow: '{}\n' },
  copilot: { block: (reason) => ({ decision: 'block', reason }), allow: '' },
  qwen: { block: (reason) => ({ decision: 'block', reason }), allow: '' },
};

describe('agent stop protocol (block and allow, per agent)', () => {
  for (const [agent, contract] of Object.entries(CONTRACT)) {
    it(`${agent}: a failing guard blocks with the reason on stdout (exit 0); a passing one lets the stop through`, () =>
      withGitRepo(async (repo) => {
        todoRepo(repo);
        repo.write('src/a.js', 'export const a = 1; // TODO remove\n');
        const blocked = await hook(repo, agent, stopPayload(agent, repo.dir));
        expect(blocked.code).toBe(0);
        expect(blocked.stdout.endsWith('}\n')).toBe(true);
        expect(blocked.stdout.trim().split('\n')).toHaveLength(1);
        const out = JSON.parse(blocked.stdout);
        expect(out).toEqual(contract.block(expect.any(String)));
        const reason = Object.values(out).pop() as string;
        expect(reason).toMatch(/^guardloop rejected this change \(attempt 1 of 5\)/);
        expect(reason).toContain('## no-todo failed (exit 1)');
        expect(reason).toContain('Invariant: In this codebase, no-todo must never fail');
        expect(reason).toContain('src/a.js:1:export const a = 1; // TODO remove');

        repo.write('src/a.js', 'export const a = 2;\n');
        const allowed = await hook(repo, agent, stopPayload(agent, repo.dir, 1));
        expect(allowed.code).toBe(0);
        expect(allowed.stdout).toBe(contract.allow);
        const [rejected, accepted] = records(repo);
        expect(rejected).toMatchObject({ status: 'REJECTED', hook: 'stop', source: 'GENERATOR', agent, retry: 0 });
        expect(accepted).toMatchObject({ status: 'ACCEPTED', source: 'GENERATOR', agent, retry: 1, provenance: [rejected.id], session: rejected.session });
        expect(accepted.session).toBeTruthy();
      }));
  }

  it('caps the reason below Claude Code’s 10,000 characters and keeps the tail of long output', () =>
    withGitRepo(async (repo) => {
      // The noisy guard fails only on the agent's change (a failure the base had wouldn't block).
      todoRepo(repo, `  - id: noisy\n    run: "seq 1 20000; echo LAST-LINE; ! grep -q TODO src/a.js"\n    invariant: "In this codebase, noise must never pass, because it causes deafness."\n`);
      repo.write('src/a.js', '// TODO\n');
      const res = await hook(repo, 'claude', stopPayload('claude', repo.dir));
      const { reason } = JSON.parse(res.stdout);
      expect(reason.length).toBeLessThan(10_000);
      expect(reason).toContain('## no-todo failed');
      expect(reason).toContain('## noisy failed');
      expect(reason).toContain('LAST-LINE');
    }));

  it('gemini: the prompt and the answer from the payload are recorded as task and lastMessage', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      repo.write('src/a.js', '// TODO\n');
      await hook(repo, 'gemini', stopPayload('gemini', repo.dir));
      const [r] = records(repo);
      expect(r.spec.task).toBe('Create src/a.js');
      expect(r.lastMessage).toBe('Done: created src/a.js.');
      expect(r.session).toBe('77839d39-fbf1-485e-ad44-1e4720cc7e27');
    }));

  it('cursor: an aborted stop is never blocked and runs nothing', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      repo.write('src/a.js', '// TODO\n');
      const res = await hook(repo, 'cursor', { ...stopPayload('cursor', repo.dir), status: 'aborted' });
      expect(res).toMatchObject({ code: 0, stdout: '{}\n' });
      expect(res.stderr).toContain('aborted');
      expect(records(repo)).toHaveLength(0);
    }));

  it('an unknown agent: a clear message on stderr, nothing on stdout, exit 1 (never 2, which some agents treat as block)', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      const res = await hook(repo, 'windsurf', { session_id: 's' });
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toContain('unknown agent "windsurf"');
    }));

  it('bad or empty stdin: blocks once with the error (agent.onError default), then allows and logs it; never a traceback', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      const first = await hook(repo, 'codex', 'not json {');
      expect(first.code).toBe(0);
      const out = JSON.parse(first.stdout);
      expect(out.decision).toBe('block');
      expect(out.reason).toContain('could not be read (not JSON');
      expect(first.stderr).not.toMatch(/at .*\.js:\d+/);
      const second = await hook(repo, 'codex', '');
      expect(second).toMatchObject({ code: 0, stdout: '{}\n' });
      expect(second.stderr).toContain('let the stop through (agent.onError)');
      expect(repo.read('.git/guardloop/agent-errors.jsonl').trim().split('\n')).toHaveLength(2);
      const status = await repo.cli(['status']);
      expect(status.stdout).toContain('Recent guardloop errors in agent hooks');
    }));

  it('agent.onError: allow lets the stop through at once (Claude is told via systemMessage)', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo, 'agent:\n  onError: allow\n');
      const res = await hook(repo, 'claude', '[]');
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toEqual({ systemMessage: expect.stringContaining('not a JSON object') });
    }));

  it('never hangs on a stdin pipe that stays open', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      const started = Date.now();
      const res = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'run', '--hook', 'stop', '--agent', 'gemini'], { cwd: repo.dir, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        child.stdout.on('data', (b) => (stdout += b));
        child.on('close', (code) => resolve({ code, stdout }));
        // Nothing written, never closed.
      });
      expect(Date.now() - started).toBeLessThan(8000);
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout).decision).toBe('deny');
    }));

  it('answers as soon as a complete payload arrives, even if the pipe stays open (Codex sends no newline)', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      const started = Date.now();
      const res = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'run', '--hook', 'stop', '--agent', 'codex'], { cwd: repo.dir, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        child.stdout.on('data', (b) => (stdout += b));
        child.on('close', (code) => resolve({ code, stdout }));
        child.stdin.write(JSON.stringify(stopPayload('codex', repo.dir)));
      });
      expect(Date.now() - started).toBeLessThan(2900);
      expect(res).toEqual({ code: 0, stdout: '{}\n' });
    }));
});
