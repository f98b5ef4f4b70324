import { spawn } from 'node:child_process';
import { isolation } from './sandbox.js';

export interface CodexHook {
  key: string;
  eventName: string;
  command: string;
  currentHash: string;
  trustStatus: string;
  source: string;
}

// Talks JSON-RPC to `codex app-server` (stdio), the API Codex's own UIs use: `hooks/list` gives each
// hook's key, Codex's own hash of it and its trust status; `config/value/write` is Codex's own config
// writer. Runs in its own network namespace when allowed (it needs none).
export async function codexAppServer<T>(bin: string, env: NodeJS.ProcessEnv, cwd: string, fn: (call: (method: string, params: unknown) => Promise<any>) => Promise<T>): Promise<T> {
  const argv = isolation().netns ? ['unshare', '-n', bin, 'app-server'] : [bin, 'app-server'];
  const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let buf = '';
  let stderr = '';
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let msg: any;
      try {
        msg = JSON.parse(line);
      } catch {
        continue;
      }
      const p = typeof msg.id === 'number' ? pending.get(msg.id) : undefined;
      if (!p) continue;
      pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`codex app-server: ${JSON.stringify(msg.error)}`));
      else p.resolve(msg.result);
    }
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let next = 0;
  const send = (obj: unknown) => child.stdin.write(`${JSON.stringify(obj)}\n`);
  const call = (method: string, params: unknown) =>
    new Promise<any>((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => reject(new Error(`codex app-server: no answer to ${method} in 20 s; stderr:\n${stderr.slice(-2000)}`)), 20_000);
      pending.set(id, { resolve: (v) => (clearTimeout(timer), resolve(v)), reject: (e) => (clearTimeout(timer), reject(e)) });
      send({ jsonrpc: '2.0', id, method, params });
    });
  try {
    await call('initialize', { clientInfo: { name: 'guardloop-agents-e2e', version: '1' } });
    send({ jsonrpc: '2.0', method: 'initialized', params: {} });
    return await fn(call);
  } finally {
    child.stdin.end();
    child.kill('SIGTERM');
    await exited;
  }
}

// The project's hooks as Codex sees them (an untrusted project shows none).
export async function listHooks(call: (m: string, p: unknown) => Promise<any>, root: string): Promise<CodexHook[]> {
  const res = await call('hooks/list', { cwds: [root] });
  return (res?.data ?? []).flatMap((d: any) => d.hooks ?? []);
}

// Trusts the project and then its hooks exactly as Codex records a person's "trust" answers: the project's
// trust_level, then, per hook, `hooks.state."<key>".trusted_hash` = the hash Codex computed for it.
export async function trustProjectAndHooks(bin: string, env: NodeJS.ProcessEnv, root: string): Promise<{ before: CodexHook[]; after: CodexHook[] }> {
  return codexAppServer(bin, env, root, async (call) => {
    await call('config/value/write', { keyPath: 'projects', value: { [root]: { trust_level: 'trusted' } }, mergeStrategy: 'upsert' });
    const before = await listHooks(call, root);
    const state = Object.fromEntries(before.map((h) => [h.key, { trusted_hash: h.currentHash }]));
    await call('config/value/write', { keyPath: 'hooks.state', value: state, mergeStrategy: 'upsert' });
    return { before, after: await listHooks(call, root) };
  });
}
