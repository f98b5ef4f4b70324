import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { ensureCli, type InstalledCli } from './helpers/cli-cache.js';
import { agentEnv, runAgent, type AgentRun } from './helpers/sandbox.js';
import { assertBuilt, guardloop, printTimings, records, removeSnapshot, report, setUpRepo, stopRecords, tempHome, timing, turnStarts } from './helpers/scenario.js';
import { chatCompletionsMock, COPILOT_TOOLS, QWEN_TOOLS, type ChatTools } from './mocks/chat-completions.js';
import { REASON_MARK, TODO_SCRIPT } from './mocks/script.js';
import type { MockServer } from './mocks/server.js';
import { shellChatMock } from './mocks/shell-chat.js';
import { COPILOT_SPAWN, QWEN_SPAWN, subagentChatMock, type SpawnTool } from './mocks/subagent-chat.js';
import { SUB_MARK, SUB_READ_ONLY, SUB_TODO, type SubagentScript } from './mocks/subagent-script.js';

// Subagents, plan mode and the agents' shells with the real Qwen Code and GitHub Copilot CLI, each
// against a scripted chat-completions model on loopback (the parent spawns a subagent through the
// CLI's own agent tool; the subagent writes through the CLI's edit tool).
const clis: Partial<Record<'qwen' | 'copilot', InstalledCli>> = {};
beforeAll(async () => {
  assertBuilt();
  for (const name of ['qwen', 'copilot'] as const) {
    clis[name] = await ensureCli(name);
    timing(`${name} ${clis[name]!.version}: ${clis[name]!.installed ? `installed in ${(clis[name]!.ms / 1000).toFixed(1)} s` : 'cached'}`);
  }
});
afterAll(() => {
  removeSnapshot();
  printTimings('Subagents, plan mode and shells (Qwen Code, Copilot CLI)');
});

type Cli = 'qwen' | 'copilot';

// Each CLI's offline setup (as in qwen.e2e.ts and copilot.e2e.ts): the mock as its model, nothing
// else reachable; Copilot CLI's folder trusted the way its trust prompt records it.
function envFor(cli: Cli, home: string, mock: MockServer, root: string): NodeJS.ProcessEnv {
  if (cli === 'qwen') {
    mkdirSync(join(home, '.qwen'), { recursive: true });
    writeFileSync(
      join(home, '.qwen', 'settings.json'),
      JSON.stringify({ general: { enableAutoUpdate: false }, privacy: { usageStatisticsEnabled: false }, telemetry: { enabled: false }, security: { auth: { selectedType: 'openai' } } }),
    );
    return agentEnv(home, { OPENAI_API_KEY: 'dummy-not-a-key', OPENAI_BASE_URL: `${mock.url}/v1`, OPENAI_MODEL: 'mock-model', QWEN_CODE_SUPPRESS_YOLO_WARNING: '1' });
  }
  mkdirSync(join(home, '.copilot'), { recursive: true });
  writeFileSync(join(home, '.copilot', 'config.json'), JSON.stringify({ trustedFolders: [root] }, null, 2));
  return agentEnv(home, { COPILOT_OFFLINE: 'true', COPILOT_PROVIDER_BASE_URL: `${mock.url}/v1`, COPILOT_PROVIDER_API_KEY: 'dummy-not-a-key', COPILOT_MODEL: 'gpt-4.1', COPILOT_AUTO_UPDATE: 'false' });
}

// One headless run; the session id from the CLI's JSON output.
async function runCli(cli: Cli, repo: TestRepo, env: NodeJS.ProcessEnv, mock: MockServer, prompt: string, mode?: string): Promise<{ run: AgentRun; session: string | null }> {
  const bin = clis[cli]!.bin;
  const argv =
    cli === 'qwen'
      ? [process.execPath, bin, prompt, '--approval-mode', mode ?? 'yolo', '--output-format', 'json', '--auth-type', 'openai']
      : [bin, '-p', prompt, '--allow-all-tools', '--output-format', 'json'];
  const run = await runAgent({ argv, cwd: repo.dir, env, timeoutMs: 150_000, mock });
  let session: string | null = null;
  if (cli === 'qwen') {
    try {
      session = (JSON.parse(run.stdout) as Array<Record<string, any>>).find((e) => e.type === 'system' && e.subtype === 'init')?.session_id ?? null;
    } catch {
      session = null;
    }
  } else
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

const SETUP: Record<Cli, { tools: ChatTools; spawn: SpawnTool; shell: string }> = {
  qwen: { tools: QWEN_TOOLS, spawn: QWEN_SPAWN, shell: 'run_shell_command' },
  copilot: { tools: COPILOT_TOOLS, spawn: COPILOT_SPAWN, shell: 'bash' },
};

// The subagent starts recorded and not yet forgotten.
const subagentStarts = (repo: TestRepo) => (existsSync(join(repo.dir, '.git', 'guardloop', 'subagents')) ? readdirSync(join(repo.dir, '.git', 'guardloop', 'subagents')) : []);

// The requests of the subagent's conversation that carried guardloop's reason.
const toSubagent = (mock: MockServer) => mock.requests.filter((r) => r.body.includes(SUB_MARK) && r.body.includes(REASON_MARK) && r.answer?.startsWith('sub: '));

async function subagentSession(cli: Cli, repo: TestRepo, script: SubagentScript) {
  const home = tempHome();
  const mock = await subagentChatMock(script, repo.dir, SETUP[cli].tools, SETUP[cli].spawn);
  try {
    const { run, session } = await runCli(cli, repo, envFor(cli, home.dir, mock, repo.dir), mock, script.prompt);
    timing(`${cli} subagent (${script.file ? 'writes' : 'read-only'}): ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests${run.isolated ? ' (netns)' : ' (NOT isolated)'}`);
    return { run, session, mock, why: report(cli, run, mock, repo.dir) };
  } finally {
    await mock.close();
    home.cleanup();
  }
}

for (const cli of ['qwen', 'copilot'] as const) {
  describe(`${cli} subagents (real CLI)`, () => {
    it('a subagent that writes a failing change is blocked at its own stop, fixes it, and is accepted in a chain of its own; the parent stops clean', () =>
      withGitRepo(async (repo) => {
        await setUpRepo(repo, cli);
        const { run, session, mock, why } = await subagentSession(cli, repo, SUB_TODO);
        expect(run.code, why).toBe(0);
        expect(repo.read(SUB_TODO.file!), why).toBe(SUB_TODO.fixed);
        // The reason went to the subagent (its conversation), not to the parent.
        expect(toSubagent(mock).length, why).toBeGreaterThanOrEqual(1);
        expect(toSubagent(mock)[0].body, why).toContain('(attempt 1 of 3)');
        const rs = stopRecords(repo.dir, cli);
        const sub = rs.filter((r) => typeof r.session === 'string' && r.session.startsWith(`${session}/`));
        expect(session, why).toBeTruthy();
        expect(sub.map((r) => [r.status, r.retry]), why).toEqual([
          ['REJECTED', 0],
          ['ACCEPTED', 1],
        ]);
        expect(new Set(sub.map((r) => r.session)).size, why).toBe(1);
        // The parent's stop never rejected: its chain holds no rejection.
        expect(rs.filter((r) => r.session === session && r.status === 'REJECTED'), why).toEqual([]);
        // The subagent's start (.git/guardloop/subagents/) was forgotten once it was let through.
        expect(subagentStarts(repo), why).toEqual([]);
      }));

    it('a read-only subagent is let through at its stop without a run: no record of its chain', () =>
      withGitRepo(async (repo) => {
        await setUpRepo(repo, cli);
        const { run, session, mock, why } = await subagentSession(cli, repo, SUB_READ_ONLY);
        expect(run.code, why).toBe(0);
        // The subagent did run (its conversation reached the mock) and finished.
        expect(mock.requests.filter((r) => r.answer?.startsWith('sub: text')).length, why).toBeGreaterThanOrEqual(1);
        expect(mock.containing(REASON_MARK), why).toEqual([]);
        expect(stopRecords(repo.dir, cli).filter((r) => String(r.session).startsWith(`${session}/`)), why).toEqual([]);
      }));

    it(`a git commit the agent makes in its shell is recorded as ${cli}'s (GENERATOR)`, () =>
      withGitRepo(async (repo) => {
        await setUpRepo(repo, cli);
        const home = tempHome();
        const mock = await shellChatMock(SETUP[cli].shell, "printf 'export const q = 1;\\n' > src/q.js && git add -A && git commit -q -m 'from the agent'");
        try {
          const { run } = await runCli(cli, repo, envFor(cli, home.dir, mock, repo.dir), mock, 'Add src/q.js and commit it.');
          timing(`${cli} shell commit: ${(run.ms / 1000).toFixed(1)} s`);
          const why = report(cli, run, mock, repo.dir);
          expect(run.code, why).toBe(0);
          expect(repo.git('log', '-1', '--format=%s'), why).toBe('from the agent');
          const commit = records(repo.dir).filter((r) => r.hook === 'pre-commit');
          expect(commit.map((r) => [r.source, r.agent, r.status]), why).toEqual([['GENERATOR', cli, 'ACCEPTED']]);
        } finally {
          await mock.close();
          home.cleanup();
        }
      }));
  });
}

describe('Qwen Code plan mode (real CLI)', () => {
  it('a stop in plan mode (--approval-mode plan) is let through at once: nothing runs, nothing is recorded, though the tree holds a failing change', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'qwen');
      // An earlier turn's failing change, still in the work tree: a judged stop would block on it.
      repo.write('src/a.js', TODO_SCRIPT.bad);
      const home = tempHome();
      const mock = await chatCompletionsMock(TODO_SCRIPT, repo.dir, QWEN_TOOLS);
      try {
        const { run } = await runCli('qwen', repo, envFor('qwen', home.dir, mock, repo.dir), mock, 'Plan how to remove the TODO in src/a.js.', 'plan');
        timing(`qwen plan mode: ${(run.ms / 1000).toFixed(1)} s, ${mock.requests.length} model requests`);
        const why = report('qwen', run, mock, repo.dir);
        expect(run.code, why).toBe(0);
        // The hooks are live (the turn's start was recorded), the stop blocked nothing and recorded nothing.
        expect(turnStarts(repo), why).toEqual([repo.git('rev-parse', 'HEAD')]);
        expect(mock.containing(REASON_MARK), why).toEqual([]);
        expect(stopRecords(repo.dir, 'qwen'), why).toEqual([]);
        const status = await guardloop(repo, ['status', '--json'], { HOME: home.dir });
        expect(JSON.parse(status.stdout).openChains, why).toBe(0);
      } finally {
        await mock.close();
        home.cleanup();
      }
    }));
});
