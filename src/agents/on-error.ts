import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GuardloopError } from '../errors/guardloop-error.js';
import { hookErrorAllowed, hookErrorReason, hookFailed, hookInternalError } from '../messages/agents.js';
import type { AgentAdapter, HookReply } from './types.js';

// What guardloop knows when its own failure ends an agent hook (filled in as the hook gets further).
export interface ErrorContext {
  policy: 'block-once' | 'block' | 'allow';
  commonDir: string | null;
  session: string | null;
}

// A sessionless block-once marker expires, so a later session is told again.
const SESSIONLESS_TTL_MS = 30 * 60_000;

function markerFile(commonDir: string, agent: string, session: string | null): string {
  return join(commonDir, 'guardloop', 'hook-errors', createHash('sha256').update(`${agent}\0${session ?? ''}`).digest('hex').slice(0, 24));
}

// The local log of guardloop's own failures in agent hooks (`guardloop status` shows the last ones).
export function errorLogFile(commonDir: string): string {
  return join(commonDir, 'guardloop', 'agent-errors.jsonl');
}

async function alreadyBlocked(file: string, session: string | null): Promise<boolean> {
  const st = await stat(file).catch(() => null);
  if (!st) return false;
  return session !== null || Date.now() - st.mtimeMs < SESSIONLESS_TTL_MS;
}

// Answers an agent hook after guardloop itself failed, as `agent.onError` says: block (with the
// error as the reason), allow (telling the person), or block once per session and then allow.
// Every such failure is appended to the local error log.
export async function onHookError(adapter: AgentAdapter, error: unknown, ctx: ErrorContext): Promise<HookReply> {
  const message = error instanceof GuardloopError ? error.message : hookInternalError((error as Error)?.message ?? String(error));
  let block = ctx.policy === 'block';
  if (ctx.policy === 'block-once' && ctx.commonDir) {
    const file = markerFile(ctx.commonDir, adapter.name, ctx.session);
    block = !(await alreadyBlocked(file, ctx.session));
    if (block) await mkdir(join(ctx.commonDir, 'guardloop', 'hook-errors'), { recursive: true }).then(() => writeFile(file, message)).catch(() => undefined);
  }
  if (ctx.commonDir) {
    const entry = { ts: new Date().toISOString(), agent: adapter.name, session: ctx.session, code: (error as GuardloopError)?.code ?? 'INTERNAL', message, action: block ? 'block' : 'allow' };
    await mkdir(join(ctx.commonDir, 'guardloop'), { recursive: true }).then(() => appendFile(errorLogFile(ctx.commonDir!), `${JSON.stringify(entry)}\n`)).catch(() => undefined);
  }
  if (block) return { stdout: adapter.block(hookErrorReason(message)), stderr: `${hookFailed(message)}\n`, code: 0 };
  const notice = hookErrorAllowed(adapter.name, message);
  const allowed = adapter.allow(notice);
  return { stdout: allowed.stdout, stderr: allowed.stderr || `${notice}\n`, code: 0 };
}

// Forgets a block-once marker once a hook of that session works again.
export async function clearHookError(commonDir: string, agent: string, session: string | null): Promise<void> {
  await rm(markerFile(commonDir, agent, session), { force: true });
}

// The last `n` entries of the error log, newest last.
export async function recentHookErrors(commonDir: string, n = 5): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(errorLogFile(commonDir), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .slice(-n)
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
