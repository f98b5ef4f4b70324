import { open } from 'node:fs/promises';
import { assistantText, commandOf, echoedPrompt, promptOf, type Entry } from './transcript-entries.js';

// What the task reader is told about the stop being handled.
export interface TranscriptQuery {
  file: string | null;
  // Claude Code: the id of the prompt being answered; its entries carry it as `promptId`.
  promptId?: string | null;
  // The agent's last message: a transcript that doesn't contain it yet lags behind the hook.
  lastMessage?: string | null;
  // How long to wait for a lagging transcript (Claude Code's catches up within ~0.1 s).
  waitMs?: number;
  // Called each time the transcript was found missing or lagging, before waiting for it.
  onLag?: () => void;
}

// The task a transcript names, and whether the transcript has caught up with the stop.
export interface TranscriptTask {
  task: string | null;
  complete: boolean;
}

// How much of the file is read at a time, from its end.
const CHUNK = 64 * 1024;
// How often a lagging transcript is read again.
const LAG_POLL_MS = 50;

function parse(line: string): Entry | null {
  if (!line.trim()) return null;
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Entry) : null;
  } catch {
    // A half-written last line or a foreign format: skipped.
    return null;
  }
}

// Reads entries from the newest back until the stop's prompt is found. The prompt is the newest
// real user prompt; with Claude Code's promptId, the one that carries it. Seeing entries of that id
// but no real prompt among them (a slash command's turn) makes the command the task.
class TaskScan {
  private lastSeen = false;
  private assistantSeen = false;
  private promptSeen = false;
  private rollout = false;
  private mainSeen = false;
  private command: string | null = null;
  private echoed: string | null = null;
  private readonly wanted: string | null;
  private readonly last: string | null;

  constructor(q: TranscriptQuery) {
    this.wanted = q.promptId || null;
    this.last = q.lastMessage?.trim() || null;
  }

  // The answer once this entry (the next older one) settles it, else null.
  feed(e: Entry): TranscriptTask | null {
    this.noteAssistant(e);
    if (e.type === 'event_msg') this.rollout = true;
    if (e.isSidechain === false) this.mainSeen = true;
    const own = typeof e.promptId === 'string' ? e.promptId : null;
    if (this.wanted && own === this.wanted) this.promptSeen = true;
    const p = promptOf(e);
    // A Codex response item without its user_message event (seen first, being newer) is injected;
    // a subagent's prompt inside the main session's transcript (older Claude Code) is not its task.
    if (p && !(p.weak && this.rollout) && !(e.isSidechain === true && this.mainSeen)) {
      if (!this.wanted || own === null || own === this.wanted) return this.answer(p.text, true);
      // Another prompt's entry: the stop's prompt is not written yet, or its turn has none.
      return this.answer(this.promptSeen ? (this.command ?? p.text) : p.text, this.promptSeen);
    }
    if (this.wanted && own === this.wanted) this.command ??= commandOf(e);
    this.echoed ??= echoedPrompt(e);
    return null;
  }

  // The answer when the transcript's first entry was fed without settling it.
  end(): TranscriptTask {
    return this.answer(this.command ?? this.echoed, !this.wanted || this.promptSeen);
  }

  private answer(task: string | null, promptOk: boolean): TranscriptTask {
    return { task, complete: promptOk && (!this.last || this.lastSeen) };
  }

  private noteAssistant(e: Entry): void {
    if (!this.last || this.lastSeen) return;
    const text = assistantText(e)?.trim();
    if (!text) return;
    // The newest assistant entry may hold only the last block of a message of several.
    this.lastSeen = text.includes(this.last) || (!this.assistantSeen && this.last.endsWith(text));
    this.assistantSeen = true;
  }
}

// The task in a transcript's text (tests, and callers that hold the text already).
export function taskIn(raw: string, q: TranscriptQuery): TranscriptTask {
  const scan = new TaskScan(q);
  const lines = raw.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const e = parse(lines[i]);
    const r = e && scan.feed(e);
    if (r) return r;
  }
  return scan.end();
}

// A file's lines from the last to the first, read CHUNK bytes at a time from its end; `read.bytes`
// counts the bytes read. Lines split on the newline byte, which never occurs inside a UTF-8 character.
async function* linesFromEnd(file: string, read: { bytes: number }): AsyncGenerator<string> {
  const fh = await open(file, 'r');
  try {
    let pos = (await fh.stat()).size;
    // The start of the line being assembled, in file order (chunks without a newline yet).
    let carry: Buffer[] = [];
    while (pos > 0) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const chunk = Buffer.allocUnsafe(len);
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(chunk, got, len - got, pos + got);
        if (!bytesRead) break;
        got += bytesRead;
      }
      read.bytes += got;
      let end = got;
      for (let nl = chunk.lastIndexOf(0x0a, end - 1); end > 0 && nl >= 0; nl = end > 0 ? chunk.lastIndexOf(0x0a, end - 1) : -1) {
        yield Buffer.concat([chunk.subarray(nl + 1, end), ...carry]).toString('utf8');
        carry = [];
        end = nl;
      }
      if (end > 0) carry.unshift(chunk.subarray(0, end));
    }
    if (carry.length) yield Buffer.concat(carry).toString('utf8');
  } finally {
    await fh.close();
  }
}

// One reading of a transcript file from its end, stopping at the stop's prompt; `bytesRead` says
// how much of the file that took. Throws when the file can't be read (missing: not written yet).
export async function readTask(file: string, q: TranscriptQuery): Promise<TranscriptTask & { bytesRead: number }> {
  const read = { bytes: 0 };
  const scan = new TaskScan(q);
  for await (const line of linesFromEnd(file, read)) {
    const e = parse(line);
    const r = e && scan.feed(e);
    if (r) return { ...r, bytesRead: read.bytes };
  }
  return { ...scan.end(), bytesRead: read.bytes };
}

// The request an agent was working on, read from its transcript: the last real user prompt (not a
// tool result, hook feedback or injected context). The transcript is read once, from its end; only
// a missing or lagging one (without the stop's prompt or last message yet) is read again, for up to waitMs.
export async function taskFromTranscript(q: TranscriptQuery): Promise<string | null> {
  if (!q.file) return null;
  const until = Date.now() + (q.waitMs ?? 500);
  let best: string | null = null;
  for (;;) {
    const r = await readTask(q.file, q).catch(() => null);
    if (r?.complete) return r.task ?? best;
    best = r?.task ?? best;
    const left = until - Date.now();
    if (left <= 0) return best;
    q.onLag?.();
    await new Promise((resolve) => setTimeout(resolve, Math.min(LAG_POLL_MS, left)));
  }
}
