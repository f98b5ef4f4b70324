import { createInterface } from 'node:readline/promises';
import { planApproval, writeApproval } from '../../engine/approve.js';
import { APPROVE_NEEDS_YES, approvePrompt, approved, NOTHING_TO_APPROVE } from '../../messages/agents.js';
import type { Command } from '../command.js';

// `guardloop approve`: a person reviews an agent's change to protected paths and approves it.
const command: Command = {
  name: 'approve',
  summary: "Show the protected part of the working tree's diff and record a person's approval of it in ℛ.",
  usage: 'guardloop approve [--yes]',
  options: {
    yes: { type: 'boolean', short: 'y', description: 'Approve without asking (after printing the diff)' },
  },
  async run(ctx) {
    const plan = await planApproval({ cwd: ctx.cwd, env: ctx.env });
    if (!plan.changes.length) {
      ctx.stdout.write(`${NOTHING_TO_APPROVE}\n`);
      return 0;
    }
    ctx.stdout.write(plan.diff.endsWith('\n') ? plan.diff : `${plan.diff}\n`);
    let yes = Boolean(ctx.values.yes);
    if (!yes && (ctx.stdin as { isTTY?: boolean }).isTTY) {
      const rl = createInterface({ input: ctx.stdin, output: ctx.stderr });
      yes = /^y(es)?$/i.test((await rl.question(approvePrompt(plan.changes.length))).trim());
      rl.close();
    }
    if (!yes) {
      ctx.stderr.write(`${APPROVE_NEEDS_YES}\n`);
      return 1;
    }
    const record = await writeApproval(plan);
    ctx.stdout.write(`${approved(record)}\n`);
    return 0;
  },
};

export default command;
