import path from 'node:path';
import { decide, describeAction, REASON_MARK, type Action, type ModelScript, type Turn } from './script.js';
import { json, sse, startMock, type MockServer } from './server.js';

// The Gemini API as Gemini CLI calls it (POST /v1beta/models/M:streamGenerateContent?alt=sse, and
// :generateContent / :countTokens for its side calls), playing the script with the write_file tool.
export function geminiMock(script: ModelScript, root: string): Promise<MockServer> {
  return startMock((req, res) => {
    const [url] = req.url.split('?');
    const method = /:(\w+)$/.exec(url)?.[1] ?? '';
    if (req.method !== 'POST' || !method) {
      req.answer = '404';
      return json(res, 404, { error: { code: 404, message: `mock: no ${req.method} ${url}`, status: 'NOT_FOUND' } });
    }
    const body = req.json ?? {};
    if (method === 'countTokens') return json(res, 200, { totalTokens: 100 });
    const contents: any[] = Array.isArray(body.contents) ? body.contents : [];
    let last = -1;
    contents.forEach((c, i) => c.role === 'model' && (last = i));
    const fresh = JSON.stringify(contents.slice(last + 1));
    const declared = (body.tools ?? []).flatMap((t: any) => t.functionDeclarations ?? []);
    const turn: Turn = {
      hasTools: declared.some((d: any) => d.name === 'write_file'),
      toolResult: fresh.includes('"functionResponse"'),
      reason: fresh.includes(REASON_MARK),
      writes: contents.filter((c) => c.role === 'model' && JSON.stringify(c.parts).includes('"functionCall"')).length,
      reasons: contents.filter((c) => c.role === 'user' && JSON.stringify(c.parts).includes(REASON_MARK)).length,
    };
    const jsonMode = body.generationConfig?.responseMimeType === 'application/json';
    let parts: any[];
    if (!turn.hasTools && jsonMode) {
      // A side call asking for structured output (routing, next speaker, loop checks): a neutral answer.
      const answer = sideAnswer(body.generationConfig?.responseJsonSchema ?? body.generationConfig?.responseSchema);
      req.answer = `json ${JSON.stringify(answer)}`;
      parts = [{ text: JSON.stringify(answer) }];
    } else {
      const action = decide(script, turn);
      req.answer = describeAction(action);
      parts = [partOf(action, root)];
    }
    const chunk = {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120 },
      modelVersion: 'gemini-mock',
      responseId: `mock-${req.n}`,
    };
    if (method === 'streamGenerateContent') return sse(res, [{ data: chunk }]);
    return json(res, 200, chunk);
  });
}

function partOf(action: Action, root: string): any {
  if (action.kind === 'text') return { text: action.text };
  return { functionCall: { name: 'write_file', args: { file_path: path.join(root, action.path), content: action.content } } };
}

// Fills a JSON schema with plain values: the first enum value, "user" for a next speaker, short strings.
function sideAnswer(schema: any): unknown {
  if (!schema || typeof schema !== 'object') return {};
  const type = String(schema.type ?? '').toLowerCase();
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum.includes('user') ? 'user' : schema.enum[0];
  if (type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sideAnswer(v);
    return out;
  }
  if (type === 'array') return [];
  if (type === 'boolean') return false;
  if (type === 'number' || type === 'integer') return typeof schema.minimum === 'number' ? schema.minimum : 1;
  return 'ok';
}
