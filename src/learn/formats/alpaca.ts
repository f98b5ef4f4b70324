import type { Trace } from '../trace.js';
import { positiveFinal, type FormatContext } from './context.js';
import { metadataOf } from './metadata.js';
import { feedbackHistory, systemMessage, taskText } from './prompt.js';
import type { AlpacaLine } from './schemas.js';

// `alpaca`: prompt-completion's content in Alpaca's three strings, for trainers that take those:
// instruction = the constraints in force, a blank line, the task; input = the feedback of the earlier
// attempts in order ("" for a first try); output = the accepted artifact.
export async function alpacaLines(trace: Trace, ctx: FormatContext): Promise<AlpacaLine[]> {
  if (!positiveFinal(trace, ctx)) return [];
  return [
    {
      instruction: `${systemMessage(trace).content}\n\n${taskText(trace)}`,
      input: feedbackHistory(trace, trace.attempts.length).join('\n\n'),
      output: await ctx.artifact(trace.final),
      metadata: metadataOf(trace.final, trace),
    },
  ];
}
