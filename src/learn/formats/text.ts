import { turnText } from '../../messages/learn.js';
import type { Trace } from '../trace.js';
import type { FormatContext } from './context.js';
import { dpoLines } from './dpo.js';
import { ktoLines } from './kto.js';
import { messagesLines } from './messages.js';
import { promptCompletionLines } from './prompt-completion.js';
import type { DpoTextLine, KtoTextLine, MessagesTextLine, PromptCompletionTextLine, SystemMessage, TextFormat, UserMessage } from './schemas.js';

// --text: the conversational lines as TRL's standard types, each column one string (trainers and
// templates that take no message lists). The content is the conversational line's, unchanged.

// A prompt as one string: the system content, a blank line, the user content.
function promptText(prompt: [SystemMessage, UserMessage]): string {
  return `${prompt[0].content}\n\n${prompt[1].content}`;
}

// Each format's --text builder: its conversational lines, turned into strings.
export const TEXT_BUILDERS: Record<TextFormat, (trace: Trace, ctx: FormatContext) => Promise<unknown[]>> = {
  async 'prompt-completion'(trace, ctx) {
    return (await promptCompletionLines(trace, ctx)).map((l): PromptCompletionTextLine => ({ prompt: promptText(l.prompt), completion: l.completion[0].content, metadata: l.metadata }));
  },
  // Language modeling: every turn (all of them with --turns) as "<role>:\n<content>", joined by blank lines.
  async messages(trace, ctx) {
    return (await messagesLines(trace, ctx)).map((l): MessagesTextLine => ({ text: l.messages.map((m) => turnText(m.role, m.content)).join('\n\n'), metadata: l.metadata }));
  },
  async dpo(trace, ctx) {
    return (await dpoLines(trace, ctx)).map((l): DpoTextLine => ({ prompt: promptText(l.prompt), chosen: l.chosen[0].content, rejected: l.rejected[0].content, metadata: l.metadata }));
  },
  async kto(trace, ctx) {
    return (await ktoLines(trace, ctx)).map((l): KtoTextLine => ({ prompt: promptText(l.prompt), completion: l.completion[0].content, label: l.label, metadata: l.metadata }));
  },
};
