import { patchFor } from './openai.js';
import { REASON_MARK } from './script.js';
import { json, sse, startMock, type MockServer } from './server.js';
import { decideSub, describeSubAction, SUB_MARK, type SubagentScript, type SubTurn } from './subagent-script.js';

// Items of a Responses API request the model itself produced.
const MODEL_ITEMS = new Set(['function_call', 'custom_tool_call', 'local_shell_call', 'reasoning']);
const isModelItem = (it: any) => MODEL_ITEMS.has(it?.type) || (it?.type === 'message' && it.role === 'assistant');

// Codex's multi-agent tools (0.169.0, `[features] multi_agent_v2`) sit in the `collaboration` namespace.
const NAMESPACE = 'collaboration';

// The OpenAI Responses API as Codex calls it, playing a subagent session (subagent-script.ts): the
// parent spawns the subagent (spawn_agent) and waits for it (wait_agent); the subagent's
// conversation, told apart by the task's mark in its agent_message, writes through apply_patch.
export function subagentResponsesMock(script: SubagentScript): Promise<MockServer> {
  let ids = 0;
  const written = new Map<string, string>();
  return startMock((req, res) => {
    const url = req.url.split('?')[0];
    if (req.method === 'GET' && url.endsWith('/models')) return json(res, 200, { object: 'list', data: [], models: [] });
    if (req.method !== 'POST' || !url.endsWith('/responses')) {
      req.answer = '404';
      return json(res, 404, { error: { message: `mock: no ${req.method} ${url}`, type: 'not_found' } });
    }
    const body = req.json ?? {};
    const input: any[] = Array.isArray(body.input) ? body.input : [];
    let last = -1;
    input.forEach((it, i) => isModelItem(it) && (last = i));
    const fresh = input.slice(last + 1);
    const tools: any[] = Array.isArray(body.tools) ? body.tools : [];
    const spoken = (it: any) => it?.type === 'agent_message' || (it?.type === 'message' && it.role === 'user');
    const calls = input.filter((it) => it?.type === 'function_call');
    const turn: SubTurn = {
      hasTools: tools.length > 0,
      sub: input.some((it) => spoken(it) && JSON.stringify(it.content).includes(SUB_MARK)),
      toolResult: fresh.some((it) => it?.type === 'function_call_output' || it?.type === 'custom_tool_call_output'),
      reason: JSON.stringify(fresh).includes(REASON_MARK),
      reasons: input.filter((it) => it?.type === 'message' && it.role === 'user' && JSON.stringify(it.content).includes(REASON_MARK)).length,
      spawned: calls.some((c) => c.name === 'spawn_agent'),
      waited: calls.some((c) => c.name === 'wait_agent'),
    };
    const action = decideSub(script, turn, true);
    const n = ++ids;
    req.answer = `${turn.sub ? 'sub: ' : ''}${describeSubAction(action)}`;
    const call_id = `call_mock_${n}`;
    let item: any;
    if (action.kind === 'spawn') item = { type: 'function_call', id: `fc_mock_${n}`, status: 'completed', call_id, name: 'spawn_agent', namespace: NAMESPACE, arguments: JSON.stringify({ task_name: 'writer', message: script.task, fork_turns: 'none' }) };
    else if (action.kind === 'wait') item = { type: 'function_call', id: `fc_mock_${n}`, status: 'completed', call_id, name: 'wait_agent', namespace: NAMESPACE, arguments: JSON.stringify({ timeout_ms: 60_000 }) };
    else if (action.kind === 'write') {
      const patch = patchFor(action.path, action.content, written.get(action.path));
      written.set(action.path, action.content);
      const custom = tools.find((t) => t?.name === 'apply_patch')?.type === 'custom';
      item = custom
        ? { type: 'custom_tool_call', id: `ctc_mock_${n}`, status: 'completed', call_id, name: 'apply_patch', input: patch }
        : { type: 'function_call', id: `fc_mock_${n}`, status: 'completed', call_id, name: 'apply_patch', arguments: JSON.stringify({ input: patch }) };
    } else item = { type: 'message', id: `msg_mock_${n}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: action.text, annotations: [] }] };
    const usage = { input_tokens: 100, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 120 };
    const response = { id: `resp_mock_${n}`, object: 'response', created_at: Math.floor(Date.now() / 1000), status: 'in_progress', model: body.model ?? 'mock-model', output: [] as unknown[] };
    sse(res, [
      { event: 'response.created', data: { type: 'response.created', sequence_number: 0, response } },
      { event: 'response.output_item.added', data: { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item } },
      { event: 'response.output_item.done', data: { type: 'response.output_item.done', sequence_number: 2, output_index: 0, item } },
      { event: 'response.completed', data: { type: 'response.completed', sequence_number: 3, response: { ...response, status: 'completed', output: [item], usage } } },
    ]);
  });
}
