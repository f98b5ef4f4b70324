import { randomUUID } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_LAYOUTS, isGuardloopHandler } from './install-agents.js';
import type { AgentAttempt } from './demo-project.js';

// The Claude Code session `guardloop demo` plays: the hook payloads in the shape Claude Code 2.1
// sends them (captured in test/agents/fixtures/claude-code), the transcript entries it writes as the
// turn goes on (the stop hook reads the task from them), and the hook commands as `init --agent
// claude` put them in .claude/settings.json — the demo runs those commands as Claude Code does.

type Json = Record<string, unknown>;

// Claude Code's version the entries are shaped after (the captured transcript's).
const VERSION = '2.1.330';

// One played session: its ids, where its transcript is, and the repository it works in.
export interface ClaudeSession {
  sessionId: string;
  promptId: string;
  transcript: string;
  cwd: string;
}

// A new session working in `cwd`, its transcript at `transcript` (not written yet).
export function newSession(cwd: string, transcript: string): ClaudeSession {
  return { sessionId: randomUUID(), promptId: randomUUID(), transcript, cwd };
}

// The fields every transcript entry of the main conversation carries.
function entry(s: ClaudeSession, fields: Json): Json {
  return { parentUuid: null, isSidechain: false, ...fields, uuid: randomUUID(), timestamp: new Date().toISOString(), userType: 'external', cwd: s.cwd, sessionId: s.sessionId, version: VERSION, gitBranch: 'main' };
}

async function append(s: ClaudeSession, entries: Json[]): Promise<void> {
  await appendFile(s.transcript, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

// The person's prompt, as the transcript's first entry of the turn.
export async function writePrompt(s: ClaudeSession, prompt: string): Promise<void> {
  await append(s, [entry(s, { promptId: s.promptId, type: 'user', message: { role: 'user', content: prompt }, permissionMode: 'bypassPermissions' })]);
}

// One attempt in the transcript: a Write tool call per file with its result, then the closing message.
export async function writeAttempt(s: ClaudeSession, attempt: AgentAttempt): Promise<void> {
  const entries = attempt.files.flatMap((f) => {
    const id = `toolu_demo_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const file = join(s.cwd, f.path);
    return [
      entry(s, { type: 'assistant', message: { role: 'assistant', content: [{ type: 'tool_use', id, name: 'Write', input: { file_path: file, content: f.content } }] } }),
      entry(s, { promptId: s.promptId, type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: `File written: ${file}` }] } }),
    ];
  });
  entries.push(entry(s, { type: 'assistant', message: { role: 'assistant', content: [{ type: 'text', text: attempt.lastMessage }] } }));
  await append(s, entries);
}

// The stop hook's blocking reason, as Claude Code puts it into the conversation (a meta user entry).
export async function writeFeedback(s: ClaudeSession, reason: string): Promise<void> {
  // wording-ok: Claude Code's own prefix for a stop hook's reason
  await append(s, [entry(s, { promptId: s.promptId, type: 'user', isMeta: true, message: { role: 'user', content: `Stop hook feedback:\n${reason}` } })]);
}

// What Claude Code sends its UserPromptSubmit hook.
export function promptPayload(s: ClaudeSession, prompt: string): Json {
  return { session_id: s.sessionId, transcript_path: s.transcript, cwd: s.cwd, permission_mode: 'bypassPermissions', hook_event_name: 'UserPromptSubmit', prompt };
}

// What Claude Code sends its Stop hook; `again` once a stop of this turn was blocked.
export function stopPayload(s: ClaudeSession, lastMessage: string, again: boolean): Json {
  return {
    session_id: s.sessionId,
    transcript_path: s.transcript,
    cwd: s.cwd,
    prompt_id: s.promptId,
    permission_mode: 'bypassPermissions',
    hook_event_name: 'Stop',
    stop_hook_active: again,
    last_assistant_message: lastMessage,
    background_tasks: [],
    session_crons: [],
  };
}

// The commands guardloop's init put into .claude/settings.json for the prompt and the stop.
export async function claudeHookCommands(root: string): Promise<{ prompt: string | null; stop: string | null }> {
  const file = join(root, AGENT_LAYOUTS.claude.file);
  const hooks = ((JSON.parse(await readFile(file, 'utf8')) as Json).hooks ?? {}) as Record<string, unknown>;
  const commandOf = (event: string): string | null => {
    const groups = Array.isArray(hooks[event]) ? (hooks[event] as Json[]) : [];
    const handler = groups.flatMap((g) => (Array.isArray(g?.hooks) ? (g.hooks as Json[]) : [])).find((h) => isGuardloopHandler(h));
    return typeof handler?.command === 'string' ? handler.command : null;
  };
  return { prompt: commandOf('UserPromptSubmit'), stop: commandOf('Stop') };
}
