import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { ensureCli, type InstalledCli } from './helpers/cli-cache.js';
import { agentEnv, runAgent } from './helpers/sandbox.js';
import { assertBuilt, printTimings, removeSnapshot, report, setUpRepo, stopRecords, tempHome, timing, turnStarts } from './helpers/scenario.js';
import { anthropicMock } from './mocks/anthropic.js';
import { REASON_MARK, TODO_SCRIPT } from './mocks/script.js';
import type { MockServer } from './mocks/server.js';
import { subagentAnthropicMock } from './mocks/subagent-anthropic.js';
import { SUB_MARK, SUB_READ_ONLY, SUB_TODO, type SubagentScript } from './mocks/subagent-script.js';

// Claude Code's subagents (its Agent tool) and plan mode, the real CLI (`claude -p`), against a
// scripted Anthropic Messages API on loopback.
let cli: InstalledCli;
beforeAll(async () => {
  assertBuilt();
  cli = await ensureCli('claude');
  timing(`claude ${cli.version}: ${cli.installed ? `installed in ${(cli.ms / 1000).toFixed(1)} s` : 'cached'}`);
});
afterAll(() => {
  removeSnapshot();
  printTimings('Claude Code subagents and plan mode');
});

// As in claude.e2e.ts: every switch for traffic that isn't the model call.
function claudeEnv(home: string, baseUrl: string): NodeJS.ProcessEnv {
  return agentEnv(home, {
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: 'sk-ant-dummy-not-a-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_UPDATES: '1',
    DISABLE_GROWTHBOOK: '1',
    DISABLE_INSTALLATION_CHECKS: '1',
    CLAUDE_CODE_DISABLE_FEATURE_FLAGS: '1',
    CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: '1',
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1',
  });
}

async function runClaude(repo: TestRepo, mock: MockServer, prompt: string, mode: string) {
  const home = tempHome();
  try {
    const run = await runAgent({ argv: [cli.bin, '-p', prompt, '--permission-mode', mode, '--output-format', 'json'], cwd: repo.dir, env: claudeEnv(home.dir, mock.url), timeoutMs: 150_000, mock });
    let session: string | null = null;
    try {
      session = JSON.parse(run.stdout).session_id ?? null;
    } catch {
      session = null;
    }
    return { run, session, why: report('claude', run, mock, repo.dir) };
  } finally {
    home.cleanup();
  }
}

async function subagentSession(repo: TestRepo, script: SubagentScript) {
  const mock = await subagentAnthropicMock(script, repo.dir);
  try {
    const out = await runClaude(repo, mock, script.prompt, 'acceptEdits');
    timing(`claude subagent (${script.file ? 'writes' : 'read-only'}): ${(out.run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests${out.run.isolated ? ' (netns)' : ' (NOT isolated)'}`);
    return { ...out, mock };
  } finally {
    await mock.close();
  }
}

describe('Claude Code subagents and plan mode (real CLI)', () => {
  it('a subagent’s failing change is blocked at its SubagentStop, fixed, and accepted in its own chain (`<session>/<agent_id>`)', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'claude');
      const { run, session, mock, why } = await subagentSession(repo, SUB_TODO);
      expect(run.code, why).toBe(0);
      expect(repo.read(SUB_TODO.file!), why).toBe(SUB_TODO.fixed);
      const told = mock.requests.filter((r) => r.answer?.startsWith('sub: ') && r.body.includes(SUB_MARK) && r.body.includes(REASON_MARK));
      expect(told.length, why).toBeGreaterThanOrEqual(1);
      expect(told[0].body, why).toContain('(attempt 1 of 3)');
      const rs = stopRecords(repo.dir, 'claude');
      const sub = rs.filter((r) => String(r.session).startsWith(`${session}/`));
      expect(session, why).toBeTruthy();
      expect(sub.map((r) => [r.status, r.retry]), why).toEqual([
        ['REJECTED', 0],
        ['ACCEPTED', 1],
      ]);
      expect(rs.filter((r) => r.session === session && r.status === 'REJECTED'), why).toEqual([]);
    }));

  it('a read-only subagent is let through at its SubagentStop without a run', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'claude');
      const { run, session, mock, why } = await subagentSession(repo, SUB_READ_ONLY);
      expect(run.code, why).toBe(0);
      expect(mock.requests.filter((r) => r.answer?.startsWith('sub: text')).length, why).toBeGreaterThanOrEqual(1);
      expect(mock.containing(REASON_MARK), why).toEqual([]);
      expect(stopRecords(repo.dir, 'claude').filter((r) => String(r.session).startsWith(`${session}/`)), why).toEqual([]);
    }));

  it('a stop in plan mode (--permission-mode plan) is never blocked: nothing runs, nothing is recorded, though the tree holds a failing change', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'claude');
      repo.write('src/a.js', TODO_SCRIPT.bad);
      const mock = await anthropicMock(TODO_SCRIPT, repo.dir);
      try {
        const { run, why } = await runClaude(repo, mock, 'Plan how to remove the TODO in src/a.js.', 'plan');
        timing(`claude plan mode: ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests`);
        expect(run.code, why).toBe(0);
        expect(turnStarts(repo), why).toEqual([repo.git('rev-parse', 'HEAD')]);
        expect(mock.containing(REASON_MARK), why).toEqual([]);
        expect(stopRecords(repo.dir, 'claude'), why).toEqual([]);
      } finally {
        await mock.close();
      }
    }));
});
