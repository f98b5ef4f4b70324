import { json, startMock, type MockServer } from './server.js';

// An OpenAI chat-completions model that runs one shell command through the CLI's shell tool
// (`tool`: Qwen Code's run_shell_command, Copilot CLI's bash), then says it is done.
export function shellChatMock(tool: string, command: string): Promise<MockServer> {
  let ids = 0;
  return startMock((req, res) => {
    const url = req.url.split('?')[0];
    if (req.method === 'GET' && url.endsWith('/models')) return json(res, 200, { object: 'list', data: [{ id: 'mock-model', object: 'model', owned_by: 'mock' }] });
    if (req.method !== 'POST' || !url.endsWith('/chat/completions')) return json(res, 404, { error: { message: `mock: no ${req.method} ${url}` } });
    const body = req.json ?? {};
    const messages: any[] = Array.isArray(body.messages) ? body.messages : [];
    let last = -1;
    messages.forEach((m, i) => m?.role === 'assistant' && (last = i));
    const offered = Array.isArray(body.tools) && body.tools.some((t: any) => t?.function?.name === tool);
    const ran = messages.slice(last + 1).some((m) => m?.role === 'tool');
    const n = ++ids;
    const calls = offered && !ran ? [{ id: `call_mock_${n}`, type: 'function', function: { name: tool, arguments: JSON.stringify({ command, description: 'commit the change' }) } }] : null;
    const message = calls ? { tool_calls: calls } : { content: offered ? 'Committed.' : 'ok' };
    req.answer = calls ? `${tool} ${command}` : `text ${message.content}`;
    const finish = calls ? 'tool_calls' : 'stop';
    const base = { id: `chatcmpl-mock-${n}`, created: Math.floor(Date.now() / 1000), model: body.model ?? 'mock-model' };
    const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 };
    if (!body.stream) return json(res, 200, { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }], usage });
    const delta = calls ? { role: 'assistant', content: null, tool_calls: calls.map((c, index) => ({ index, ...c })) } : { role: 'assistant', content: message.content };
    const chunk = (choice: unknown, extra: Record<string, unknown> = {}) => `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [choice], ...extra })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(`${chunk({ index: 0, delta, finish_reason: null })}${chunk({ index: 0, delta: {}, finish_reason: finish }, { usage })}data: [DONE]\n\n`);
  });
}
