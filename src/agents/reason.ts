import { reasonGuard, reasonHeader } from '../messages/agents.js';
import type { RecordV1 } from '../store/record.js';

// The last `max` characters of a text, starting on a line boundary when one is near.
function tail(text: string, max: number): string {
  const t = text.replace(/\s+$/, '');
  if (t.length <= max) return t;
  const cut = t.slice(-max);
  const nl = cut.indexOf('\n');
  return `…${nl >= 0 && nl < max / 4 ? cut.slice(nl + 1) : cut}`;
}

// The instruction a rejected stop sends the agent: each failed guard's id, invariant and output tail,
// within the agent's limit (the output tails share what the headers leave).
export function stopReason(record: RecordV1, maxAttempts: number, limit: number): string {
  const failed = record.verdicts.filter((v) => v.status === 'fail' || v.status === 'error' || v.status === 'timeout');
  const invariant = (id: string) => record.spec.guards.find((g) => g.id === id)?.invariant ?? '';
  const header = reasonHeader(failed.length, record.retry + 1, maxAttempts);
  const frames = failed.map((v) => reasonGuard(v.guard, v.status, v.exit, invariant(v.guard), ''));
  const room = limit - header.length - frames.reduce((n, f) => n + f.length, 0) - 16;
  const each = Math.max(200, Math.floor(room / Math.max(1, failed.length)));
  const text = header + failed.map((v) => reasonGuard(v.guard, v.status, v.exit, invariant(v.guard), tail(v.feedback, each))).join('');
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
