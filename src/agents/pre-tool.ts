import { existsSync } from 'node:fs';
import path from 'node:path';
import { discoverRepo } from '../git/repo.js';
import { protectedEdit } from '../messages/agents.js';
import { protectedTargets } from '../engine/protect.js';
import { loadCommittedConfig } from '../config/committed.js';
import type { AgentAdapter, HookReply, Payload } from './types.js';

// An agent's edit tool call (Claude Code PreToolUse, Codex apply_patch, Gemini BeforeTool): denied up
// front when it writes a protected path. The stop's protected-path check stays the backstop.
export async function preToolHook(adapter: AgentAdapter, payload: Payload, cwd: string): Promise<HookReply> {
  const paths = adapter.editedPaths(payload);
  if (!paths?.length) return { stdout: adapter.allowTool, stderr: '', code: 0 };
  const base = payload.cwd && existsSync(payload.cwd) ? payload.cwd : cwd;
  const repo = await discoverRepo(base);
  const rel = paths
    .map((p) => path.relative(repo.root, path.resolve(base, p)).split(path.sep).join('/'))
    .filter((p) => p && !p.startsWith('..'));
  const { config } = await loadCommittedConfig(repo);
  const hits = await protectedTargets(repo, config, rel);
  if (!hits.length) return { stdout: adapter.allowTool, stderr: '', code: 0 };
  return { stdout: adapter.denyTool(protectedEdit(hits)), stderr: `${protectedEdit(hits)}\n`, code: 0 };
}
