import { openRepository } from '../../store/repository.js';
import { GuardloopError } from '../../errors/guardloop-error.js';
import { SHOW_USAGE, detail, noRecords, warningLines } from '../../messages/store.js';
import type { Command } from '../command.js';

// `guardloop show`: one record by id (or unique prefix), or every record on a revision's tree.
const command: Command = {
  name: 'show',
  summary: 'Show the records of a record id or a revision',
  usage: 'guardloop show <record id | id prefix | revision> [--json]',
  positionals: true,
  options: {
    json: { type: 'boolean', description: 'One JSON record per line on stdout' },
  },
  async run(ctx) {
    const target = ctx.positionals[0];
    if (!target) {
      ctx.stderr.write(`${SHOW_USAGE}\n`);
      return 2;
    }
    const repo = await openRepository({ cwd: ctx.cwd });
    try {
      const records = await repo.show(target);
      if (ctx.values.json) for (const r of records) ctx.stdout.write(`${JSON.stringify(r)}\n`);
      else if (records.length) ctx.stdout.write(`${records.map(detail).join('\n\n')}\n`);
      else ctx.stderr.write(`${noRecords(target)}\n`);
      const warnings = repo.warnings();
      if (warnings.length) ctx.stderr.write(`${warningLines(warnings)}\n`);
      return records.length ? 0 : 1;
    } catch (e) {
      if (e instanceof GuardloopError) {
        ctx.stderr.write(`${e.message}\n`);
        return e.exitCode;
      }
      throw e;
    } finally {
      await repo.close();
    }
  },
};

export default command;
