import { existsSync } from 'node:fs';
import { recordTurnStart } from '../engine/baseline.js';
import { discoverRepo } from '../git/repo.js';
import { openRepository } from '../store/repository.js';
import { recordSubagentStart } from './subagent-start.js';
import { sessionOf, type AgentAdapter, type HookReply, type Payload } from './types.js';

// A prompt submitted to an agent (Claude Code and Codex UserPromptSubmit, Gemini CLI BeforeAgent,
// Cursor beforeSubmitPrompt, Copilot userPromptSubmitted): records the HEAD the turn begins from, so
// the stop judges the turn against it however the agent moves HEAD. The same hook installed on a
// subagent's start (SubagentStart, subagentStart) records what the work tree held then, so the
// subagent's stop can tell whether it changed anything. Never blocks the prompt or the subagent.
export async function turnStartHook(adapter: AgentAdapter, payload: Payload, cwd: string): Promise<HookReply> {
  const sub = adapter.subagentStart?.(payload) ?? null;
  if (sub) {
    const repo = await discoverRepo(sub.cwd && existsSync(sub.cwd) ? sub.cwd : cwd);
    await recordSubagentStart(repo, adapter.name, sub.session);
    return { stdout: subagentStartReply(adapter), stderr: '', code: 0 };
  }
  const session = sessionOf(payload);
  if (!session) return { stdout: adapter.turnStart, stderr: '', code: 0 };
  const repo = await discoverRepo(payload.cwd && existsSync(payload.cwd) ? payload.cwd : cwd);
  const repository = await openRepository({ cwd: repo.root, dirs: repo });
  try {
    await recordTurnStart(repo, repository, { agent: adapter.name, session });
  } finally {
    await repository.close();
  }
  return { stdout: adapter.turnStart, stderr: '', code: 0 };
}

// What lets a subagent start, in the agent's protocol.
export function subagentStartReply(adapter: AgentAdapter): string {
  return adapter.subagentStartReply ?? adapter.turnStart;
}

// Whether a turn-start payload is a subagent's start (its error path answers in that event's shape).
export function isSubagentStart(adapter: AgentAdapter, payload: Payload): boolean {
  return (adapter.subagentStart?.(payload) ?? null) !== null;
}
