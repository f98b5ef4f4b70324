import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { ensureCli, type InstalledCli } from './helpers/cli-cache.js';
import { trustProjectAndHooks } from './helpers/codex-app-server.js';
import { agentEnv, runAgent } from './helpers/sandbox.js';
import { assertBuilt, guardloop, printTimings, removeSnapshot, report, setUpRepo, stopRecords, tempHome, timing } from './helpers/scenario.js';
import { REASON_MARK } from './mocks/script.js';
import type { MockServer } from './mocks/server.js';
import { subagentResponsesMock } from './mocks/subagent-responses.js';
import { SUB_MARK, SUB_READ_ONLY, SUB_TODO, type SubagentScript } from './mocks/subagent-script.js';

// Codex subagents, the real CLI (`codex exec`, multi-agent tools on), against a scripted Responses
// API on loopback: the parent spawns a subagent (spawn_agent) and waits for it; the subagent ends
// with SubagentStop, which guardloop judges in the subagent's own chain.
let cli: InstalledCli;
beforeAll(async () => {
  assertBuilt();
  cli = await ensureCli('codex');
  timing(`codex ${cli.version}: ${cli.installed ? `installed in ${(cli.ms / 1000).toFixed(1)} s` : 'cached'}`);
});
afterAll(() => {
  removeSnapshot();
  printTimings('Codex subagents');
});

// As in codex.e2e.ts, plus `[features] multi_agent_v2`, which offers the model Codex's subagent tools.
function codexEnv(home: string, mock: MockServer): NodeJS.ProcessEnv {
  const dir = join(home, '.codex');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.toml'),
    [
      'model = "gpt-5.5"',
      'model_provider = "mock"',
      'check_for_update_on_startup = false',
      '',
      '[features]',
      'multi_agent_v2 = true',
      '',
      '[model_providers.mock]',
      'name = "mock"',
      `base_url = "${mock.url}/v1"`,
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
  return agentEnv(home, { CODEX_HOME: dir, MOCK_API_KEY: 'dummy-not-a-key', CODEX_INTERNAL_APP_SERVER_REMOTE_CONTROL_DISABLED: '1' });
}

async function session(repo: TestRepo, script: SubagentScript) {
  const home = tempHome();
  const mock = await subagentResponsesMock(script);
  try {
    const env = codexEnv(home.dir, mock);
    const { after } = await trustProjectAndHooks(cli.bin, env, repo.dir);
    const status = JSON.parse((await guardloop(repo, ['status', '--json'], { HOME: env.HOME, CODEX_HOME: env.CODEX_HOME })).stdout).agents.find((a: any) => a.agent === 'codex');
    const run = await runAgent({ argv: [cli.bin, 'exec', '-s', 'workspace-write', script.prompt], cwd: repo.dir, env, timeoutMs: 150_000, mock });
    timing(`codex subagent (${script.file ? 'writes' : 'read-only'}): ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests${run.isolated ? ' (netns)' : ' (NOT isolated)'}`);
    return { run, mock, after, status, session: /^session id: (\S+)$/m.exec(run.stderr)?.[1] ?? null, why: report('codex', run, mock, repo.dir) };
  } finally {
    await mock.close();
    home.cleanup();
  }
}

describe('Codex subagents (real CLI, @openai/codex)', () => {
  it('init installs SubagentStart and SubagentStop (trusted like the rest); a subagent’s failing change is blocked at its SubagentStop, fixed, accepted in its own chain', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'codex');
      const { run, mock, after, status, session: parent, why } = await session(repo, SUB_TODO);
      expect(after.map((h) => [h.eventName, h.trustStatus]).sort(), why).toEqual([
        ['preToolUse', 'trusted'],
        ['stop', 'trusted'],
        ['subagentStart', 'trusted'],
        ['subagentStop', 'trusted'],
        ['userPromptSubmit', 'trusted'],
      ]);
      expect(status.trust, why).toMatchObject({ trusted: true });
      expect(run.code, why).toBe(0);
      expect(repo.read(SUB_TODO.file!), why).toBe(SUB_TODO.fixed);
      // The reason reached the subagent's conversation.
      const told = mock.requests.filter((r) => r.answer?.startsWith('sub: ') && r.body.includes(SUB_MARK) && r.body.includes(REASON_MARK));
      expect(told.length, why).toBeGreaterThanOrEqual(1);
      expect(told[0].body, why).toContain('(attempt 1 of 3)');
      const rs = stopRecords(repo.dir, 'codex');
      const sub = rs.filter((r) => String(r.session).startsWith(`${parent}/`));
      expect(parent, why).toBeTruthy();
      expect(sub.map((r) => [r.status, r.retry]), why).toEqual([
        ['REJECTED', 0],
        ['ACCEPTED', 1],
      ]);
      expect(rs.filter((r) => r.session === parent && r.status === 'REJECTED'), why).toEqual([]);
    }));

  it('a read-only subagent is let through at its SubagentStop without a run', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'codex');
      const { run, mock, session: parent, why } = await session(repo, SUB_READ_ONLY);
      expect(run.code, why).toBe(0);
      expect(mock.requests.filter((r) => r.answer?.startsWith('sub: text')).length, why).toBeGreaterThanOrEqual(1);
      expect(mock.containing(REASON_MARK), why).toEqual([]);
      expect(stopRecords(repo.dir, 'codex').filter((r) => String(r.session).startsWith(`${parent}/`)), why).toEqual([]);
    }));
});
