import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { stopPayload } from '../agents/helpers.js';
import { addWorktree, fakeBinary, leanRepo, removeBinary } from './helpers.js';

const REASON = 'guardloop is not installed in this worktree: run npm install';

// The command `init --agent` installed for an agent's hook, as its config file holds it.
function installed(dir: string, agent: string, hook: 'stop' | 'pre-tool' | 'turn-start'): string {
  const json = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')).hooks;
  const grouped = (f: string, event: string) => json(f)[event][0].hooks[0].command as string;
  const events: Record<string, Record<string, () => string>> = {
    claude: { stop: () => grouped('.claude/settings.json', 'Stop'), 'pre-tool': () => grouped('.claude/settings.json', 'PreToolUse'), 'turn-start': () => grouped('.claude/settings.json', 'UserPromptSubmit') },
    codex: { stop: () => grouped('.codex/hooks.json', 'Stop') },
    gemini: { stop: () => grouped('.gemini/settings.json', 'AfterAgent') },
    cursor: { stop: () => json('.cursor/hooks.json').stop[0].command, 'turn-start': () => json('.cursor/hooks.json').beforeSubmitPrompt[0].command },
    copilot: { stop: () => json('.github/hooks/guardloop.json').agentStop[0].bash },
  };
  return events[agent][hook]();
}

// Runs an installed hook command as the agent does: through a shell, in the project, payload on stdin.
function runHook(repo: TestRepo, cwd: string, command: string, payload: unknown) {
  const env = cleanEnv({ CLAUDE_PROJECT_DIR: cwd, GEMINI_PROJECT_DIR: cwd });
  return spawnSync('/bin/sh', ['-c', command], { cwd, env, input: typeof payload === 'string' ? payload : JSON.stringify(payload), encoding: 'utf8' });
}

const sessionOf = (p: Record<string, unknown>) => String(p.session_id ?? p.sessionId ?? p.conversation_id);

async function agentRepo(repo: TestRepo): Promise<void> {
  await leanRepo(repo);
  const res = await repo.cli(['init', '--agent', 'all']);
  if (res.code !== 0) throw new Error(res.stderr);
}

describe('the agents’ launcher (.loop/hooks/agent) where guardloop is not installed', () => {
  it('blocks a stop once per session in each agent’s protocol, then lets it through with the reason on stderr (exit 0 throughout)', () =>
    withGitRepo(async (repo) => {
      await agentRepo(repo);
      removeBinary(repo.dir);
      const blocks: Record<string, (out: any) => void> = {
        claude: (o) => expect(o).toEqual({ decision: 'block', reason: expect.stringContaining(REASON) }),
        codex: (o) => expect(o).toEqual({ decision: 'block', reason: expect.stringContaining(REASON) }),
        copilot: (o) => expect(o).toEqual({ decision: 'block', reason: expect.stringContaining(REASON) }),
        gemini: (o) => expect(o).toEqual({ decision: 'deny', reason: expect.stringContaining(REASON) }),
        cursor: (o) => expect(o).toEqual({ followup_message: expect.stringContaining(REASON) }),
      };
      for (const [agent, isBlock] of Object.entries(blocks)) {
        const command = installed(repo.dir, agent, 'stop');
        expect(command).toContain('.loop/hooks/agent run --hook stop --agent');
        const payload = stopPayload(agent, repo.dir);
        // Pretty-printed on purpose: the session id is found line by line.
        const first = runHook(repo, repo.dir, command, JSON.stringify(payload, null, 2));
        expect(first.status, `${agent}: ${first.stderr}`).toBe(0);
        isBlock(JSON.parse(first.stdout));
        expect(first.stderr).toContain(`guardloop (${agent} hook): ${REASON}. The stop was blocked once this session`);
        const second = runHook(repo, repo.dir, command, payload);
        expect(second.status).toBe(0);
        expect(second.stdout).not.toContain('"block"');
        expect(second.stdout).not.toContain('followup_message');
        expect(second.stderr).toContain(`guardloop (${agent} hook): ${REASON}. The agent's work was let through unchecked.`);
      }
      // One marker per agent and session, named by the session id found in the payload.
      const markers = readdirSync(join(repo.dir, '.git', 'guardloop', 'hook-errors')).sort();
      expect(markers).toEqual(Object.keys(blocks).map((a) => `not-installed-${a}-${sessionOf(stopPayload(a, repo.dir))}`).sort());
      // Claude Code's allow tells the person through systemMessage; Cursor's is `{}`.
      expect(JSON.parse(runHook(repo, repo.dir, installed(repo.dir, 'claude', 'stop'), stopPayload('claude', repo.dir)).stdout)).toEqual({ systemMessage: expect.stringContaining(REASON) });
      expect(runHook(repo, repo.dir, installed(repo.dir, 'cursor', 'stop'), stopPayload('cursor', repo.dir)).stdout).toBe('{}\n');
      // Another session is blocked once again.
      const other = runHook(repo, repo.dir, installed(repo.dir, 'claude', 'stop'), { ...stopPayload('claude', repo.dir), session_id: 'another-session' });
      expect(JSON.parse(other.stdout).decision).toBe('block');
    }));

  it('lets an edit check and a turn start through with the reason on stderr', () =>
    withGitRepo(async (repo) => {
      await agentRepo(repo);
      removeBinary(repo.dir);
      const tool = runHook(repo, repo.dir, installed(repo.dir, 'claude', 'pre-tool'), { session_id: 's', tool_name: 'Edit', tool_input: { file_path: 'a.js' } });
      expect(tool).toMatchObject({ status: 0, stdout: '' });
      expect(tool.stderr).toContain(REASON);
      const turn = runHook(repo, repo.dir, installed(repo.dir, 'cursor', 'turn-start'), { conversation_id: 'c', prompt: 'hi' });
      expect(turn).toMatchObject({ status: 0, stdout: '{"continue":true}\n' });
      expect(turn.stderr).toContain(REASON);
    }));

  it('in a worktree without node_modules, runs the main worktree’s guardloop with the hook’s arguments and payload', () =>
    withGitRepo(async (repo) => {
      await agentRepo(repo);
      repo.git('add', '-A');
      repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'agents');
      const mark = join(repo.dir, '.git', 'started');
      fakeBinary(repo.dir, mark);
      const wt = addWorktree(repo);
      try {
        const res = runHook(repo, wt.dir, installed(wt.dir, 'claude', 'stop'), { session_id: 'wt-session' });
        expect(res.status, res.stderr).toBe(0);
        expect(readFileSync(mark, 'utf8')).toBe('run --hook stop --agent claude\n{"session_id":"wt-session"}');
      } finally {
        wt.done();
      }
    }));
});
