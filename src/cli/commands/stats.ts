import { readHistory } from '../../learn/history.js';
import { stats } from '../../learn/stats.js';
import { sinceMs } from '../../learn/stats-since.js';
import { EMPTY_STATS, nothingSince, statsText } from '../../messages/stats.js';
import { warningLines } from '../../messages/store.js';
import type { Command } from '../command.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

// `guardloop stats`: acceptance, retries and rejections of ℛ, and their weekly trend.
const command: Command = {
  name: 'stats',
  summary: 'Acceptance, retries, rejections per guard, layer, source and agent, and their weekly trend',
  usage: 'guardloop stats [--since DATE|30d] [--json] [--ref NOTES_REF]',
  options: {
    since: { type: 'string', value: 'date', description: 'Only chains that started at or after an ISO date or date-time (2026-01-31, 2026-01-31T12:00, UTC without an offset) or within a duration (30d, 12h, 2w)' },
    json: { type: 'boolean', description: 'The figures as one JSON object on stdout' },
    ref: { type: 'string', value: 'ref', description: 'The notes ref to read (default refs/notes/guardloop)' },
  },
  async run(ctx) {
    const since = str(ctx.values.since);
    // A bad --since is a usage error before ℛ is read (exit 2).
    sinceMs(since);
    // Read here rather than inside stats() so that unreadable notes reach stderr.
    const history = await readHistory({ cwd: ctx.cwd, ref: str(ctx.values.ref) });
    const result = await stats({ cwd: ctx.cwd, since, history });
    if (ctx.values.json) ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.records) ctx.stdout.write(`${statsText(result)}\n`);
    else ctx.stderr.write(`${result.since === null || !history.records.length ? EMPTY_STATS : nothingSince(result.since)}\n`);
    if (history.warnings.length) ctx.stderr.write(`${warningLines(history.warnings)}\n`);
    return 0;
  },
};

export default command;
