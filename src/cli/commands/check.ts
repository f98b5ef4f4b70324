import { CHECK_NAMES, runWeakeningChecks } from '../../audit/weakening/checks.js';
import { checkUsage, findingLine } from '../../messages/checks.js';
import type { Command } from '../command.js';

// `guardloop check <name>…`: a built-in check on the candidate's diff, run by the ready-made guards of
// guards/no-test-weakening.yaml. Exit 1 on any finding, 0 when clean (always without a base), 2 on a usage
// error. A merge (GUARDLOOP_PARENTS, or MERGE_HEAD with the base HEAD) is judged against every parent.
const command: Command = {
  name: 'check',
  summary: 'A built-in check on the candidate diff (the ready-made guards call it)',
  usage: `guardloop check <${CHECK_NAMES.join('|')}>… [--base REV] [--tree TREE]`,
  positionals: true,
  options: {
    base: { type: 'string', value: 'rev', description: 'What the change is judged against (default: $GUARDLOOP_BASE, else HEAD; empty: no base, nothing to find)' },
    tree: { type: 'string', value: 'tree', description: 'The candidate (default: $GUARDLOOP_TREE, else the staged content)' },
  },
  async run(ctx) {
    const unknown = ctx.positionals.find((n) => !CHECK_NAMES.includes(n));
    if (!ctx.positionals.length || unknown !== undefined) {
      ctx.stderr.write(`${checkUsage(CHECK_NAMES, unknown)}\n`);
      return 2;
    }
    const findings = await runWeakeningChecks(ctx.positionals, {
      cwd: ctx.cwd,
      env: ctx.env,
      base: ctx.values.base as string | undefined,
      tree: ctx.values.tree as string | undefined,
    });
    for (const f of findings) ctx.stdout.write(`${findingLine(f)}\n`);
    return findings.length ? 1 : 0;
  },
};

export default command;
