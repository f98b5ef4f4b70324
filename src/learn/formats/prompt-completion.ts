import type { Trace } from '../trace.js';
import { positiveFinal, type FormatContext } from './context.js';
import { metadataOf } from './metadata.js';
import { promptOf } from './prompt.js';
import type { PromptCompletionLine } from './schemas.js';

// `prompt-completion`: the prompt (constraints, task, every earlier attempt's feedback) and the accepted
// artifact as the completion, so trainers compute the loss on the completion only.
export async function promptCompletionLines(trace: Trace, ctx: FormatContext): Promise<PromptCompletionLine[]> {
  if (!positiveFinal(trace, ctx)) return [];
  return [
    {
      prompt: promptOf(trace, trace.attempts.length),
      completion: [{ role: 'assistant', content: await ctx.artifact(trace.final) }],
      metadata: metadataOf(trace.final, trace),
    },
  ];
}
