import path from 'node:path';
import type { ChatTools } from './chat-completions.js';
import { REASON_MARK } from './script.js';
import { json, startMock, type MockServer } from './server.js';
import { decideSub, describeSubAction, SUB_MARK, type SubagentScript, type SubTurn } from './subagent-script.js';

// How one CLI spawns a subagent through a chat-completions tool call (Qwen Code's `agent`, Copilot CLI's `task`).
export interface SpawnTool {
  name: string;
  args(task: string): Record<string, unknown>;
}

// Qwen Code 0.24: agent {description, prompt, subagent_type}, in the foreground (it runs subagents in
// the background unless told, and then tells the parent with a <task-notification> user message).
export const QWEN_SPAWN: SpawnTool = { name: 'agent', args: (task) => ({ description: 'write a file', prompt: task, subagent_type: 'general-purpose', run_in_background: false }) };

// Copilot CLI 1.0: task {description, prompt, agent_type, name}.
export const COPILOT_SPAWN: SpawnTool = { name: 'task', args: (task) => ({ description: 'write a file', prompt: task, agent_type: 'general-purpose', name: 'writer' }) };

const text = (c: unknown) => (typeof c === 'string' ? c : JSON.stringify(c ?? ''));

// The OpenAI chat-completions API playing a subagent session (subagent-script.ts): one server serves
// the parent's conversation and the subagent's, told apart by the task's mark.
export function subagentChatMock(script: SubagentScript, root: string, tools: ChatTools, spawn: SpawnTool): Promise<MockServer> {
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
    const calls = messages.filter((m) => m?.role === 'assistant' && Array.isArray(m.tool_calls)).flatMap((m) => m.tool_calls);
    const turn: SubTurn = {
      hasTools: offered.some((t) => t?.function?.name === tools.writeTool),
      sub: messages.some((m) => m?.role === 'user' && text(m.content).includes(SUB_MARK)),
      toolResult: fresh.some((m) => m?.role === 'tool' || (m?.role === 'user' && text(m.content).includes('task-notification'))),
      reason: JSON.stringify(fresh).includes(REASON_MARK),
      reasons: messages.filter((m) => m?.role === 'user' && text(m.content).includes(REASON_MARK)).length,
      spawned: calls.some((c) => c?.function?.name === spawn.name),
      waited: true,
    };
    const action = decideSub(script, turn);
    const n = ++ids;
    let message: { content?: string; tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> };
    if (action.kind === 'spawn') message = { tool_calls: [{ id: `call_mock_${n}`, type: 'function', function: { name: spawn.name, arguments: JSON.stringify(spawn.args(script.task)) } }] };
    else if (action.kind === 'write') {
      const file = path.join(root, action.path);
      const call = tools.call(file, action.content, written.get(file));
      written.set(file, action.content);
      message = { tool_calls: [{ id: `call_mock_${n}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }] };
    } else message = { content: action.kind === 'text' ? action.text : 'ok' };
    req.answer = `${turn.sub ? 'sub: ' : ''}${describeSubAction(action)}`;
    const finish = message.tool_calls ? 'tool_calls' : 'stop';
    const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 };
    const base = { id: `chatcmpl-mock-${n}`, created: Math.floor(Date.now() / 1000), model: body.model ?? 'mock-model' };
    if (!body.stream) return json(res, 200, { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finish }], usage });
    const delta = message.tool_calls ? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((c, index) => ({ index, ...c })) } : { role: 'assistant', content: message.content };
    const chunk = (choice: unknown, extra: Record<string, unknown> = {}) => `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [choice], ...extra })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(`${chunk({ index: 0, delta, finish_reason: null })}${chunk({ index: 0, delta: {}, finish_reason: finish }, { usage })}data: [DONE]\n\n`);
  });
}
