import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { ensureCli, type InstalledCli } from './helpers/cli-cache.js';
import { agentEnv, runAgent, type AgentRun } from './helpers/sandbox.js';
import { assertBuilt, removeSnapshot, expectEscalation, expectFixChain, printTimings, report, setUpRepo, stopRecords, tempHome, timing, turnStarts } from './helpers/scenario.js';
import { chatCompletionsMock, QWEN_TOOLS } from './mocks/chat-completions.js';
import { TODO_SCRIPT } from './mocks/script.js';
import type { MockServer } from './mocks/server.js';

// Qwen Code, the real CLI (`qwen <prompt>` headless), against a scripted OpenAI chat-completions API on loopback.
let cli: InstalledCli;
beforeAll(async () => {
  assertBuilt();
  cli = await ensureCli('qwen');
  timing(`qwen ${cli.version}: ${cli.installed ? `installed in ${(cli.ms / 1000).toFixed(1)} s` : 'cached'}`);
});
afterAll(() => {
  removeSnapshot();
  printTimings('Qwen Code');
});

// ~/.qwen/settings.json: no auto-update, no usage statistics, no telemetry; the model is the mock,
// reached as an OpenAI-compatible endpoint with a dummy key.
function qwenEnv(home: string, mock: MockServer): NodeJS.ProcessEnv {
  const dir = join(home, '.qwen');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({
      general: { enableAutoUpdate: false },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      security: { auth: { selectedType: 'openai' } },
    }),
  );
  return agentEnv(home, {
    OPENAI_API_KEY: 'dummy-not-a-key',
    OPENAI_BASE_URL: `${mock.url}/v1`,
    OPENAI_MODEL: 'mock-model',
    QWEN_CODE_SUPPRESS_YOLO_WARNING: '1',
  });
}

async function runQwen(repo: TestRepo, env: NodeJS.ProcessEnv, mock: MockServer): Promise<{ run: AgentRun; session: string | null }> {
  const run = await runAgent({
    argv: [process.execPath, cli.bin, TODO_SCRIPT.prompt, '--approval-mode', 'yolo', '--output-format', 'json', '--auth-type', 'openai'],
    cwd: repo.dir,
    env,
    timeoutMs: 120_000,
    mock,
  });
  let session: string | null = null;
  try {
    const events = JSON.parse(run.stdout) as Array<Record<string, any>>;
    session = events.find((e) => e.type === 'system' && e.subtype === 'init')?.session_id ?? null;
  } catch {
    session = null;
  }
  return { run, session };
}

describe('Qwen Code (real CLI, @qwen-code/qwen-code)', () => {
  it('a change that breaks a guard is blocked, the reason reaches the model as the next user turn, its fix is accepted; ℛ holds the chain', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'qwen');
      const home = tempHome();
      const mock = await chatCompletionsMock(TODO_SCRIPT, repo.dir, QWEN_TOOLS);
      try {
        const env = qwenEnv(home.dir, mock);
        const { run, session } = await runQwen(repo, env, mock);
        timing(`qwen fix after block: ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests${run.isolated ? ' (netns)' : ' (NOT isolated)'}`);
        // Qwen Code sends the Stop hook's reason as a user message of one text part.
        expectFixChain({ agent: 'qwen', run, mock, dir: repo.dir, script: TODO_SCRIPT, session, reasonShape: /\{"role":"user","content":\[\{"type":"text","text":"guardloop rejected this change/ });
        const why = report('qwen', run, mock, repo.dir);
        // The answer Qwen Code put in the Stop payload is recorded as the attempt's last message.
        expect(stopRecords(repo.dir, 'qwen').map((r) => r.lastMessage), why).toEqual(['Created src/a.js.', 'Fixed src/a.js.']);
        // Both writes went through write_file and guardloop's PreToolUse hook on it.
        expect(mock.requests.filter((r) => r.answer?.endsWith('as write_file')).length, why).toBe(2);
        // The turn's start (HEAD) was recorded as the stop's trusted base, and the tool-result and
        // hook continuations that fire UserPromptSubmit again carried it over unchanged.
        expect(turnStarts(repo)).toEqual([repo.git('rev-parse', 'HEAD')]);
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));

  it('an edit of a protected path is denied up front by the PreToolUse hook; the model is told why', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'qwen');
      const home = tempHome();
      const script = { ...TODO_SCRIPT, prompt: 'Relax the guards.', file: '.loop/config.yaml', bad: 'guards: []\n', fixed: 'guards: []\n' };
      const mock = await chatCompletionsMock(script, repo.dir, QWEN_TOOLS);
      try {
        const before = repo.read('.loop/config.yaml');
        const { run } = await runQwen(repo, qwenEnv(home.dir, mock), mock);
        timing(`qwen protected edit: ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests`);
        const why = report('qwen', run, mock, repo.dir);
        expect(run.code, why).toBe(0);
        expect(repo.read('.loop/config.yaml'), why).toBe(before);
        // The tool result the model got back is guardloop's reason.
        expect(mock.containing('an agent may not change them on its own').length, why).toBeGreaterThanOrEqual(1);
        expect(stopRecords(repo.dir, 'qwen').map((r) => r.status), why).toEqual(['ACCEPTED']);
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));

  it('a guard that can never pass: the run ends after agent.maxAttempts (below Qwen Code’s own cap of 8), the chain is escalated, nothing loops', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'qwen', { neverPass: true, maxAttempts: 3 });
      const home = tempHome();
      const mock = await chatCompletionsMock(TODO_SCRIPT, repo.dir, QWEN_TOOLS);
      try {
        const { run, session } = await runQwen(repo, qwenEnv(home.dir, mock), mock);
        timing(`qwen escalation (maxAttempts 3): ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests`);
        expectEscalation({ agent: 'qwen', run, mock, dir: repo.dir, session, maxAttempts: 3 });
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));
});
