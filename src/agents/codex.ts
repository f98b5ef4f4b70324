import { inputPaths, sessionOf, stderrNotice, type AgentAdapter } from './types.js';

// The files an apply_patch envelope touches (`*** Add/Update/Delete File:`, `*** Move to:`).
export function patchPaths(patch: string): string[] {
  const out: string[] = [];
  for (const m of patch.matchAll(/^\*\*\* (?:(?:Add|Update|Delete) File|Move to): (.+)$/gm)) out.push(m[1].trim());
  return out;
}

// OpenAI Codex: Stop must print JSON when it exits 0 (`{}` allows); edits arrive as apply_patch with
// the patch in tool_input.command; PreToolUse denies in Claude Code's shape.
export const codex: AgentAdapter = {
  name: 'codex',
  reasonLimit: 9_500,
  stop: (p) => ({
    session: sessionOf(p),
    transcript: p.transcript_path || null,
    cwd: p.cwd || null,
    lastMessage: p.last_assistant_message || null,
    prompt: null,
    aborted: false,
  }),
  block: (reason) => JSON.stringify({ decision: 'block', reason }),
  allow: stderrNotice('{}'),
  editedPaths(p) {
    const input = (p.tool_input ?? {}) as { command?: unknown; patch?: unknown; input?: unknown };
    const text = [input.command, input.patch, input.input].flat().filter((v): v is string => typeof v === 'string').join('\n');
    const paths = [...patchPaths(text), ...inputPaths(p.tool_input)];
    if (paths.length) return paths;
    return /apply_patch|Edit|Write/.test(p.tool_name ?? '') ? [] : null;
  },
  denyTool: (reason) => JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }),
  allowTool: '{}',
  turnStart: '',
};
