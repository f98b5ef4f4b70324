import { InterruptedError } from '../errors/interrupted-error.js';
import { loadCommittedConfig } from '../config/committed.js';
import { stopHook, type StopOptions } from './stop.js';
import { UnknownAgentError } from '../errors/unknown-agent-error.js';
import { adapterFor, AGENT_NAMES } from './index.js';
import { onHookError, type ErrorContext } from './on-error.js';
import { parsePayload } from './payload.js';
import { preToolHook } from './pre-tool.js';
import { isSubagentStart, subagentStartReply, turnStartHook } from './turn-start.js';
import type { HookReply, Payload } from './types.js';
import { preToolFailed, subagentStartFailed, turnStartFailed } from '../messages/agents.js';

// The agent hooks guardloop answers: an agent's stop (a subagent's too), an edit about to happen, and
// a turn's start (a prompt submitted: the HEAD the turn begins from is the agent's trusted base; a
// subagent's start: what the work tree held then).
export type AgentHookName = 'stop' | 'pre-tool' | 'turn-start';

// What an agent hook is given: which agent and hook, the payload, and the stop's options.
export interface AgentHookOptions extends StopOptions {
  agent: string;
  hook: AgentHookName;
  // The payload as read from stdin.
  input: string;
}

// Entry point of every agent hook: stdout holds only the agent's protocol, exit 0 unless the agent
// name is unknown. guardloop's own failures go through agent.onError (a stop) or fail open (an edit:
// the stop re-checks protected paths).
export async function agentHook(opts: AgentHookOptions): Promise<HookReply> {
  const adapter = adapterFor(opts.agent);
  if (!adapter) {
    const e = new UnknownAgentError(opts.agent, AGENT_NAMES);
    return { stdout: '', stderr: `${e.message}\n`, code: 1 };
  }
  const ctx: ErrorContext = { policy: 'block-once', commonDir: null, session: null };
  let payload: Payload | null = null;
  try {
    payload = parsePayload(opts.input);
    if (opts.hook === 'pre-tool') return await preToolHook(adapter, payload, opts.cwd);
    if (opts.hook === 'turn-start') return await turnStartHook(adapter, payload, opts.cwd);
    return await stopHook(adapter, payload, opts, ctx);
  } catch (e) {
    if (e instanceof InterruptedError) throw e;
    if (opts.hook === 'turn-start' && payload && isSubagentStart(adapter, payload)) return { stdout: subagentStartReply(adapter), stderr: subagentStartFailed((e as Error).message), code: 0 };
    if (opts.hook === 'turn-start') return { stdout: adapter.turnStart, stderr: turnStartFailed((e as Error).message), code: 0 };
    if (opts.hook === 'pre-tool') return { stdout: adapter.allowTool, stderr: `${preToolFailed((e as Error).message)}\n`, code: 0 };
    if (!ctx.commonDir) {
      // The repository isn't known yet (bad payload): find it from the hook's own directory.
      const { discoverRepo } = await import('../git/repo.js');
      const repo = await discoverRepo(opts.cwd).catch(() => null);
      ctx.commonDir = repo?.commonDir ?? null;
      if (repo) ctx.policy = await loadCommittedConfig(repo).then((c) => c.config.agent.onError, () => ctx.policy);
    }
    return onHookError(adapter, e, ctx);
  }
}
