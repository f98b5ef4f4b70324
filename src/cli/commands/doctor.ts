import { openRepository } from '../../store/repository.js';
import { diagnose, unlockStale } from '../../store/doctor.js';
import { doctorClean } from '../../messages/store.js';
import type { Command } from '../command.js';

// `guardloop doctor`: checks ℛ (bad notes, a stale lock, pending journal, merge config) and says how to fix each.
const command: Command = {
  name: 'doctor',
  summary: 'Check ℛ: unreadable notes, stale locks, pending journal, sync config',
  usage: 'guardloop doctor [--unlock] [--json]',
  options: {
    unlock: { type: 'boolean', description: 'Remove refs/notes/guardloop.lock if its holder is gone' },
    json: { type: 'boolean', description: 'Print the report as JSON on stdout' },
  },
  async run(ctx) {
    const repo = await openRepository({ cwd: ctx.cwd });
    try {
      if (ctx.values.unlock) {
        const r = unlockStale(repo);
        ctx.stderr.write(`${r.message}\n`);
        if (r.holder && !r.removed) return 1;
      }
      const report = await diagnose(repo);
      if (ctx.values.json) ctx.stdout.write(`${JSON.stringify(report)}\n`);
      else if (report.problems.length) ctx.stdout.write(`${report.problems.map((p) => `- ${p}`).join('\n')}\n`);
      else ctx.stdout.write(`${doctorClean(report.records, report.notes)}\n`);
      return report.damaged ? 2 : report.problems.length ? 1 : 0;
    } finally {
      await repo.close();
    }
  },
};

export default command;
