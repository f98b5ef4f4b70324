import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readTask, taskFromTranscript, taskIn } from '../../src/agents/transcript.js';
import { REASON_PREFIX } from '../../src/messages/agents.js';
import {
  BUTTON,
  CLAUDE_PROMPT,
  CLAUDE_PROMPT_ID,
  claudeCommandTurn,
  claudeEarlierTurn,
  claudeInjected,
  claudeTurn,
  codexInjected,
  codexRollout,
  jsonl,
} from './transcripts.js';

const dir = mkdtempSync(join(tmpdir(), 'gl-transcript-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string) => {
  const f = join(dir, `t${n++}.jsonl`);
  writeFileSync(f, text);
  return f;
};
// Long enough that a test relying on the lag wait would time out: the tests below never wait.
const LONG = 30_000;
const claudeStop = (lastMessage: string) => ({ promptId: CLAUDE_PROMPT_ID, lastMessage, waitMs: LONG });

// The task read from `text` as a stop would read it; `lagged` counts the waits for a lagging transcript.
async function stopTask(text: string, q: { promptId?: string; lastMessage?: string; waitMs?: number }) {
  const onLag = vi.fn();
  const task = await taskFromTranscript({ file: file(text), ...q, onLag });
  return { task, lagged: onLag.mock.calls.length };
}

describe('the task, read from the structure of a Claude Code transcript', () => {
  it('is the captured session prompt at both stops, not tool results or stop-hook feedback', async () => {
    const text = jsonl(claudeTurn());
    expect(taskIn(text, { file: 'x', promptId: CLAUDE_PROMPT_ID, lastMessage: 'Fixed.' })).toEqual({ task: CLAUDE_PROMPT, complete: true });
    expect(await stopTask(text, claudeStop('Done.'))).toEqual({ task: CLAUDE_PROMPT, lagged: 0 });
    expect(await stopTask(text, claudeStop('Fixed.'))).toEqual({ task: CLAUDE_PROMPT, lagged: 0 });
  });

  it('is a prompt that opens with `<`, not the previous one, and without waiting', async () => {
    const text = jsonl([...claudeEarlierTurn(), ...claudeTurn(BUTTON)]);
    expect(await stopTask(text, claudeStop('Done.'))).toEqual({ task: BUTTON, lagged: 0 });
    expect(await stopTask(text, claudeStop('Fixed.'))).toEqual({ task: BUTTON, lagged: 0 });
    // Without a prompt id (older builds) the newest real prompt is still the one.
    expect(await stopTask(text, { lastMessage: 'Fixed.', waitMs: LONG })).toEqual({ task: BUTTON, lagged: 0 });
  });

  it('is the real prompt when hook feedback, command wrappers, reminders, meta entries and notifications follow it', async () => {
    const text = jsonl([...claudeEarlierTurn(), ...claudeTurn(CLAUDE_PROMPT, claudeInjected())]);
    expect(await stopTask(text, claudeStop('Fixed.'))).toEqual({ task: CLAUDE_PROMPT, lagged: 0 });
    expect(await stopTask(text, { lastMessage: 'Fixed.', waitMs: LONG })).toEqual({ task: CLAUDE_PROMPT, lagged: 0 });
  });

  it("keeps a prompt's own words around injected context, and finds prompts given as parts", () => {
    const prompt = (content: unknown) => jsonl([{ type: 'user', promptId: 'p', message: { role: 'user', content } }]);
    const q = { file: 'x', promptId: 'p' };
    expect(taskIn(prompt([{ type: 'text', text: '<system-reminder>\nctx\n</system-reminder>' }, { type: 'text', text: '<div> is empty' }, { type: 'image', source: {} }]), q).task).toBe('<div> is empty');
    expect(taskIn(prompt('<ide_opened_file>The user opened src/a.js.</ide_opened_file>\n<system-reminder> tags show up in the output'), q).task).toBe('<system-reminder> tags show up in the output');
    expect(taskIn(prompt('<command-name> shows up in the <b>output</b>'), q).task).toBe('<command-name> shows up in the <b>output</b>');
  });

  it("skips a subagent's prompt in the main transcript, and takes it in the subagent's own", () => {
    const turn = claudeTurn(BUTTON);
    const at = turn.findIndex((e) => e.type === 'attachment');
    const side = (extra: Record<string, unknown>) => ({ ...extra, isSidechain: true, parentUuid: null });
    const sub = [
      side({ type: 'user', message: { role: 'user', content: 'Find every caller of a().' } }),
      side({ type: 'assistant', message: { role: 'assistant', content: [{ type: 'text', text: 'Two callers.' }] } }),
    ];
    turn.splice(at, 0, ...sub);
    expect(taskIn(jsonl(turn), { file: 'x', lastMessage: 'Fixed.' }).task).toBe(BUTTON);
    expect(taskIn(jsonl(sub), { file: 'x', lastMessage: 'Two callers.' })).toEqual({ task: 'Find every caller of a().', complete: true });
  });

  it("is the slash command that ran the stop's turn when that turn holds no typed prompt", () => {
    expect(taskIn(jsonl([...claudeEarlierTurn(), ...claudeCommandTurn()]), { file: 'x', promptId: CLAUDE_PROMPT_ID, lastMessage: 'Fixed.' })).toEqual({ task: '/review 42', complete: true });
  });

  it('ignores request copies (api-request-blob) that hold the prompt among reminders', () => {
    const text = jsonl(claudeTurn().filter((e) => !(e.type === 'user' && !e.isMeta && typeof (e.message as { content: unknown }).content === 'string')));
    // The prompt's own entry is gone: the prompt Claude Code echoes in last-prompt stands in for it,
    // and without those echoes there is no task, not the request copy's text.
    expect(taskIn(text, { file: 'x', promptId: CLAUDE_PROMPT_ID, lastMessage: 'Fixed.' })).toEqual({ task: CLAUDE_PROMPT, complete: true });
    expect(taskIn(text.split('\n').filter((l) => !/"type":"(last-prompt|queue-operation)"/.test(l)).join('\n'), { file: 'x' }).task).toBeNull();
  });
});

describe('the task, read from a Codex rollout', () => {
  const second = { lastMessage: 'Fixed: removed the TODO from src/a.js.', waitMs: LONG };

  it('is a prompt that opens with `<`, from its user_message event, not the previous prompt', async () => {
    expect(await stopTask(jsonl(codexRollout(BUTTON, { earlier: 'Set up the repository.' })), second)).toEqual({ task: BUTTON, lagged: 0 });
    expect(await stopTask(jsonl(codexRollout(BUTTON, { earlier: 'Set up the repository.' })), { lastMessage: 'Created src/a.js.', waitMs: LONG })).toEqual({ task: BUTTON, lagged: 0 });
  });

  it('is the real prompt when context fragments, warnings and <hook_prompt> blocks follow it', async () => {
    expect(await stopTask(jsonl(codexRollout('Add a() to src/a.js', { earlier: 'Set up the repository.', injected: codexInjected() })), second)).toEqual({ task: 'Add a() to src/a.js', lagged: 0 });
  });

  it('reads rollouts without user_message events from their response items', () => {
    const text = jsonl(codexRollout(BUTTON, { events: false, earlier: 'Set up the repository.' }));
    expect(taskIn(text, { file: 'x', lastMessage: second.lastMessage })).toEqual({ task: BUTTON, complete: true });
  });
});

describe('the task, read from Cursor-style role/content transcripts', () => {
  it("unwraps <user_query> and skips guardloop's follow-up", () => {
    const user = (text: string) => ({ role: 'user', message: { content: [{ type: 'text', text }] } });
    const text = jsonl([
      user('<user_query>\nSet up the repository.\n</user_query>'),
      user(`<user_info>\nOS Version: linux\n</user_info>\n\n<user_query>\n${BUTTON}\n</user_query>`),
      { role: 'assistant', message: { content: [{ type: 'text', text: 'Done.' }] } },
      user(`<user_query>\n${REASON_PREFIX} (attempt 1 of 5): 1 guard failed.\n</user_query>`),
      user(`${REASON_PREFIX} (attempt 2 of 5): 1 guard failed.`),
      { role: 'assistant', message: { content: [{ type: 'text', text: 'Fixed.' }] } },
    ]);
    expect(taskIn(text, { file: 'x', lastMessage: 'Fixed.' })).toEqual({ task: BUTTON, complete: true });
  });
});

describe('a transcript that lags behind the hook', () => {
  it('is read again only while it lacks the stop: missing, then without the latest prompt', async () => {
    const f = join(dir, 'late.jsonl');
    const writes = [jsonl(claudeEarlierTurn()), jsonl([...claudeEarlierTurn(), ...claudeTurn(BUTTON)])];
    const onLag = vi.fn(() => {
      const next = writes.shift();
      if (next) writeFileSync(f, next);
    });
    expect(await taskFromTranscript({ file: f, ...claudeStop('Fixed.'), onLag })).toBe(BUTTON);
    // Once missing, once holding only the earlier turn.
    expect(onLag).toHaveBeenCalledTimes(2);
  });

  it('is waited for no longer than waitMs: then the best task found is kept', async () => {
    const early = jsonl([...claudeEarlierTurn(), ...claudeTurn(BUTTON)].slice(0, -12));
    expect(taskIn(early, { file: 'x', promptId: CLAUDE_PROMPT_ID, lastMessage: 'Fixed.' })).toEqual({ task: BUTTON, complete: false });
    expect(await stopTask(early, { promptId: CLAUDE_PROMPT_ID, lastMessage: 'Fixed.', waitMs: 0 })).toEqual({ task: BUTTON, lagged: 0 });
    expect(await stopTask(jsonl(claudeEarlierTurn()), { promptId: CLAUDE_PROMPT_ID, lastMessage: 'Fixed.', waitMs: 0 })).toEqual({ task: 'Set up the repository.', lagged: 0 });
    expect(await taskFromTranscript({ file: join(dir, 'none.jsonl'), waitMs: 0 })).toBeNull();
  });
});

describe('reading from the end', () => {
  it('reads a 50 MB transcript only back to the prompt', async () => {
    const f = join(dir, 'big.jsonl');
    const earlier = Buffer.from(jsonl(claudeEarlierTurn('An earlier request.')));
    const fd = openSync(f, 'w');
    let size = 0;
    while (size < 50 * 1024 * 1024) size += writeSync(fd, earlier);
    writeSync(fd, jsonl([...claudeEarlierTurn(), ...claudeTurn(BUTTON)]));
    closeSync(fd);
    const r = await readTask(f, { file: f, promptId: CLAUDE_PROMPT_ID, lastMessage: 'Fixed.' });
    expect(r).toMatchObject({ task: BUTTON, complete: true });
    expect(r.bytesRead).toBeLessThanOrEqual(256 * 1024);
  });

  it('assembles lines longer than a read, and characters cut by a read, whole', async () => {
    const prompt = `${BUTTON} — “größer” €€€`;
    const promptLine = JSON.stringify({ type: 'user', promptId: 'p', message: { role: 'user', content: prompt } });
    const huge = JSON.stringify({ type: 'user', promptId: 'p', toolUseResult: {}, message: { role: 'user', content: [{ type: 'tool_result', content: 'é'.repeat(150_000) }] } });
    const answer = (pad: number) => JSON.stringify({ type: 'assistant', message: { role: 'assistant', content: [{ type: 'text', text: `Fixed.${' '.repeat(pad)}` }] } });
    // Pad the answer so that a 64 KiB read boundary falls inside the prompt's first '€' (3 bytes).
    const tail = (pad: number) => `\n${huge}\n${answer(pad)}\n`;
    const intoPrompt = Buffer.byteLength(promptLine.slice(0, promptLine.indexOf('€'))) + 1;
    const fromBoundary = Buffer.byteLength(promptLine) - intoPrompt + Buffer.byteLength(tail(0));
    const pad = (64 * 1024 - (fromBoundary % (64 * 1024))) % (64 * 1024);
    const r = await readTask(file(promptLine + tail(pad)), { file: 'x', promptId: 'p', lastMessage: 'Fixed.' });
    expect(r).toMatchObject({ task: prompt, complete: true });
  });
});

describe('a real Codex 0.169.0 rollout (captured by test:agents against the mock model API)', () => {
  it('takes the prompt the person typed (provenance `user`), not environment context or the hook prompt (provenance `harness`)', () => {
    const raw = readFileSync(join(import.meta.dirname, 'fixtures', 'codex', 'rollout-0.169.0.jsonl'), 'utf8');
    expect(taskIn(raw, { file: null, lastMessage: null })).toEqual({ task: 'Create src/a.js exporting a constant a.', complete: true });
  });
});
