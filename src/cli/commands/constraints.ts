import { readHistory } from '../../learn/history.js';
import { constraints } from '../../learn/constraints.js';
import { constraintsMarkdown, constraintsTable } from '../../learn/constraint-table.js';
import { JSON_OR_MD, NO_CONSTRAINTS } from '../../messages/constraints.js';
import { warningLines } from '../../messages/store.js';
import type { Command } from '../command.js';
import { shallowWarning } from '../../learn/config-history.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

// `guardloop constraints`: the constraint log — when each guard came in, what it caught, whether the failure came back, its verdict.
const command: Command = {
  name: 'constraints',
  summary: 'The constraint log: each guard\'s date, catches, recurrence after the grace period and verdict (new, effective, recurring, idle, flaky)',
  usage: 'guardloop constraints [--json | --md] [--ref NOTES_REF]',
  options: {
    json: { type: 'boolean', description: 'The log as one JSON object on stdout' },
    md: { type: 'boolean', description: 'The log as a Markdown table, ready to paste into a doc' },
    ref: { type: 'string', value: 'ref', description: 'The notes ref to read (default refs/notes/guardloop)' },
  },
  async run(ctx) {
    if (ctx.values.json && ctx.values.md) {
      ctx.stderr.write(`${JSON_OR_MD}\n`);
      return 2;
    }
    // Read here rather than inside constraints() so that unreadable notes reach stderr.
    const history = await readHistory({ cwd: ctx.cwd, ref: str(ctx.values.ref) });
    const result = await constraints({ cwd: ctx.cwd, history });
    const out = ctx.stdout as NodeJS.WriteStream;
    if (ctx.values.json) ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (ctx.values.md) ctx.stdout.write(`${constraintsMarkdown(result)}\n`);
    else if (!result.constraints.length) ctx.stderr.write(`${NO_CONSTRAINTS}\n`);
    else ctx.stdout.write(`${constraintsTable(result, out.isTTY ? { width: out.columns, colour: !ctx.env.NO_COLOR } : {})}\n`);
    if (history.warnings.length) ctx.stderr.write(`${warningLines(history.warnings)}\n`);
    const shallow = await shallowWarning(ctx.cwd);
    if (shallow) ctx.stderr.write(`${shallow}\n`);
    return 0;
  },
};

export default command;
