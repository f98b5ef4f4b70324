import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { discoverRepo } from '../../git/repo.js';
import { recentHookErrors } from '../../agents/on-error.js';
import { AGENT_NAMES } from '../../agents/types.js';
import { codexTrust, geminiTrust, type AgentTrust } from '../../agents/trust.js';
import { agentHookStatus, isGuardloopHandler } from '../../setup/install-agents.js';
import { hookErrorLine, openChainsLine, RECENT_HOOK_ERRORS, statusHeader, statusLine, unrecordedHeader, unrecordedLine } from '../../messages/agents.js';
import { readUnrecorded } from '../../engine/unrecorded.js';
import { openRepository } from '../../store/repository.js';
import type { Command } from '../command.js';

// `guardloop status`: which agent hooks are installed, open agent chains, guardloop's recent hook errors.
const command: Command = {
  name: 'status',
  summary: "Show which agents' stop hooks are installed, open agent chains and recent hook errors.",
  usage: 'guardloop status [--json]',
  options: {
    json: { type: 'boolean', description: 'Print the status as JSON' },
  },
  async run(ctx) {
    const repo = await discoverRepo(ctx.cwd);
    const agents = await Promise.all(
      AGENT_NAMES.map(async (agent) => {
        const hooks = await agentHookStatus(repo.root, agent);
        // Installed hooks an agent won't run until a person trusts them (Codex: project + hook; Gemini CLI: folder).
        let trust: AgentTrust | undefined;
        if (hooks.stop && agent === 'codex') trust = await codexTrust(repo.root, ctx.env, isGuardloopHandler);
        if (hooks.stop && agent === 'gemini') trust = await geminiTrust(repo.root, ctx.env);
        return { agent, ...hooks, ...(trust ? { trust } : {}) };
      }),
    );
    const openChains = (await readdir(join(repo.commonDir, 'guardloop', 'chains')).catch(() => [] as string[])).filter((f) => !f.endsWith('.tmp')).length;
    const errors = await recentHookErrors(repo.commonDir);
    // Verdicts that could not be written to ℛ and are still not there (a later write may have restored them).
    const noted = await readUnrecorded(repo.commonDir);
    const repository = await openRepository({ cwd: repo.root, dirs: repo });
    const unrecorded = [];
    try {
      for (const u of noted) if (!(await repository.byTree(u.tree).catch(() => [])).some((r) => r.id === u.id)) unrecorded.push(u);
    } finally {
      await repository.close();
    }
    if (ctx.values.json) {
      ctx.stdout.write(`${JSON.stringify({ root: repo.root, agents, openChains, errors, unrecorded })}\n`);
      return 0;
    }
    const lines = [statusHeader(repo.root), ...agents.map((a) => statusLine(a.agent, a)), openChainsLine(openChains)];
    if (unrecorded.length) lines.push(unrecordedHeader(unrecorded.length), ...unrecorded.map(unrecordedLine));
    if (errors.length) lines.push(RECENT_HOOK_ERRORS, ...errors.map(hookErrorLine));
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

export default command;
