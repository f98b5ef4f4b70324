import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { ensureCli, type InstalledCli } from './helpers/cli-cache.js';
import { agentEnv, runAgent, type AgentRun } from './helpers/sandbox.js';
import { assertBuilt, removeSnapshot, expectEscalation, expectFixChain, printTimings, report, setUpRepo, tempHome, timing, turnStarts } from './helpers/scenario.js';
import { anthropicMock } from './mocks/anthropic.js';
import { TODO_SCRIPT } from './mocks/script.js';
import type { MockServer } from './mocks/server.js';

// Claude Code, the real CLI (`claude -p`), against a scripted Anthropic Messages API on loopback.
let cli: InstalledCli;
beforeAll(async () => {
  assertBuilt();
  cli = await ensureCli('claude');
  timing(`claude ${cli.version}: ${cli.installed ? `installed in ${(cli.ms / 1000).toFixed(1)} s` : 'cached'}`);
});
afterAll(() => {
  removeSnapshot();
  printTimings('Claude Code');
});

// Every switch Claude Code has for traffic that isn't the model call (the network namespace is the backstop).
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

async function runClaude(repo: TestRepo): Promise<{ run: AgentRun; mock: MockServer; session: string | null }> {
  const home = tempHome();
  const mock = await anthropicMock(TODO_SCRIPT, repo.dir);
  try {
    // acceptEdits: the Write tool runs without a prompt (no --dangerously-skip-permissions, refused as root).
    const run = await runAgent({
      argv: [cli.bin, '-p', TODO_SCRIPT.prompt, '--permission-mode', 'acceptEdits', '--output-format', 'json'],
      cwd: repo.dir,
      env: claudeEnv(home.dir, mock.url),
      timeoutMs: 120_000,
      mock,
    });
    let session: string | null = null;
    try {
      session = JSON.parse(run.stdout).session_id ?? null;
    } catch {
      session = null;
    }
    return { run, mock, session };
  } finally {
    await mock.close();
    home.cleanup();
  }
}

describe(`Claude Code (real CLI, ${'@anthropic-ai/claude-code'})`, () => {
  it('a change that breaks a guard is blocked, the reason reaches the model, its fix is accepted; ℛ holds the chain', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'claude');
      const { run, mock, session } = await runClaude(repo);
      timing(`claude fix after block: ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests${run.isolated ? ' (netns)' : ' (NOT isolated)'}`);
      // Claude Code injects the block as a user message "Stop hook feedback:\n<reason>".
      expectFixChain({ agent: 'claude', run, mock, dir: repo.dir, script: TODO_SCRIPT, session, reasonShape: /"Stop hook feedback:\\nguardloop rejected this change/ });
      // The session id guardloop recorded is the one Claude Code sent its API.
      expect(mock.requests[0].headers['x-claude-code-session-id'], report('claude', run, mock, repo.dir)).toBe(session);
      // Claude Code ran the UserPromptSubmit hook: the turn's start (HEAD) was recorded as the stop's trusted base.
      expect(turnStarts(repo)).toEqual([repo.git('rev-parse', 'HEAD')]);
    }));

  it('a guard that can never pass: the turn ends after agent.maxAttempts, the chain is escalated, nothing loops', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'claude', { neverPass: true, maxAttempts: 3 });
      const { run, mock, session } = await runClaude(repo);
      timing(`claude escalation (maxAttempts 3): ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests`);
      expectEscalation({ agent: 'claude', run, mock, dir: repo.dir, session, maxAttempts: 3 });
      expect(run.ms).toBeLessThan(90_000);
    }));
});
