import type { CommandContext } from './command.js';
import { withSignals } from './signals.js';
import { agentHook, type AgentHookName } from '../agents/dispatch.js';
import { readStdin } from '../agents/payload.js';

// `guardloop run --hook stop|pre-tool|turn-start --agent NAME`: reads the payload from stdin (bounded), answers
// on stdout in the agent's protocol only; everything meant for people goes to stderr.
export async function runAgentHook(ctx: CommandContext, agent: string, hook: AgentHookName): Promise<number> {
  const input = await readStdin(ctx.stdin);
  const reply = await withSignals((signal) =>
    agentHook({ agent, hook, input, cwd: ctx.cwd, env: ctx.env, signal, onProgress: (line) => ctx.stderr.write(`${line}\n`) }),
  );
  if (reply.stderr) ctx.stderr.write(reply.stderr);
  if (reply.stdout) ctx.stdout.write(`${reply.stdout}\n`);
  return reply.code;
}
