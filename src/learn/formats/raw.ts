import type { Trace } from '../trace.js';
import type { FormatContext } from './context.js';
import type { RawLine } from './schemas.js';

// `raw`: the records of the chain as ℛ holds them, oldest first (an attempt known only from a history
// entry has no record to give).
export function rawLines(trace: Trace, ctx: FormatContext): RawLine[] {
  const out: RawLine[] = [];
  for (const a of trace.attempts) {
    if (a.record) out.push(a.record);
    else ctx.skip('raw-no-record');
  }
  out.push(trace.final);
  return out;
}
