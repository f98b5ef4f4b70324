import type { RecordV1 } from '../../store/record.js';
import type { Trace } from '../trace.js';
import type { FormatContext } from './context.js';
import { metadataOf } from './metadata.js';
import { promptOf } from './prompt.js';
import type { KtoLine } from './schemas.js';

// `kto`: an unpaired example per attempt of the chain and its final record: each prompt holds the
// task and the feedback of the attempts before it, and `label` is whether the record was ACCEPTED.
export async function ktoLines(trace: Trace, ctx: FormatContext): Promise<KtoLine[]> {
  const line = async (record: RecordV1, upTo: number): Promise<KtoLine> => ({
    prompt: promptOf(trace, upTo),
    completion: [{ role: 'assistant', content: await ctx.artifact(record) }],
    label: record.status === 'ACCEPTED',
    metadata: metadataOf(record, trace),
  });
  const out: KtoLine[] = [];
  for (const [i, a] of trace.attempts.entries()) {
    if (a.record) out.push(await line(a.record, i));
    else ctx.skip('kto-no-artifact');
  }
  // An approved change to protected paths is never a positive; an escalated final is a rejection.
  if (trace.final.status === 'ACCEPTED' && trace.final.approval) ctx.skip('approval-final');
  else out.push(await line(trace.final, trace.attempts.length));
  return out;
}
