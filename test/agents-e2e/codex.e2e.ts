import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { ensureCli, type InstalledCli } from './helpers/cli-cache.js';
import { codexAppServer, listHooks, trustProjectAndHooks } from './helpers/codex-app-server.js';
import { agentEnv, runAgent, type AgentRun } from './helpers/sandbox.js';
import { assertBuilt, removeSnapshot, guardloop, expectEscalation, expectFixChain, printTimings, report, setUpRepo, stopRecords, tempHome, timing, turnStarts } from './helpers/scenario.js';
import { openaiMock } from './mocks/openai.js';
import { TODO_SCRIPT } from './mocks/script.js';
import type { MockServer } from './mocks/server.js';

// Codex, the real CLI (`codex exec`), against a scripted OpenAI Responses API on loopback.
let cli: InstalledCli;
beforeAll(async () => {
  assertBuilt();
  cli = await ensureCli('codex');
  timing(`codex ${cli.version}: ${cli.installed ? `installed in ${(cli.ms / 1000).toFixed(1)} s` : 'cached'}`);
});
afterAll(() => {
  removeSnapshot();
  printTimings('Codex');
});

// $CODEX_HOME/config.toml: the mock as the model provider (a model whose bundled metadata gives Codex
// its apply_patch tool), no retries, no update check, analytics and feedback off.
function codexHome(home: string, baseUrl: string): string {
  const dir = join(home, '.codex');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.toml'),
    [
      'model = "gpt-5.5"',
      'model_provider = "mock"',
      'check_for_update_on_startup = false',
      '',
      '[model_providers.mock]',
      'name = "mock"',
      `base_url = "${baseUrl}/v1"`,
      'wire_api = "responses"',
      'env_key = "MOCK_API_KEY"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
      '[analytics]',
      'enabled = false',
      '',
      '[feedback]',
      'enabled = false',
      '',
    ].join('\n'),
  );
  return dir;
}

function codexEnv(home: string, mock: MockServer): NodeJS.ProcessEnv {
  return agentEnv(home, { CODEX_HOME: codexHome(home, mock.url), MOCK_API_KEY: 'dummy-not-a-key', CODEX_INTERNAL_APP_SERVER_REMOTE_CONTROL_DISABLED: '1' });
}

async function status(repo: TestRepo, env: NodeJS.ProcessEnv): Promise<any> {
  const res = await guardloop(repo, ['status', '--json'], { HOME: env.HOME, CODEX_HOME: env.CODEX_HOME });
  // status exits 1 while something is off (an agent not yet trusted is an open bypass route).
  expect(res.code, res.stderr).toBe(JSON.parse(res.stdout).ok ? 0 : 1);
  return JSON.parse(res.stdout).agents.find((a: any) => a.agent === 'codex');
}

async function runCodex(repo: TestRepo, env: NodeJS.ProcessEnv, mock: MockServer): Promise<{ run: AgentRun; session: string | null }> {
  const run = await runAgent({ argv: [cli.bin, 'exec', '-s', 'workspace-write', TODO_SCRIPT.prompt], cwd: repo.dir, env, timeoutMs: 120_000, mock });
  return { run, session: /^session id: (\S+)$/m.exec(run.stderr)?.[1] ?? null };
}

describe('Codex (real CLI, @openai/codex)', () => {
  it('init tells the user to trust the hook; status reports it untrusted until Codex records the trust; then a failing change is blocked, fixed and accepted', () =>
    withGitRepo(async (repo) => {
      const init = await setUpRepo(repo, 'codex');
      expect(init.stdout + init.stderr).toMatch(/review and trust the guardloop hooks in \.codex\/hooks\.json/);
      const home = tempHome();
      const mock = await openaiMock(TODO_SCRIPT);
      try {
        const env = codexEnv(home.dir, mock);
        // Untrusted project: status says so.
        const s0 = await status(repo, env);
        expect(s0).toMatchObject({ stop: true, trust: { trusted: false } });
        expect(s0.trust.detail).toMatch(/project is not trusted in Codex/);
        // Trust the project and the hooks the way Codex's prompts record it, through Codex's own app-server.
        const { before, after } = await trustProjectAndHooks(cli.bin, env, repo.dir);
        // init installs the subagent events too (SubagentStart, SubagentStop): each is trusted like the rest.
        expect(before.map((h) => [h.eventName, h.trustStatus]).sort()).toEqual([['preToolUse', 'untrusted'], ['stop', 'untrusted'], ['subagentStart', 'untrusted'], ['subagentStop', 'untrusted'], ['userPromptSubmit', 'untrusted']]);
        expect(after.map((h) => [h.eventName, h.trustStatus]).sort()).toEqual([['preToolUse', 'trusted'], ['stop', 'trusted'], ['subagentStart', 'trusted'], ['subagentStop', 'trusted'], ['userPromptSubmit', 'trusted']]);
        expect((await status(repo, env)).trust).toMatchObject({ trusted: true });

        const { run, session } = await runCodex(repo, env, mock);
        timing(`codex fix after block: ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests${run.isolated ? ' (netns)' : ' (NOT isolated)'}`);
        // Codex injects the block as a user message <hook_prompt hook_run_id="stop:…">reason</hook_prompt>.
        expectFixChain({ agent: 'codex', run, mock, dir: repo.dir, script: TODO_SCRIPT, session, reasonShape: /<hook_prompt hook_run_id=\\"stop:[^>]*>guardloop rejected this change/ });
        // The edits went through apply_patch (and guardloop's PreToolUse hook on it).
        expect(mock.requests.filter((r) => r.answer?.includes('apply_patch')).length, report('codex', run, mock, repo.dir)).toBe(2);
        expect(run.stderr).toContain('hook: PreToolUse');
        // Codex ran the UserPromptSubmit hook: the turn's start (HEAD) was recorded as the stop's trusted base.
        expect(turnStarts(repo)).toEqual([repo.git('rev-parse', 'HEAD')]);
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));

  it('a trusted project whose hook is not trusted: Codex skips the stop hook silently, and guardloop status says so', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'codex');
      const home = tempHome();
      const mock = await openaiMock(TODO_SCRIPT);
      try {
        const env = codexEnv(home.dir, mock);
        await codexAppServer(cli.bin, env, repo.dir, async (call) => {
          await call('config/value/write', { keyPath: 'projects', value: { [repo.dir]: { trust_level: 'trusted' } }, mergeStrategy: 'upsert' });
          expect((await listHooks(call, repo.dir)).map((h) => h.trustStatus)).toEqual(['untrusted', 'untrusted', 'untrusted', 'untrusted', 'untrusted']);
        });
        const s = await status(repo, env);
        expect(s.trust.trusted).toBe(false);
        expect(s.trust.detail).toMatch(/not trusted in Codex, or changed since it was trusted, so Codex skips them silently/);
        const { run } = await runCodex(repo, env, mock);
        timing(`codex untrusted hook: ${(run.ms / 1000).toFixed(1)} s`);
        expect(run.code, report('codex', run, mock, repo.dir)).toBe(0);
        // The TODO stayed, no stop ran, nothing was recorded: exactly the silent skip status warns about.
        expect(repo.read('src/a.js')).toBe(TODO_SCRIPT.bad);
        expect(stopRecords(repo.dir, 'codex')).toEqual([]);
        expect(mock.containing('guardloop rejected')).toEqual([]);
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));

  it('a guard that can never pass: the run ends after agent.maxAttempts, the chain is escalated, nothing loops (Codex has no cap of its own)', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'codex', { neverPass: true, maxAttempts: 3 });
      const home = tempHome();
      const mock = await openaiMock(TODO_SCRIPT);
      try {
        const env = codexEnv(home.dir, mock);
        await trustProjectAndHooks(cli.bin, env, repo.dir);
        const { run, session } = await runCodex(repo, env, mock);
        timing(`codex escalation (maxAttempts 3): ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests`);
        expectEscalation({ agent: 'codex', run, mock, dir: repo.dir, session, maxAttempts: 3 });
        expect(run.ms).toBeLessThan(90_000);
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));
});
