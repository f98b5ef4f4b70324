import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One request a mock model server received, kept for the test's assertions.
export interface MockRequest {
  n: number;
  method: string;
  // Path and query, as sent.
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  // The body parsed as JSON, or null.
  json: any;
  // What the mock answered, in one line (for failure messages).
  answer?: string;
}

// A scripted model server on 127.0.0.1 (random port) that records every request.
export interface MockServer {
  url: string;
  port: number;
  // The same server on a Unix socket: an agent in its own network namespace reaches it through a
  // bridge (helpers/netns-launcher.mjs) listening on 127.0.0.1:port inside the namespace.
  socket: string;
  requests: MockRequest[];
  // Requests whose body contains `text`.
  containing(text: string): MockRequest[];
  close(): Promise<void>;
}

export type Handler = (req: MockRequest, res: ServerResponse) => void | Promise<void>;

// Starts a node:http server bound to loopback only; every request is recorded, then handled.
export async function startMock(handler: Handler): Promise<MockServer> {
  const requests: MockRequest[] = [];
  const server = createServer((inc, res) => {
    const chunks: Buffer[] = [];
    inc.on('data', (c: Buffer) => chunks.push(c));
    inc.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any = null;
      try {
        json = body ? JSON.parse(body) : null;
      } catch {
        json = null;
      }
      const req: MockRequest = { n: requests.length, method: inc.method ?? 'GET', url: inc.url ?? '/', headers: inc.headers, body, json };
      requests.push(req);
      try {
        await handler(req, res);
      } catch (e) {
        req.answer = `mock error: ${(e as Error).stack}`;
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(e) } }));
      }
    });
  });
  // Agents keep connections alive; close() must not wait for them.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dir = mkdtempSync(join(tmpdir(), 'glmock-'));
  const socket = join(dir, 's');
  const unix = net.createServer((conn) => server.emit('connection', conn));
  await new Promise<void>((resolve) => unix.listen(socket, resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    socket,
    requests,
    containing: (text) => requests.filter((r) => r.body.includes(text)),
    close: async () => {
      server.closeAllConnections();
      await Promise.all([new Promise((resolve) => server.close(resolve)), new Promise((resolve) => unix.close(resolve))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Writes a Server-Sent Events response: one `event:`/`data:` frame per item, then ends it.
export function sse(res: ServerResponse, events: Array<{ event?: string; data: unknown }>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const e of events) res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`);
  res.end();
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

// A one-line summary of a request, for failure messages.
export function describeRequest(r: MockRequest): string {
  return `#${r.n} ${r.method} ${r.url} (${r.body.length} bytes)${r.answer ? ` → ${r.answer}` : ''}`;
}
