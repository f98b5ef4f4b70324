import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { ensureCli, type InstalledCli } from './helpers/cli-cache.js';
import { agentEnv, runAgent, type AgentRun } from './helpers/sandbox.js';
import { assertBuilt, removeSnapshot, expectEscalation, expectFixChain, printTimings, report, setUpRepo, stopRecords, tempHome, timing, turnStarts } from './helpers/scenario.js';
import { chatCompletionsMock, COPILOT_TOOLS } from './mocks/chat-completions.js';
import { TODO_SCRIPT } from './mocks/script.js';
import type { MockServer } from './mocks/server.js';

// GitHub Copilot CLI, the real CLI (`copilot -p`), in its offline BYOK mode (COPILOT_OFFLINE with
// COPILOT_PROVIDER_BASE_URL: no GitHub sign-in, telemetry or update check) against a scripted OpenAI
// chat-completions API on loopback.
let cli: InstalledCli;
beforeAll(async () => {
  assertBuilt();
  cli = await ensureCli('copilot');
  timing(`copilot ${cli.version}: ${cli.installed ? `installed in ${(cli.ms / 1000).toFixed(1)} s` : 'cached'}`);
});
afterAll(() => {
  removeSnapshot();
  printTimings('GitHub Copilot CLI');
});

function copilotEnv(home: string, mock: MockServer): NodeJS.ProcessEnv {
  mkdirSync(join(home, '.copilot'), { recursive: true });
  return agentEnv(home, {
    COPILOT_OFFLINE: 'true',
    COPILOT_PROVIDER_BASE_URL: `${mock.url}/v1`,
    COPILOT_PROVIDER_API_KEY: 'dummy-not-a-key',
    COPILOT_MODEL: 'gpt-4.1',
    COPILOT_AUTO_UPDATE: 'false',
  });
}

// Trusts the folder as Copilot CLI's trust prompt records it: `trustedFolders` in ~/.copilot/config.json.
// Without it Copilot CLI skips the repository's hooks silently.
function trustFolder(home: string, root: string): void {
  writeFileSync(join(home, '.copilot', 'config.json'), JSON.stringify({ trustedFolders: [root] }, null, 2));
}

async function runCopilot(repo: TestRepo, env: NodeJS.ProcessEnv, mock: MockServer, prompt = TODO_SCRIPT.prompt): Promise<{ run: AgentRun; session: string | null }> {
  // --allow-all-tools approves the edit tools without a prompt; it does not trust the folder.
  const run = await runAgent({ argv: [cli.bin, '-p', prompt, '--allow-all-tools', '--output-format', 'json'], cwd: repo.dir, env, timeoutMs: 120_000, mock });
  let session: string | null = null;
  for (const line of run.stdout.split('\n')) {
    try {
      const e = JSON.parse(line) as Record<string, any>;
      if (e.type === 'result' && typeof e.sessionId === 'string') session = e.sessionId;
    } catch {
      // not an event line
    }
  }
  return { run, session };
}

describe('GitHub Copilot CLI (real CLI, @github/copilot, offline BYOK)', () => {
  it('an untrusted folder: Copilot CLI skips the hooks silently; trusted, a failing change is blocked, fixed and accepted', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'copilot');
      const home = tempHome();
      const untrusted = await chatCompletionsMock(TODO_SCRIPT, repo.dir, COPILOT_TOOLS);
      const skipped = await runCopilot(repo, copilotEnv(home.dir, untrusted), untrusted).finally(() => untrusted.close());
      timing(`copilot untrusted folder: exit ${skipped.run.code} in ${(skipped.run.ms / 1000).toFixed(1)} s`);
      const why0 = report('copilot', skipped.run, untrusted, repo.dir);
      expect(skipped.run.code, why0).toBe(0);
      // The TODO stayed and nothing was recorded: no hook ran.
      expect(repo.read(TODO_SCRIPT.file), why0).toBe(TODO_SCRIPT.bad);
      expect(stopRecords(repo.dir, 'copilot'), why0).toEqual([]);
      expect(untrusted.containing('guardloop rejected'), why0).toEqual([]);
      repo.git('clean', '-qfd', 'src');

      const mock = await chatCompletionsMock(TODO_SCRIPT, repo.dir, COPILOT_TOOLS);
      try {
        const env = copilotEnv(home.dir, mock);
        trustFolder(home.dir, repo.dir);
        const { run, session } = await runCopilot(repo, env, mock);
        timing(`copilot fix after block: ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests${run.isolated ? ' (netns)' : ' (NOT isolated)'}`);
        // Copilot CLI queues the agentStop reason as the next user message, behind its date stamp.
        expectFixChain({ agent: 'copilot', run, mock, dir: repo.dir, script: TODO_SCRIPT, session, reasonShape: /"role":"user","content":"<current_datetime>[^<]*<\/current_datetime>\\n\\nguardloop rejected this change/ });
        const why = report('copilot', run, mock, repo.dir);
        // The payload carries no answer, and the session log can lag the hook by a turn (its newest
        // answer may be the previous one): no answer is recorded rather than another turn's.
        expect(stopRecords(repo.dir, 'copilot').map((r) => r.lastMessage ?? null), why).toEqual([null, null]);
        // The file was created, then rewritten with edit.
        expect(mock.requests.filter((r) => / as (create|edit)$/.test(r.answer ?? '')).map((r) => r.answer?.split(' as ')[1]), why).toEqual(['create', 'edit']);
        // userPromptSubmitted ran: the turn's start (HEAD) was recorded as the stop's trusted base.
        expect(turnStarts(repo)).toEqual([repo.git('rev-parse', 'HEAD')]);
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));

  it('an edit of a protected path is denied up front by the preToolUse hook; the model is told why', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'copilot');
      const home = tempHome();
      const script = { ...TODO_SCRIPT, prompt: 'Relax the guards.', file: '.loop/config.yaml', bad: 'guards: []\n', fixed: 'guards: []\n' };
      const mock = await chatCompletionsMock(script, repo.dir, COPILOT_TOOLS);
      try {
        const env = copilotEnv(home.dir, mock);
        trustFolder(home.dir, repo.dir);
        const before = repo.read('.loop/config.yaml');
        const { run } = await runCopilot(repo, env, mock, script.prompt);
        timing(`copilot protected edit: ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests`);
        const why = report('copilot', run, mock, repo.dir);
        expect(run.code, why).toBe(0);
        expect(repo.read('.loop/config.yaml'), why).toBe(before);
        // The tool result the model got back is guardloop's reason.
        expect(mock.containing('an agent may not change them on its own').length, why).toBeGreaterThanOrEqual(1);
        expect(stopRecords(repo.dir, 'copilot').map((r) => r.status), why).toEqual(['ACCEPTED']);
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));

  it('a guard that can never pass: the run ends after agent.maxAttempts, the chain is escalated, nothing loops', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'copilot', { neverPass: true, maxAttempts: 3 });
      const home = tempHome();
      const mock = await chatCompletionsMock(TODO_SCRIPT, repo.dir, COPILOT_TOOLS);
      try {
        const env = copilotEnv(home.dir, mock);
        trustFolder(home.dir, repo.dir);
        const { run, session } = await runCopilot(repo, env, mock);
        timing(`copilot escalation (maxAttempts 3): ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests`);
        expectEscalation({ agent: 'copilot', run, mock, dir: repo.dir, session, maxAttempts: 3 });
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));
});
