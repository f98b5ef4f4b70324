import { demo } from '../../setup/demo.js';
import type { Command } from '../command.js';

// `guardloop demo`: the whole loop played in a throwaway repository, told step by step on stdout.
const command: Command = {
  name: 'demo',
  summary: 'Play the whole loop in a throwaway repository: an agent blocked twice, then accepted',
  usage: 'guardloop demo [--dir DIR] [--clean]',
  options: {
    dir: { type: 'string', value: 'dir', description: 'Build the demo in DIR (new or empty) instead of a new temp folder; the repository is DIR/repo' },
    clean: { type: 'boolean', description: 'Remove the folder at the end (kept by default, and whenever a step fails)' },
  },
  async run(ctx) {
    await demo({
      dir: typeof ctx.values.dir === 'string' ? ctx.values.dir : undefined,
      clean: ctx.values.clean === true,
      cwd: ctx.cwd,
      env: ctx.env,
      write: (text) => ctx.stdout.write(text),
    });
    return 0;
  },
};

export default command;
