import { init } from '../../setup/init.js';
import { initNote, initReport } from '../../messages/setup.js';
import type { Command } from '../command.js';

// `guardloop init`: installs the hook and a starter config in the current repository.
const command: Command = {
  name: 'init',
  summary: 'Install the git hooks (lean: committed .loop/hooks; husky mode when the project uses husky) and write a starter .loop/config.yaml (safe to run again).',
  usage: 'guardloop init [--agent claude,codex,cursor,gemini,copilot,qwen|all]',
  options: {
    agent: { type: 'string', value: 'names', description: "Also merge guardloop's stop hooks into these agents' project configs (comma-separated, or all)" },
  },
  async run(ctx) {
    const agents = typeof ctx.values.agent === 'string' ? (await import('../../setup/install-agents.js')).parseAgentList(ctx.values.agent) : undefined;
    const result = await init({ cwd: ctx.cwd, agents });
    ctx.stdout.write(`${initReport(result)}\n`);
    for (const notice of result.notices ?? []) ctx.stdout.write(`\n${initNote(notice)}\n`);
    return 0;
  },
};

export default command;
