import { openRepository } from '../../store/repository.js';
import { EMPTY_LOG, summaryLine, warningLines } from '../../messages/store.js';
import type { Command } from '../command.js';
import { logFilter } from '../../store/log-filter.js';

// `guardloop log`: the records in ℛ, newest first.
const command: Command = {
  name: 'log',
  summary: 'List the records in ℛ, newest first',
  usage: 'guardloop log [--status ACCEPTED|REJECTED|SKIPPED] [--source HUMAN|GENERATOR|CI] [--hook NAME] [--since DATE|7d] [--limit N] [--json]',
  options: {
    status: { type: 'string', value: 'status', description: 'Only ACCEPTED, REJECTED or SKIPPED (commits no guard judged) records' },
    source: { type: 'string', value: 'source', description: 'Only HUMAN, GENERATOR (agent) or CI records' },
    hook: { type: 'string', value: 'name', description: 'Only records of this hook (pre-commit, pre-push, stop, manual, run)' },
    since: { type: 'string', value: 'date', description: 'Only records at or after a date (2026-01-31) or within a duration (7d, 12h)' },
    limit: { type: 'string', value: 'n', description: 'At most N records' },
    json: { type: 'boolean', description: 'One JSON record per line on stdout' },
  },
  async run(ctx) {
    const parsed = logFilter(ctx.values);
    if ('error' in parsed) {
      ctx.stderr.write(`${parsed.error}\n`);
      return 2;
    }
    const repo = await openRepository({ cwd: ctx.cwd });
    try {
      const records = await repo.log(parsed.filter);
      if (ctx.values.json) for (const r of records) ctx.stdout.write(`${JSON.stringify(r)}\n`);
      else if (!records.length) ctx.stderr.write(`${EMPTY_LOG}\n`);
      else ctx.stdout.write(`${records.map(summaryLine).join('\n')}\n`);
      const warnings = repo.warnings();
      if (warnings.length) ctx.stderr.write(`${warningLines(warnings)}\n`);
      return 0;
    } finally {
      await repo.close();
    }
  },
};

export default command;
