import { HOOK_ERROR_PREFIX, REASON_PREFIX } from '../messages/agents.js';

// What the transcript reader knows of one entry of an agent's transcript (Claude Code, Codex
// rollouts, Cursor and generic role/content JSONL), told from its structure: entry types, flags, and
// the agents' own wrapper elements matched whole — never from the text's first character.

// One parsed JSONL line.
export type Entry = Record<string, unknown>;

// Elements an agent wraps its own context in, when one fills a user turn from its first to its
// last character: Claude Code's reminders, slash-command and bash-mode records; Codex's context
// fragments and hook prompts; Cursor's context blocks.
const CONTEXT_TAGS = new Set([
  'system-reminder',
  'command-name',
  'command-message',
  'command-args',
  'command-contents',
  'local-command-stdout',
  'local-command-stderr',
  'local-command-caveat',
  'bash-input',
  'bash-stdout',
  'bash-stderr',
  'user-prompt-submit-hook',
  'task-notification',
  'ide_selection',
  'ide_opened_file',
  'environment_context',
  'user_instructions',
  'user_shell_command',
  'turn_aborted',
  'subagent_notification',
  'skill',
  'hook_prompt',
  'user_info',
  'git_status',
]);
// Cursor's wrapper around the prompt itself: unwrapped, not dropped.
const PROMPT_TAG = 'user_query';
// Codex's AGENTS.md fragment: a heading, then the file in <INSTRUCTIONS>.
const AGENTS_MD = { open: '# agents.md instructions for ', close: '</instructions>' };
// Fixed texts a harness submits as a user turn without a wrapper: guardloop's own reasons (Cursor
// and Gemini CLI send them back as user messages), Claude Code's hook feedback and interruptions.
// wording-ok: texts other programs write into a transcript, matched as they are
const INJECTED_PREFIXES = [REASON_PREFIX, HOOK_ERROR_PREFIX, 'Stop hook feedback:', '[Request interrupted by user'];

interface Element {
  name: string;
  inner: string;
  // Where the element ends in the text.
  end: number;
}

// The element that opens `text` (`<name attrs>…</name>`), or null.
function leadingElement(text: string): Element | null {
  const open = /^<([A-Za-z][\w-]*)(?:\s[^>]*)?>/.exec(text);
  if (!open) return null;
  const name = open[1].toLowerCase();
  const close = text.toLowerCase().indexOf(`</${name}>`, open[0].length);
  if (close < 0) return null;
  return { name, inner: text.slice(open[0].length, close), end: close + name.length + 3 };
}

// Where the element that closes `text` starts, when it is a known context element, or -1.
function trailingContextStart(text: string): number {
  const close = /<\/([A-Za-z][\w-]*)>$/.exec(text);
  if (!close || !CONTEXT_TAGS.has(close[1].toLowerCase())) return -1;
  const lower = text.toLowerCase();
  const name = close[1].toLowerCase();
  for (let at = lower.lastIndexOf(`<${name}`, close.index - 1); at >= 0; at = at ? lower.lastIndexOf(`<${name}`, at - 1) : -1) {
    if (/[\s>]/.test(lower[at + name.length + 1] ?? '')) return at;
  }
  return -1;
}

// A user turn's own words: whole context elements at either end dropped, Cursor's <user_query>
// unwrapped; null when nothing is left or the text is one a harness injects.
export function ownWords(raw: string): string | null {
  let t = raw.trim();
  const lower = t.toLowerCase();
  if (lower.startsWith(AGENTS_MD.open) && lower.endsWith(AGENTS_MD.close)) return null;
  for (let el = leadingElement(t); el; el = leadingElement(t)) {
    if (el.name === PROMPT_TAG && el.end === t.length) t = el.inner.trim();
    else if (CONTEXT_TAGS.has(el.name)) t = t.slice(el.end).trim();
    else break;
  }
  for (let at = trailingContextStart(t); at > 0; at = trailingContextStart(t)) t = t.slice(0, at).trim();
  if (!t || trailingContextStart(t) === 0) return null;
  return INJECTED_PREFIXES.some((p) => t.startsWith(p)) ? null : t;
}

// The text parts of a message content (a string, or an array of parts); null for tool results.
function contentTexts(content: unknown): string[] | null {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return null;
  const parts = content.filter((c): c is Entry => !!c && typeof c === 'object');
  if (parts.some((c) => c.type === 'tool_result' || c.type === 'function_call_output')) return null;
  return parts.filter((c) => typeof c.text === 'string').map((c) => c.text as string);
}

// The own words of a user turn's content, or null.
function promptText(content: unknown): string | null {
  const words = (contentTexts(content) ?? []).map(ownWords).filter((t): t is string => t !== null);
  return words.length ? words.join('\n') : null;
}

const obj = (v: unknown): Entry | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Entry) : null);

// A user's prompt in one entry, or null. `weak`: a Codex response item, which the rollout's own
// `user_message` event confirms when the prompt is real.
export function promptOf(e: Entry): { text: string; weak: boolean } | null {
  const payload = obj(e.payload);
  if (e.type === 'event_msg') {
    // Codex records what the person typed as a user_message event; old builds tagged context ones with a kind.
    if (payload?.type !== 'user_message' || typeof payload.message !== 'string') return null;
    if (payload.kind != null && payload.kind !== 'plain') return null;
    const text = ownWords(payload.message);
    return text === null ? null : { text, weak: false };
  }
  if (e.type === 'response_item') {
    if (payload?.type !== 'message' || payload.role !== 'user') return null;
    // Codex 0.16x marks each content item's provenance: `user` for what the person typed, `harness`
    // for environment context, hook prompts and instructions. Where it is marked, it decides.
    const meta = obj(payload.internal_chat_message_metadata_passthrough)?.content_item_metadata;
    if (Array.isArray(meta) && meta.length) {
      const typed = meta.some((m) => obj(obj(m)?.provenance)?.type === 'user');
      if (!typed) return null;
      const text = promptText(payload.content);
      return text === null ? null : { text, weak: false };
    }
    const text = promptText(payload.content);
    return text === null ? null : { text, weak: true };
  }
  if (e.type === 'user') {
    // Claude Code flags what it injects (hook feedback, command expansions, caveats, compaction
    // summaries), tool results carry toolUseResult, and a non-human origin marks notifications.
    if (e.isMeta || e.isCompactSummary || e.isVisibleInTranscriptOnly || e.toolUseResult !== undefined) return null;
    const origin = obj(e.origin);
    if (origin && typeof origin.kind === 'string' && origin.kind !== 'human' && origin.kind !== 'user') return null;
    const text = promptText(obj(e.message)?.content ?? e.content);
    return text === null ? null : { text, weak: false };
  }
  // Cursor and other role/content transcripts.
  if (e.type === undefined && e.role === 'user') {
    const text = promptText(obj(e.message)?.content ?? e.content ?? e.text);
    return text === null ? null : { text, weak: false };
  }
  return null;
}

// A Claude Code slash command a user entry records (`/name args`), or null.
export function commandOf(e: Entry): string | null {
  if (e.type !== 'user') return null;
  const content = obj(e.message)?.content;
  if (typeof content !== 'string') return null;
  const name = /<command-name>([\s\S]*?)<\/command-name>/i.exec(content)?.[1].trim();
  if (!name || ownWords(content) !== null) return null;
  const args = /<command-args>([\s\S]*?)<\/command-args>/i.exec(content)?.[1].trim() ?? '';
  return `${name} ${args}`.trim();
}

// The prompt an entry that only echoes it holds (Claude Code's last-prompt and queued prompts), or null.
export function echoedPrompt(e: Entry): string | null {
  if (e.type === 'last-prompt' && typeof e.lastPrompt === 'string') return ownWords(e.lastPrompt);
  if (e.type === 'queue-operation' && e.operation === 'enqueue' && typeof e.content === 'string') return ownWords(e.content);
  return null;
}

// The text an assistant entry holds (Claude Code, Codex, Cursor, Gemini CLI), or null.
export function assistantText(e: Entry): string | null {
  const payload = obj(e.payload);
  if (e.type === 'event_msg') return payload?.type === 'agent_message' && typeof payload.message === 'string' ? payload.message : null;
  const msg = e.type === 'response_item' ? payload : (obj(e.message) ?? e);
  if (!msg) return null;
  const role = e.type === 'response_item' ? msg.role : e.type === 'assistant' || e.type === 'gemini' ? 'assistant' : e.type === undefined ? (msg.role ?? e.role) : null;
  if (role !== 'assistant') return null;
  const texts = contentTexts(msg.content ?? e.content);
  return texts?.length ? texts.join('\n') : null;
}
