import { health } from '../../learn/health.js';
import { readHistory } from '../../learn/history.js';
import { EMPTY_HEALTH, healthText } from '../../messages/health.js';
import { warningLines } from '../../messages/store.js';
import type { Command } from '../command.js';
import { shallowWarning } from '../../learn/config-history.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

// `guardloop health`: is the loop working, or are constraints exploding? Exit 1 on a warning sign.
const command: Command = {
  name: 'health',
  summary: 'Loop health: constraints per week, recurrence, retries; exit 1 on a warning sign',
  usage: 'guardloop health [--json] [--ref NOTES_REF]',
  options: {
    json: { type: 'boolean', description: 'The weeks, catch spans and warning signs as one JSON object on stdout' },
    ref: { type: 'string', value: 'ref', description: 'The notes ref to read (default refs/notes/guardloop)' },
  },
  async run(ctx) {
    const ref = str(ctx.values.ref);
    // Read here rather than inside health() so that unreadable notes reach stderr.
    const history = await readHistory({ cwd: ctx.cwd, ref });
    const result = await health({ cwd: ctx.cwd, ref, history });
    if (ctx.values.json) ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (!result.weeks.length) ctx.stderr.write(`${EMPTY_HEALTH}\n`);
    else ctx.stdout.write(`${healthText(result)}\n`);
    if (history.warnings.length) ctx.stderr.write(`${warningLines(history.warnings)}\n`);
    const shallow = await shallowWarning(ctx.cwd);
    if (shallow) ctx.stderr.write(`${shallow}\n`);
    return result.healthy ? 0 : 1;
  },
};

export default command;
