import { status } from '../../audit/status.js';
import { statusText } from '../../audit/status-text.js';
import { agentHookStatus, isGuardloopHandler } from '../../setup/install-agents.js';
import type { Command } from '../command.js';

// `guardloop status`: whether the hooks are live in this worktree (git's and the agents'), ℛ's
// settings, open agent chains, recent hook errors, and the bypass routes left open. Exit 1 when one is.
const command: Command = {
  name: 'status',
  summary: 'Show whether the git and agent hooks are live in this worktree, ℛ’s settings, and which bypass routes are open (exit 1 when one is).',
  usage: 'guardloop status [--json]',
  options: {
    json: { type: 'boolean', description: 'Print the status as JSON' },
  },
  async run(ctx) {
    const report = await status({ cwd: ctx.cwd, env: ctx.env, agentHooks: agentHookStatus, isGuardloopHandler });
    ctx.stdout.write(`${ctx.values.json ? JSON.stringify(report) : statusText(report)}\n`);
    return report.ok ? 0 : 1;
  },
};

export default command;
