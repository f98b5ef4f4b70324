import path from 'node:path';
import { REASON_MARK } from './script.js';
import { json, sse, startMock, type MockServer } from './server.js';
import { decideSub, describeSubAction, SUB_MARK, type SubagentScript, type SubTurn } from './subagent-script.js';

// The typed words of a user message (its text blocks; tool results left out).
function typed(m: any): string {
  if (typeof m?.content === 'string') return m.content;
  return Array.isArray(m?.content) ? m.content.filter((b: any) => b?.type === 'text').map((b: any) => String(b.text)).join('\n') : '';
}

// The Anthropic Messages API as Claude Code calls it, playing a subagent session (subagent-script.ts):
// the parent spawns the subagent with Claude Code's Agent tool; the subagent's conversation (its
// task in a user text block) writes with Write.
export function subagentAnthropicMock(script: SubagentScript, root: string): Promise<MockServer> {
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
    const uses = messages.filter((m) => m.role === 'assistant' && Array.isArray(m.content)).flatMap((m) => m.content.filter((b: any) => b?.type === 'tool_use'));
    const turn: SubTurn = {
      hasTools: Array.isArray(body.tools) && body.tools.some((t: any) => t.name === 'Write'),
      sub: messages.some((m) => m.role === 'user' && typed(m).includes(SUB_MARK)),
      toolResult: fresh.includes('"tool_result"'),
      reason: fresh.includes(REASON_MARK),
      reasons: messages.filter((m) => m.role === 'user' && JSON.stringify(m.content).includes(REASON_MARK)).length,
      spawned: uses.some((b) => b.name === 'Agent'),
      waited: true,
    };
    const action = decideSub(script, turn);
    req.answer = `${turn.sub ? 'sub: ' : ''}${describeSubAction(action)}`;
    const n = ++ids;
    const id = `msg_mock_${n}`;
    const model = body.model ?? 'claude-mock';
    let block: any;
    if (action.kind === 'spawn') block = { type: 'tool_use', id: `toolu_mock_${n}`, name: 'Agent', input: { description: 'Write a file', prompt: script.task, subagent_type: 'general-purpose' } };
    else if (action.kind === 'write') block = { type: 'tool_use', id: `toolu_mock_${n}`, name: 'Write', input: { file_path: path.join(root, action.path), content: action.content } };
    else block = { type: 'text', text: action.kind === 'text' ? action.text : 'ok' };
    const stopReason = block.type === 'tool_use' ? 'tool_use' : 'end_turn';
    const usage = { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    if (!body.stream) return json(res, 200, { id, type: 'message', role: 'assistant', model, content: [block], stop_reason: stopReason, stop_sequence: null, usage });
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
