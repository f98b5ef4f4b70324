import { decide, describeAction, REASON_MARK, type Action, type ModelScript, type Turn } from './script.js';
import { json, sse, startMock, type MockServer } from './server.js';

// Items of a Responses API request the model itself produced.
const MODEL_ITEMS = new Set(['function_call', 'custom_tool_call', 'local_shell_call', 'reasoning']);
const isModelItem = (it: any) => MODEL_ITEMS.has(it?.type) || (it?.type === 'message' && it.role === 'assistant');

// The OpenAI Responses API as Codex calls it (POST /v1/responses, SSE), playing the script. Edits go
// through Codex's apply_patch tool (freeform or function, whichever the request offers), else a shell
// command; the mock remembers what it wrote so an update patch names the lines it replaces.
export function openaiMock(script: ModelScript): Promise<MockServer> {
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
    const turn: Turn = {
      hasTools: tools.length > 0,
      toolResult: fresh.some((it) => it?.type === 'function_call_output' || it?.type === 'custom_tool_call_output'),
      reason: JSON.stringify(fresh).includes(REASON_MARK),
      writes: input.filter((it) => it?.type === 'function_call' || it?.type === 'custom_tool_call').length,
      reasons: input.filter((it) => it?.type === 'message' && it.role === 'user' && JSON.stringify(it.content).includes(REASON_MARK)).length,
    };
    const action = decide(script, turn);
    const n = ++ids;
    const item = itemOf(action, tools, written, n);
    req.answer = `${describeAction(action)} as ${item.type}${item.name ? ` ${item.name}` : ''}`;
    const id = `resp_mock_${n}`;
    const usage = { input_tokens: 100, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 120 };
    const response = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), status: 'in_progress', model: body.model ?? 'mock-model', output: [] as unknown[] };
    sse(res, [
      { event: 'response.created', data: { type: 'response.created', sequence_number: 0, response } },
      { event: 'response.output_item.added', data: { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item } },
      { event: 'response.output_item.done', data: { type: 'response.output_item.done', sequence_number: 2, output_index: 0, item } },
      { event: 'response.completed', data: { type: 'response.completed', sequence_number: 3, response: { ...response, status: 'completed', output: [item], usage } } },
    ]);
  });
}

// An apply_patch envelope that makes `path` hold `content`: adds it, or replaces every line it had.
export function patchFor(path: string, content: string, previous: string | undefined): string {
  const lines = (text: string, sign: string) => text.replace(/\n$/, '').split('\n').map((l) => `${sign}${l}`).join('\n');
  if (previous === undefined) return `*** Begin Patch\n*** Add File: ${path}\n${lines(content, '+')}\n*** End Patch`;
  return `*** Begin Patch\n*** Update File: ${path}\n@@\n${lines(previous, '-')}\n${lines(content, '+')}\n*** End Patch`;
}

function itemOf(action: Action, tools: any[], written: Map<string, string>, n: number): any {
  if (action.kind === 'text') return { type: 'message', id: `msg_mock_${n}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: action.text, annotations: [] }] };
  const call_id = `call_mock_${n}`;
  const patch = patchFor(action.path, action.content, written.get(action.path));
  written.set(action.path, action.content);
  const applyPatch = tools.find((t) => t?.name === 'apply_patch');
  if (applyPatch?.type === 'custom') return { type: 'custom_tool_call', id: `ctc_mock_${n}`, status: 'completed', call_id, name: 'apply_patch', input: patch };
  if (applyPatch) return { type: 'function_call', id: `fc_mock_${n}`, status: 'completed', call_id, name: 'apply_patch', arguments: JSON.stringify({ input: patch }) };
  const shell = tools.find((t) => t?.name === 'exec_command' || t?.name === 'shell');
  const cmd = `mkdir -p "$(dirname '${action.path}')" && printf '%s' '${action.content.replace(/'/g, `'\\''`)}' > '${action.path}'`;
  const args = shell?.name === 'shell' ? { command: ['bash', '-lc', cmd] } : { cmd };
  return { type: 'function_call', id: `fc_mock_${n}`, status: 'completed', call_id, name: shell?.name ?? 'exec_command', arguments: JSON.stringify(args) };
}
