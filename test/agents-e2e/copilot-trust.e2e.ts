import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { ensureCli, type InstalledCli } from './helpers/cli-cache.js';
import { agentEnv, runAgent } from './helpers/sandbox.js';
import { assertBuilt, guardloop, printTimings, removeSnapshot, report, setUpRepo, stopRecords, tempHome, timing } from './helpers/scenario.js';
import { chatCompletionsMock, COPILOT_TOOLS } from './mocks/chat-completions.js';
import { TODO_SCRIPT } from './mocks/script.js';

// What `guardloop status` says of Copilot CLI's folder trust, checked against what the real CLI does:
// whether it runs the repository's hooks (a stop record appears) under each rule status applies.
let cli: InstalledCli;
beforeAll(async () => {
  assertBuilt();
  cli = await ensureCli('copilot');
  timing(`copilot ${cli.version}: ${cli.installed ? `installed in ${(cli.ms / 1000).toFixed(1)} s` : 'cached'}`);
});
afterAll(() => {
  removeSnapshot();
  printTimings('Copilot CLI folder trust');
});

// One Copilot CLI run in `cwd` with `extra` in its environment (and status's); whether its hooks ran, and status's verdict.
async function check(repo: TestRepo, opts: { cwd?: string; trusted?: string[]; extra?: Record<string, string> }) {
  const home = tempHome();
  const mock = await chatCompletionsMock(TODO_SCRIPT, opts.cwd ?? repo.dir, COPILOT_TOOLS);
  try {
    mkdirSync(join(home.dir, '.copilot'), { recursive: true });
    if (opts.trusted) writeFileSync(join(home.dir, '.copilot', 'config.json'), `// This file is managed automatically.\n${JSON.stringify({ trustedFolders: opts.trusted }, null, 2)}\n`);
    const extra = opts.extra ?? {};
    const status = await guardloop(repo, ['status', '--json'], { HOME: home.dir, ...extra });
    const trust = JSON.parse(status.stdout).agents.find((a: any) => a.agent === 'copilot').trust;
    const env = agentEnv(home.dir, { COPILOT_OFFLINE: 'true', COPILOT_PROVIDER_BASE_URL: `${mock.url}/v1`, COPILOT_PROVIDER_API_KEY: 'dummy-not-a-key', COPILOT_MODEL: 'gpt-4.1', COPILOT_AUTO_UPDATE: 'false', ...extra });
    const before = stopRecords(repo.dir, 'copilot').length;
    const run = await runAgent({ argv: [cli.bin, '-p', TODO_SCRIPT.prompt, '--allow-all-tools', '--output-format', 'json'], cwd: opts.cwd ?? repo.dir, env, timeoutMs: 120_000, mock });
    timing(`copilot trust check: ${(run.ms / 1000).toFixed(1)} s`);
    return { trust, hooksRan: stopRecords(repo.dir, 'copilot').length > before, why: report('copilot', run, mock, repo.dir) };
  } finally {
    await mock.close();
    home.cleanup();
  }
}

describe('Copilot CLI folder trust: status agrees with the real CLI', () => {
  it('a folder above the repository in trustedFolders trusts it; COPILOT_ALLOW_ALL=true trusts it; COPILOT_ALLOW_ALL=1 does not', () =>
    withGitRepo(async (repo) => {
      await setUpRepo(repo, 'copilot');
      const parent = await check(repo, { trusted: [dirname(repo.dir)] });
      expect([parent.trust.trusted, parent.hooksRan], parent.why).toEqual([true, true]);
      repo.git('clean', '-qfd', 'src');
      repo.git('checkout', '-q', '--', '.');
      const allowAll = await check(repo, { extra: { COPILOT_ALLOW_ALL: 'true' } });
      expect([allowAll.trust.trusted, allowAll.hooksRan], allowAll.why).toEqual([true, true]);
      repo.git('clean', '-qfd', 'src');
      const one = await check(repo, { extra: { COPILOT_ALLOW_ALL: '1' } });
      expect([one.trust.trusted, one.hooksRan], one.why).toEqual([false, false]);
      expect(one.trust.detail, one.why).toContain('"trustedFolders"');
    }));
});
