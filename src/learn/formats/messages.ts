import { artifactUnavailable } from '../../messages/learn.js';
import type { Trace } from '../trace.js';
import { positiveFinal, type FormatContext } from './context.js';
import { metadataOf } from './metadata.js';
import { feedbackText, promptOf, systemMessage, taskText } from './prompt.js';
import type { MessagesLine } from './schemas.js';

type Turn = MessagesLine['messages'][number];

// `--turns`: the chain as a conversation; the earlier attempts' changes carry weight 0 and the
// accepted one weight 1, so trainers that honour weights learn only the fix.
async function turns(trace: Trace, ctx: FormatContext): Promise<Turn[]> {
  const out: Turn[] = [systemMessage(trace), { role: 'user', content: taskText(trace) }];
  for (const [i, a] of trace.attempts.entries()) {
    const content = a.record ? await ctx.artifact(a.record) : artifactUnavailable(a.id);
    out.push({ role: 'assistant', content, weight: 0 }, { role: 'user', content: feedbackText(a, i + 1, trace) });
  }
  out.push({ role: 'assistant', content: await ctx.artifact(trace.final), weight: 1 });
  return out;
}

// `messages`: the prompt-completion content as one conversation [system, user, assistant], or the
// chain as turns with --turns.
export async function messagesLines(trace: Trace, ctx: FormatContext): Promise<MessagesLine[]> {
  if (!positiveFinal(trace, ctx)) return [];
  const messages: Turn[] = ctx.turns ? await turns(trace, ctx) : [...promptOf(trace, trace.attempts.length), { role: 'assistant', content: await ctx.artifact(trace.final) }];
  return [{ messages: messages as MessagesLine['messages'], metadata: metadataOf(trace.final, trace) }];
}
