import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { ensureCli, type InstalledCli } from './helpers/cli-cache.js';
import { agentEnv, runAgent, type AgentRun } from './helpers/sandbox.js';
import { assertBuilt, removeSnapshot, guardloop, expectEscalation, expectFixChain, printTimings, report, setUpRepo, stopRecords, tempHome, timing, turnStarts } from './helpers/scenario.js';
import { geminiMock } from './mocks/gemini.js';
import { TODO_SCRIPT } from './mocks/script.js';
import type { MockServer } from './mocks/server.js';

// Gemini CLI, the real CLI (`gemini -p`), against a scripted Gemini API on loopback.
let cli: InstalledCli;
beforeAll(async () => {
  assertBuilt();
  cli = await ensureCli('gemini');
  timing(`gemini ${cli.version}: ${cli.installed ? `installed in ${(cli.ms / 1000).toFixed(1)} s` : 'cached'}`);
});
afterAll(() => {
  removeSnapshot();
  printTimings('Gemini CLI');
});

// ~/.gemini/settings.json: API-key auth (the key is a dummy), no auto-update, no usage statistics, no telemetry.
function geminiEnv(home: string, mock: MockServer): NodeJS.ProcessEnv {
  const dir = join(home, '.gemini');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'settings.json'),
    JSON.stringify({
      general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      security: { auth: { selectedType: 'gemini-api-key' } },
    }),
  );
  return agentEnv(home, { GEMINI_API_KEY: 'dummy-not-a-key', GOOGLE_GEMINI_BASE_URL: mock.url, GEMINI_CLI_NO_RELAUNCH: 'true' });
}

// Trusts the folder as Gemini CLI's trust dialog records it: ~/.gemini/trustedFolders.json.
function trustFolder(home: string, root: string): void {
  writeFileSync(join(home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [root]: 'TRUST_FOLDER' }, null, 2));
}

async function status(repo: TestRepo, env: NodeJS.ProcessEnv): Promise<any> {
  const res = await guardloop(repo, ['status', '--json'], { HOME: env.HOME });
  // status exits 1 while something is off (an agent not yet trusted is an open bypass route).
  expect(res.code, res.stderr).toBe(JSON.parse(res.stdout).ok ? 0 : 1);
  return JSON.parse(res.stdout).agents.find((a: any) => a.agent === 'gemini');
}

async function runGemini(repo: TestRepo, env: NodeJS.ProcessEnv, mock: MockServer): Promise<{ run: AgentRun; session: string | null }> {
  const run = await runAgent({
    argv: [process.execPath, cli.bin, '-p', TODO_SCRIPT.prompt, '--approval-mode', 'yolo', '--output-format', 'json'],
    cwd: repo.dir,
    env,
    timeoutMs: 120_000,
    mock,
  });
  let session: string | null = null;
  try {
    session = JSON.parse(run.stdout).session_id ?? null;
  } catch {
    session = null;
  }
  return { run, session };
}

describe('Gemini CLI (real CLI, @google/gemini-cli)', () => {
  it('an untrusted folder: status says so and gemini -p refuses to run; trusted, a failing change is blocked, fixed and accepted', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'gemini');
      const home = tempHome();
      const mock = await geminiMock(TODO_SCRIPT, repo.dir);
      try {
        const env = geminiEnv(home.dir, mock);
        const s0 = await status(repo, env);
        expect(s0).toMatchObject({ stop: true, trust: { trusted: false } });
        expect(s0.trust.detail).toMatch(/not trusted yet in Gemini CLI/);
        const refused = await runGemini(repo, env, mock);
        timing(`gemini untrusted folder: exit ${refused.run.code} in ${(refused.run.ms / 1000).toFixed(1)} s`);
        // Gemini CLI 0.61.0 exits 55 headless in an untrusted folder, before any model call.
        expect(refused.run.code, report('gemini', refused.run, mock, repo.dir)).toBe(55);
        expect(mock.requests).toEqual([]);

        trustFolder(home.dir, repo.dir);
        expect((await status(repo, env)).trust).toMatchObject({ trusted: true });
        const { run, session } = await runGemini(repo, env, mock);
        timing(`gemini fix after block: ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests${run.isolated ? ' (netns)' : ' (NOT isolated)'}`);
        // Gemini CLI sends the reason as a plain user turn after the rejected answer.
        expectFixChain({ agent: 'gemini', run, mock, dir: repo.dir, script: TODO_SCRIPT, session, reasonShape: /\{"parts":\[\{"text":"guardloop rejected this change[^"]*"\}\],"role":"user"\}/ });
        expect(stopRecords(repo.dir, 'gemini')[1].lastMessage).toBeTruthy();
        // Gemini CLI ran the BeforeAgent hook: the turn's start (HEAD) was recorded as the stop's trusted base.
        expect(turnStarts(repo)).toEqual([repo.git('rev-parse', 'HEAD')]);
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));

  it('a guard that can never pass: the run ends after agent.maxAttempts, the chain is escalated, nothing loops (Gemini CLI has no cap of its own)', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'gemini', { neverPass: true, maxAttempts: 3 });
      const home = tempHome();
      const mock = await geminiMock(TODO_SCRIPT, repo.dir);
      try {
        const env = geminiEnv(home.dir, mock);
        trustFolder(home.dir, repo.dir);
        const { run, session } = await runGemini(repo, env, mock);
        timing(`gemini escalation (maxAttempts 3): ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests`);
        expectEscalation({ agent: 'gemini', run, mock, dir: repo.dir, session, maxAttempts: 3 });
        expect(run.ms).toBeLessThan(90_000);
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));
});
