// The Claude Code side of the session benchmark (bench/session.mjs): the hook payloads in the shape
// Claude Code 2.1 sends them and the transcript entries it writes as a turn goes on, as
// src/setup/demo-claude.ts plays them for `guardloop demo` (a bench can't import src/, so the shapes
// are repeated here), and the hook commands as `init --agent claude` put them in .claude/settings.json.
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Claude Code's version the entries are shaped after (the demo's).
const VERSION = '2.1.330';

// A new session working in `cwd`, its transcript at `transcript`; each turn gets its own prompt id.
export function newSession(cwd, transcript) {
  return { sessionId: randomUUID(), promptId: randomUUID(), transcript, cwd };
}

function entry(s, fields) {
  return { parentUuid: null, isSidechain: false, ...fields, uuid: randomUUID(), timestamp: new Date().toISOString(), userType: 'external', cwd: s.cwd, sessionId: s.sessionId, version: VERSION, gitBranch: 'main' };
}

const append = (s, entries) => appendFileSync(s.transcript, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));

// A new turn: a new prompt id and the person's prompt as the turn's first transcript entry.
export function startTurn(s, prompt) {
  s.promptId = randomUUID();
  append(s, [entry(s, { promptId: s.promptId, type: 'user', message: { role: 'user', content: prompt }, permissionMode: 'bypassPermissions' })]);
}

// One attempt in the transcript: an Edit tool call per changed file with its result, then the closing message.
export function writeAttempt(s, paths, lastMessage) {
  const entries = paths.flatMap((path) => {
    const id = `toolu_bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const file = join(s.cwd, path);
    return [
      entry(s, { type: 'assistant', message: { role: 'assistant', content: [{ type: 'tool_use', id, name: 'Edit', input: { file_path: file } }] } }),
      entry(s, { promptId: s.promptId, type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: `The file ${file} has been updated.` }] } }),
    ];
  });
  entries.push(entry(s, { type: 'assistant', message: { role: 'assistant', content: [{ type: 'text', text: lastMessage }] } }));
  append(s, entries);
}

// The stop hook's blocking reason, as Claude Code puts it into the conversation (a meta user entry).
export function writeFeedback(s, reason) {
  append(s, [entry(s, { promptId: s.promptId, type: 'user', isMeta: true, message: { role: 'user', content: `Stop hook feedback:\n${reason}` } })]);
}

// What Claude Code sends its UserPromptSubmit hook.
export function promptPayload(s, prompt) {
  return { session_id: s.sessionId, transcript_path: s.transcript, cwd: s.cwd, permission_mode: 'bypassPermissions', hook_event_name: 'UserPromptSubmit', prompt };
}

// What Claude Code sends its Stop hook; `again` once a stop of this turn was blocked.
export function stopPayload(s, lastMessage, again) {
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

// The commands `init --agent claude` put into .claude/settings.json for the prompt and the stop.
export function claudeHookCommands(root) {
  const hooks = JSON.parse(readFileSync(join(root, '.claude', 'settings.json'), 'utf8')).hooks ?? {};
  const commandOf = (event) => {
    const handler = (hooks[event] ?? []).flatMap((g) => g?.hooks ?? []).find((h) => typeof h?.command === 'string' && /\.loop\/hooks\/agent |guardloop/.test(h.command));
    if (!handler) throw new Error(`.claude/settings.json has no guardloop ${event} hook (did \`guardloop init --agent claude\` run?)`);
    return handler.command;
  };
  return { prompt: commandOf('UserPromptSubmit'), stop: commandOf('Stop') };
}
