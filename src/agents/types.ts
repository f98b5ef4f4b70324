import * as z from 'zod/mini';

// The agents guardloop speaks to, by the name used in `--agent` and on records.
export const AGENT_NAMES = ['claude', 'codex', 'cursor', 'gemini', 'copilot', 'qwen'] as const;
// One of AGENT_NAMES.
export type AgentName = (typeof AGENT_NAMES)[number];

const str = z.optional(z.nullable(z.string()));

// The fields guardloop reads from any agent's hook payload (each agent sends a subset; the rest is kept).
export const payloadSchema = z.looseObject({
  session_id: str,
  conversation_id: str,
  sessionId: str,
  transcript_path: str,
  transcriptPath: str,
  agent_transcript_path: str,
  agent_id: str,
  cwd: str,
  workspace_roots: z.optional(z.nullable(z.array(z.string()))),
  hook_event_name: str,
  stop_hook_active: z.optional(z.nullable(z.boolean())),
  last_assistant_message: str,
  prompt: str,
  prompt_id: str,
  prompt_response: str,
  status: str,
  loop_count: z.optional(z.nullable(z.number())),
  tool_name: str,
  toolName: str,
  tool_input: z.optional(z.unknown()),
  toolArgs: z.optional(z.unknown()),
});
// A parsed hook payload (unknown fields kept).
export type Payload = z.infer<typeof payloadSchema>;

// What a stop payload tells guardloop, whatever the agent.
export interface StopInfo {
  session: string | null;
  transcript: string | null;
  cwd: string | null;
  lastMessage: string | null;
  // The request itself when the payload carries it (Gemini's `prompt`).
  prompt: string | null;
  // Claude Code's id of the prompt being answered (its transcript entries carry it as promptId).
  promptId?: string | null;
  // The user stopped the agent: never block.
  aborted: boolean;
}

// What a hook prints and exits with.
export interface HookReply {
  stdout: string;
  stderr: string;
  code: number;
}

// One agent's hook protocol: how to read its payload and how to answer it.
export interface AgentAdapter {
  name: AgentName;
  stop(payload: Payload): StopInfo;
  // stdout that makes the agent go on with `reason` as its next instruction.
  block(reason: string): string;
  // stdout (and stderr) that lets the stop through, telling the person `notice` when given.
  allow(notice?: string): { stdout: string; stderr: string };
  // The repository-relative or absolute paths an edit tool call is about to write (null: not an edit).
  editedPaths(payload: Payload): string[] | null;
  // stdout that refuses a tool call / lets it run.
  denyTool(reason: string): string;
  allowTool: string;
  // stdout that lets a submitted prompt go on unchanged (the turn-start hook only records HEAD).
  turnStart: string;
  // Most characters the agent keeps of a reason.
  reasonLimit: number;
}

// The session id, whichever field the agent uses.
export function sessionOf(p: Payload): string | null {
  return p.session_id || p.conversation_id || p.sessionId || null;
}

// Paths named by `file_path`/`path`-like fields of a tool's input.
export function inputPaths(input: unknown): string[] {
  if (!input || typeof input !== 'object') return [];
  const o = input as Record<string, unknown>;
  return ['file_path', 'notebook_path', 'path', 'absolute_path'].map((k) => o[k]).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

// A plain stop (no notice): allow with `allowed` on stdout; a notice goes to stderr.
export function stderrNotice(allowed: string) {
  return (notice?: string) => ({ stdout: allowed, stderr: notice ? `${notice}\n` : '' });
}
