import path from 'node:path';
import { decide, describeAction, REASON_MARK, type Action, type ModelScript, type Turn } from './script.js';
import { json, startMock, type MockServer } from './server.js';

// How one CLI edits files through OpenAI chat-completions tool calls: the tool whose presence marks a
// working request (side requests such as titles offer none), and the call that makes `file` hold
// `content` given what the mock wrote there before.
export interface ChatTools {
  writeTool: string;
  call(file: string, content: string, previous: string | undefined): { name: string; args: Record<string, unknown> };
}

// Qwen Code 0.24: write_file {file_path, content} (absolute path), which creates or overwrites.
export const QWEN_TOOLS: ChatTools = {
  writeTool: 'write_file',
  call: (file, content) => ({ name: 'write_file', args: { file_path: file, content } }),
};

// GitHub Copilot CLI 1.0: create {path, file_text} refuses an existing file, so a rewrite is
// edit {path, old_str, new_str} replacing what the mock wrote before.
export const COPILOT_TOOLS: ChatTools = {
  writeTool: 'create',
  call: (file, content, previous) =>
    previous === undefined ? { name: 'create', args: { path: file, file_text: content } } : { name: 'edit', args: { path: file, old_str: previous, new_str: content } },
};

// The OpenAI chat-completions API (POST /v1/chat/completions, streamed or not) as Qwen Code and Copilot
// CLI's BYOK provider call it, playing the script. `root` is the repository: both CLIs' edit tools take
// absolute paths.
export function chatCompletionsMock(script: ModelScript, root: string, tools: ChatTools): Promise<MockServer> {
  let ids = 0;
  const written = new Map<string, string>();
  return startMock((req, res) => {
    const url = req.url.split('?')[0];
    if (req.method === 'GET' && url.endsWith('/models')) return json(res, 200, { object: 'list', data: [{ id: 'mock-model', object: 'model', owned_by: 'mock' }] });
    if (req.method !== 'POST' || !url.endsWith('/chat/completions')) {
      req.answer = '404';
      return json(res, 404, { error: { message: `mock: no ${req.method} ${url}`, type: 'not_found' } });
    }
    const body = req.json ?? {};
    const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
    let last = -1;
    messages.forEach((m, i) => m?.role === 'assistant' && (last = i));
    const fresh = messages.slice(last + 1);
    const offered: any[] = Array.isArray(body.tools) ? body.tools : [];
    const turn: Turn = {
      hasTools: offered.some((t) => t?.function?.name === tools.writeTool),
      toolResult: fresh.some((m) => m?.role === 'tool'),
      reason: JSON.stringify(fresh).includes(REASON_MARK),
      writes: messages.filter((m) => m?.role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length).length,
      reasons: messages.filter((m) => m?.role === 'user' && JSON.stringify(m.content).includes(REASON_MARK)).length,
    };
    const action = decide(script, turn);
    const n = ++ids;
    const message = messageOf(action, root, tools, written, n);
    req.answer = `${describeAction(action)}${message.tool_calls ? ` as ${message.tool_calls[0].function.name}` : ''}`;
    const finish = message.tool_calls ? 'tool_calls' : 'stop';
    const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 };
    const base = { id: `chatcmpl-mock-${n}`, created: Math.floor(Date.now() / 1000), model: body.model ?? 'mock-model' };
    if (!body.stream) {
      return json(res, 200, { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }], usage });
    }
    const delta = message.tool_calls ? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((c, index) => ({ index, ...c })) } : { role: 'assistant', content: message.content };
    const chunk = (choice: unknown, extra: Record<string, unknown> = {}) => `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [choice], ...extra })}\n\n`;
    // The stream ends with OpenAI's literal `data: [DONE]` (not a JSON string).
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(`${chunk({ index: 0, delta, finish_reason: null })}${chunk({ index: 0, delta: {}, finish_reason: finish }, { usage })}data: [DONE]\n\n`);
  });
}

type ChatMessage = { content?: string; tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> };

function messageOf(action: Action, root: string, tools: ChatTools, written: Map<string, string>, n: number): ChatMessage {
  if (action.kind === 'text') return { content: action.text };
  const file = path.join(root, action.path);
  const call = tools.call(file, action.content, written.get(file));
  written.set(file, action.content);
  return { tool_calls: [{ id: `call_mock_${n}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }] };
}
