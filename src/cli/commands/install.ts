import { install } from '../../setup/install.js';
import type { Command } from '../command.js';

// `guardloop install`: the lean mode's prepare script — makes .loop/hooks the hooks git runs (exits 0 whatever it finds).
const command: Command = {
  name: 'install',
  summary: 'Point core.hooksPath at the committed .loop/hooks (run by the prepare script after npm install; safe to run again).',
  usage: 'guardloop install',
  options: {},
  async run(ctx) {
    const result = await install({ cwd: ctx.cwd, env: ctx.env });
    ctx.stdout.write(`${result.message}\n`);
    return 0;
  },
};

export default command;
