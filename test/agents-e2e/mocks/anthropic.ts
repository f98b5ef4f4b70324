import path from 'node:path';
import { decide, describeAction, REASON_MARK, type Action, type ModelScript, type Turn } from './script.js';
import { json, sse, startMock, type MockServer } from './server.js';

// The Anthropic Messages API as Claude Code calls it (POST /v1/messages, streaming SSE), playing the script.
// `root` is the repository the agent works in: Claude Code's Write tool takes absolute paths.
export function anthropicMock(script: ModelScript, root: string): Promise<MockServer> {
  let ids = 0;
  return startMock((req, res) => {
    const url = req.url.split('?')[0];
    if (req.method === 'POST' && url.endsWith('/messages/count_tokens')) return json(res, 200, { input_tokens: 100 });
    if (req.method !== 'POST' || !url.endsWith('/messages')) {
      req.answer = '404';
      return json(res, 404, { type: 'error', error: { type: 'not_found_error', message: `mock: no ${req.method} ${url}` } });
    }
    const body = req.json ?? {};
    const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
    let last = -1;
    messages.forEach((m, i) => m.role === 'assistant' && (last = i));
    const fresh = JSON.stringify(messages.slice(last + 1));
    const turn: Turn = {
      hasTools: Array.isArray(body.tools) && body.tools.some((t: any) => t.name === 'Write'),
      toolResult: fresh.includes('"tool_result"'),
      reason: fresh.includes(REASON_MARK),
      writes: messages.filter((m) => m.role === 'assistant' && JSON.stringify(m.content).includes('"tool_use"')).length,
      // Claude Code sends the reason twice per block (a user "Stop hook feedback" and a system entry): count the user ones.
      reasons: messages.filter((m) => m.role === 'user' && JSON.stringify(m.content).includes(REASON_MARK)).length,
    };
    const action = decide(script, turn);
    req.answer = describeAction(action);
    const id = `msg_mock_${++ids}`;
    const model = body.model ?? 'claude-mock';
    const block = blockOf(action, root, ids);
    const stopReason = action.kind === 'write' ? 'tool_use' : 'end_turn';
    const usage = { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    if (!body.stream) {
      return json(res, 200, { id, type: 'message', role: 'assistant', model, content: [block], stop_reason: stopReason, stop_sequence: null, usage });
    }
    const start = block.type === 'text' ? { type: 'text', text: '' } : { ...block, input: {} };
    const delta = block.type === 'text' ? { type: 'text_delta', text: block.text } : { type: 'input_json_delta', partial_json: JSON.stringify(block.input) };
    sse(res, [
      { event: 'message_start', data: { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } } },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: start } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 20 } } },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
  });
}

function blockOf(action: Action, root: string, n: number): any {
  if (action.kind === 'text') return { type: 'text', text: action.text };
  return { type: 'tool_use', id: `toolu_mock_${n}`, name: 'Write', input: { file_path: path.join(root, action.path), content: action.content } };
}
