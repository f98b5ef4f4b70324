import { existsSync } from 'node:fs';
import { recordTurnStart } from '../engine/baseline.js';
import { discoverRepo } from '../git/repo.js';
import { openRepository } from '../store/repository.js';
import { sessionOf, type AgentAdapter, type HookReply, type Payload } from './types.js';

// A prompt submitted to an agent (Claude Code and Codex UserPromptSubmit, Gemini CLI BeforeAgent,
// Cursor beforeSubmitPrompt, Copilot userPromptSubmitted): records the HEAD the turn begins from, so
// the stop judges the turn against it however the agent moves HEAD. Never blocks the prompt.
export async function turnStartHook(adapter: AgentAdapter, payload: Payload, cwd: string): Promise<HookReply> {
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
