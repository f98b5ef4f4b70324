import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { discoverRepo } from '../../git/repo.js';
import { recentHookErrors } from '../../hooks/agents/on-error.js';
import { AGENT_NAMES } from '../../hooks/agents/types.js';
import { codexTrust, geminiTrust, type AgentTrust } from '../../hooks/agents/trust.js';
import { agentHookStatus, isGuardloopHandler } from '../../hooks/install-agents.js';
import { statusLine } from '../../messages/agents.js';
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
    if (ctx.values.json) {
      ctx.stdout.write(`${JSON.stringify({ root: repo.root, agents, openChains, errors })}\n`);
      return 0;
    }
    const lines = [`guardloop status in ${repo.root}`, 'Agent hooks:', ...agents.map((a) => statusLine(a.agent, a)), `Open chains (rejected attempts waiting for a fix): ${openChains}`];
    if (errors.length) lines.push('Recent guardloop errors in agent hooks:', ...errors.map((e) => `  ${e.ts} ${e.agent} ${e.action}: ${String(e.message).split('\n')[0]}`));
    ctx.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

export default command;
