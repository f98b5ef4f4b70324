import { inputPaths, sessionOf, stderrNotice, subagentSession, type AgentAdapter, type Payload } from './types.js';

// The files an apply_patch envelope touches (`*** Add/Update/Delete File:`, `*** Move to:`).
export function patchPaths(patch: string): string[] {
  const out: string[] = [];
  for (const m of patch.matchAll(/^\*\*\* (?:(?:Add|Update|Delete) File|Move to): (.+)$/gm)) out.push(m[1].trim());
  return out;
}

// The subagent a Codex SubagentStart/SubagentStop payload names (the child thread's id), else null.
const subagentOf = (p: Payload, event: string): string | null => (p.hook_event_name === event && p.agent_id ? p.agent_id : null);

// OpenAI Codex: Stop must print JSON when it exits 0 (`{}` allows); edits arrive as apply_patch with
// the patch in tool_input.command; PreToolUse denies in Claude Code's shape. A thread-spawned subagent
// ends with SubagentStop instead of Stop (checked on 0.169.0): the parent's session_id, the child
// thread's agent_id and its own rollout as agent_transcript_path; a block continues the child.
export const codex: AgentAdapter = {
  name: 'codex',
  reasonLimit: 9_500,
  stop(p) {
    const sub = subagentOf(p, 'SubagentStop');
    return {
      session: subagentSession(sessionOf(p), sub),
      transcript: (sub ? p.agent_transcript_path : null) || p.transcript_path || null,
      cwd: p.cwd || null,
      lastMessage: p.last_assistant_message || null,
      prompt: null,
      aborted: false,
      subagent: sub,
    };
  },
  subagentStart(p) {
    const sub = subagentOf(p, 'SubagentStart');
    return sub && sessionOf(p) ? { session: subagentSession(sessionOf(p), sub)!, cwd: p.cwd || null } : null;
  },
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
