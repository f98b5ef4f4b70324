import { init } from '../../hooks/init.js';
import { initReport } from '../../messages/init.js';
import type { Command } from '../command.js';

// `guardloop init`: installs the hook and a starter config in the current repository.
const command: Command = {
  name: 'init',
  summary: 'Add husky and the pre-commit hook, and write a starter .loop/config.yaml (safe to run again).',
  usage: 'guardloop init',
  options: {},
  async run(ctx) {
    const result = await init({ cwd: ctx.cwd });
    ctx.stdout.write(`${initReport(result)}\n`);
    return 0;
  },
};

export default command;
