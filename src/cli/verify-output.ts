// How `guardloop verify` and `guardloop ci` print each commit they judged: a line (and the failed
// guards under it), or a JSON object with --json.
import type { VerifyItem } from '../audit/verify.js';
import { configErrorLine, noConfigLine, verifyLine } from '../messages/verify.js';
import type { CommandContext } from './command.js';

// One commit's line (and its failed guards) as verify and ci print it.
export function itemText(item: VerifyItem): string {
  if (item.kind === 'no-config') return noConfigLine(item.commit, item.subject);
  if (item.kind === 'config-error') return configErrorLine(item.commit, item.subject, item.detail);
  return verifyLine(item.commit, item.subject, item.result);
}

// What --json prints for one commit.
export function itemJson(item: VerifyItem): Record<string, unknown> {
  const base = { commit: item.commit, subject: item.subject };
  if (item.kind !== 'judged') return { ...base, status: null, outcome: item.kind, record: null };
  return { ...base, status: item.result.status, outcome: item.result.reproduced?.outcome ?? null, against: item.result.reproduced?.against ?? [], record: item.result.record?.id ?? null, recorded: item.result.recorded };
}

// Prints one item as it is found (stdout: the line, or a JSON object with --json).
export function printItem(ctx: CommandContext, item: VerifyItem): void {
  ctx.stdout.write(ctx.values.json ? `${JSON.stringify(itemJson(item))}\n` : `${itemText(item)}\n`);
}

