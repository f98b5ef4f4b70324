import type { Trace } from '../trace.js';
import { positiveFinal, type FormatContext } from './context.js';
import { metadataOf } from './metadata.js';
import { promptOf } from './prompt.js';
import type { DpoLine } from './schemas.js';

// `dpo`: one preference pair per rejected attempt of an accepted chain: the prompt of the accepted
// record (task + the whole feedback history), chosen = the accepted artifact, rejected = the
// attempt's. An attempt known only from a history entry has no artifact, so no pair.
export async function dpoLines(trace: Trace, ctx: FormatContext): Promise<DpoLine[]> {
  if (!positiveFinal(trace, ctx)) return [];
  if (!trace.attempts.length) {
    ctx.skip('dpo-no-rejected-attempt');
    return [];
  }
  const prompt = promptOf(trace, trace.attempts.length);
  const chosen = await ctx.artifact(trace.final);
  const out: DpoLine[] = [];
  for (const a of trace.attempts) {
    if (!a.record) {
      ctx.skip('dpo-no-rejected-artifact');
      continue;
    }
    const rejected = await ctx.artifact(a.record);
    // The same change accepted later (a flaky guard): no preference to learn.
    if (rejected === chosen) {
      ctx.skip('dpo-same-artifact');
      continue;
    }
    out.push({
      prompt: [prompt[0], prompt[1]],
      chosen: [{ role: 'assistant', content: chosen }],
      rejected: [{ role: 'assistant', content: rejected }],
      metadata: { ...metadataOf(trace.final, trace), rejected_id: a.id },
    });
  }
  return out;
}
