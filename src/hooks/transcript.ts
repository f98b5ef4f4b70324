import { readFile } from 'node:fs/promises';
import { REASON_PREFIX } from '../messages/agents.js';

// What the task reader is told about the stop being handled.
export interface TranscriptQuery {
  file: string | null;
  // Claude Code: the id of the prompt being answered; its user entry carries it as `promptId`.
  promptId?: string | null;
  // The agent's last message: a transcript that doesn't contain it yet lags behind the hook.
  lastMessage?: string | null;
  // How long to wait for a lagging transcript (Claude Code's catches up within ~0.1 s).
  waitMs?: number;
}

type Entry = Record<string, unknown>;

// Text the harness injects as a user turn: hook feedback, slash-command wrappers, context blocks.
function isInjected(text: string): boolean {
  const t = text.trimStart();
  return !t || t.startsWith(REASON_PREFIX) || t.startsWith('guardloop could not check') || t.startsWith('Stop hook feedback') || t.startsWith('<');
}

// The text of a message content: a string, or the text parts of an array without tool results.
function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content) || !content.length) return null;
  if (content.some((c) => c && typeof c === 'object' && (c as Entry).type === 'tool_result')) return null;
  const texts = content.filter((c) => c && typeof c === 'object' && typeof (c as Entry).text === 'string').map((c) => (c as Entry).text as string);
  return texts.length ? texts.join('\n') : null;
}

// A real user prompt in one transcript entry (Claude Code, Codex rollouts, generic role/content JSONL), or null.
function promptOf(e: Entry): string | null {
  const msg = (e.message ?? e.payload ?? e) as Entry;
  if (e.type === 'user' && e.isMeta) return null;
  let text: string | null = null;
  if (e.type === 'event_msg' && msg.type === 'user_message' && typeof msg.message === 'string') text = msg.message;
  else if ((e.type === 'user' || e.role === 'user' || msg.role === 'user') && !(e.type === 'response_item' && msg.type !== 'message')) text = contentText(msg.content ?? e.content ?? e.text);
  return text !== null && !isInjected(text) ? text.trim() : null;
}

function parseLines(raw: string): Entry[] {
  const out: Entry[] = [];
  for (const line of raw.split('\n')) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Entry);
    } catch {
      // A half-written last line or a foreign format: skipped.
    }
  }
  return out;
}

// The task in a transcript's text, and whether the transcript has caught up with the stop.
export function taskIn(raw: string, q: TranscriptQuery): { task: string | null; complete: boolean } {
  const entries = parseLines(raw);
  let last: string | null = null;
  let byPrompt: string | null = null;
  let fallback: string | null = null;
  for (const e of entries) {
    const p = promptOf(e);
    if (p) {
      last = p;
      if (q.promptId && e.promptId === q.promptId) byPrompt ??= p;
    }
    if (e.type === 'last-prompt' && typeof e.lastPrompt === 'string') fallback = e.lastPrompt;
    if (e.type === 'queue-operation' && typeof e.content === 'string' && !isInjected(e.content)) fallback ??= e.content;
  }
  const hasPrompt = !q.promptId || byPrompt !== null;
  const hasLast = !q.lastMessage || raw.includes(JSON.stringify(q.lastMessage).slice(1, -1));
  return { task: byPrompt ?? last ?? fallback, complete: hasPrompt && hasLast };
}

// The request an agent was working on, read from its transcript: the last real user prompt (not a
// tool result, not hook feedback). A transcript that is missing or lags is read again for up to waitMs.
export async function taskFromTranscript(q: TranscriptQuery): Promise<string | null> {
  if (!q.file) return null;
  const until = Date.now() + (q.waitMs ?? 500);
  let best: string | null = null;
  for (;;) {
    const raw = await readFile(q.file, 'utf8').catch(() => null);
    if (raw !== null) {
      const { task, complete } = taskIn(raw, q);
      best = task ?? best;
      if (complete && task) return task;
    }
    if (Date.now() >= until) return best;
    await new Promise((r) => setTimeout(r, 100));
  }
}
