import { report } from '../../learn/report.js';
import { reportWritten } from '../../messages/report.js';
import { warningLines } from '../../messages/store.js';
import type { Command } from '../command.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

// `guardloop report`: one self-contained HTML file of ℛ (charts, the constraint log, loop health,
// the latest escalated chains); prints where it went.
const command: Command = {
  name: 'report',
  summary: 'One self-contained HTML report of ℛ: charts, the constraint log, escalated chains',
  usage: 'guardloop report [-o FILE] [--since DATE|30d] [--ref NOTES_REF]',
  options: {
    output: { type: 'string', short: 'o', value: 'file', description: 'Write the report to FILE (default guardloop-report.html in the current directory)' },
    since: { type: 'string', value: 'date', description: 'Figures, charts and escalated chains of the chains started at or after an ISO date or date-time (2026-01-31, UTC without an offset) or within a duration (30d, 12h)' },
    ref: { type: 'string', value: 'ref', description: 'The notes ref to read (default refs/notes/guardloop)' },
  },
  async run(ctx) {
    const v = ctx.values;
    const result = await report({ cwd: ctx.cwd, ref: str(v.ref), since: str(v.since), output: str(v.output) });
    if (result.warnings.length) ctx.stderr.write(`${warningLines(result.warnings)}\n`);
    ctx.stdout.write(`${reportWritten(result.path, result.bytes, result.url)}\n`);
    return 0;
  },
};

export default command;
