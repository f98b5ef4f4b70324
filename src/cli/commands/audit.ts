import { audit } from '../../audit/audit.js';
import { auditSummary, badRange, unverifiedLine } from '../../messages/audit.js';
import type { Command } from '../command.js';

// `guardloop audit [RANGE] [--json]`: the commits of a range with no ACCEPTED record for their tree.
const command: Command = {
  name: 'audit',
  summary: 'List the commits of a range with no ACCEPTED record for their tree, and why (exit 1 when any)',
  usage: 'guardloop audit [RANGE] [--json]   (RANGE: a git revision range; default: the commits not yet on the upstream, or the current branch)',
  positionals: true,
  options: {
    json: { type: 'boolean', description: "One JSON object on stdout: every commit's verdict and cause" },
  },
  async run(ctx) {
    const report = await audit({ cwd: ctx.cwd, range: ctx.positionals, env: ctx.env });
    if ('error' in report) {
      ctx.stderr.write(`${badRange(ctx.positionals.join(' '), report.error)}\n`);
      return 2;
    }
    if (ctx.values.json) {
      const { unverified, ...rest } = report;
      ctx.stdout.write(`${JSON.stringify({ ...rest, total: report.commits.length, unverified: unverified.length })}\n`);
    } else {
      if (report.unverified.length) ctx.stdout.write(`${report.unverified.map(unverifiedLine).join('\n')}\n`);
      ctx.stdout.write(`${auditSummary(report)}\n`);
    }
    return report.unverified.length ? 1 : 0;
  },
};

export default command;
