import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskFromTranscript, taskIn } from '../../src/hooks/transcript.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const transcript = readFileSync(join(FIXTURES, 'claude-code/transcript.jsonl'), 'utf8');
const payload = JSON.parse(readFileSync(join(FIXTURES, 'claude-code/stop-payload.json'), 'utf8'));

describe('task extraction from transcripts', () => {
  it("finds Claude Code's last real user prompt, not tool results or stop-hook feedback", () => {
    const r = taskIn(transcript, { file: 'x', promptId: payload.prompt_id, lastMessage: 'Fixed.' });
    expect(r).toEqual({ task: 'Create src/a.js exporting a function a().', complete: true });
  });

  it('sees a transcript that lags behind the hook (the last message is not written yet)', () => {
    const cut = transcript.split('\n').slice(0, 3).join('\n');
    expect(taskIn(cut, { file: 'x', promptId: payload.prompt_id, lastMessage: 'Done.' }).complete).toBe(false);
  });

  it('waits briefly for a missing transcript, then reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gl-transcript-'));
    const file = join(dir, 't.jsonl');
    setTimeout(() => writeFileSync(file, transcript), 150);
    expect(await taskFromTranscript({ file, promptId: payload.prompt_id, lastMessage: 'Done.', waitMs: 1500 })).toBe('Create src/a.js exporting a function a().');
    expect(await taskFromTranscript({ file: join(dir, 'none.jsonl'), waitMs: 100 })).toBeNull();
  });

  it('reads Codex rollouts and skips injected hook prompts', () => {
    const lines = [
      { type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>cwd</environment_context>' }] } },
      { type: 'event_msg', payload: { type: 'user_message', message: 'Add a() to src/a.js' } },
      { type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<hook_prompt hook_run_id="stop:0">guardloop rejected this change</hook_prompt>' }] } },
      { type: 'response_item', payload: { type: 'function_call_output', output: 'x' } },
    ];
    expect(taskIn(lines.map((l) => JSON.stringify(l)).join('\n'), { file: 'x' }).task).toBe('Add a() to src/a.js');
  });
});
