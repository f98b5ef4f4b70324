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
  // Copilot CLI's subagent hooks (camelCase): the subagent's id and who spawned it.
  agentId: str,
  parentAgentId: str,
  // Cursor's subagent hooks: the subagent's id (the parent's Task tool call) and its conversation.
  subagent_id: str,
  tool_call_id: str,
  parent_conversation_id: str,
  cwd: str,
  workspace_roots: z.optional(z.nullable(z.array(z.string()))),
  hook_event_name: str,
  stop_hook_active: z.optional(z.nullable(z.boolean())),
  last_assistant_message: str,
  prompt: str,
  prompt_id: str,
  prompt_response: str,
  status: str,
  // Claude Code, Qwen Code and Codex: the session's permission mode ("plan" in plan mode).
  permission_mode: str,
  // Copilot CLI's subagentStop: the subagent's last answer.
  response: str,
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
  // The session is in plan mode (read-only by the agent's own rules): never block, nothing runs.
  planMode?: boolean;
  // This stop ends a subagent (its id): `session` is then the subagent's own chain, `<session>/<id>`.
  subagent?: string | null;
  // The stop belongs to a subagent whose own subagent-stop event judges it (Copilot CLI fires both):
  // let through at once, nothing runs.
  judgedElsewhere?: boolean;
  // How many of the session's subagents still run in the background when the parent stops (Claude
  // Code's and Qwen Code's background_tasks): the work tree is still changing under them.
  runningSubagents?: number;
}

// Where a subagent starts (its SubagentStart/subagentStart hook): the subagent's chain and folder.
export interface SubagentStartInfo {
  // `<session>/<subagent id>`, the chain its stop is keyed by.
  session: string;
  cwd: string | null;
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
  // A subagent-start payload (the turn-start hook installed on SubagentStart): its chain, else null.
  subagentStart?(payload: Payload): SubagentStartInfo | null;
  // stdout that lets a subagent start (default: turnStart).
  subagentStartReply?: string;
  // Most characters the agent keeps of a reason.
  reasonLimit: number;
}

// The session id, whichever field the agent uses.
export function sessionOf(p: Payload): string | null {
  return p.session_id || p.conversation_id || p.sessionId || null;
}

// Whether a payload's permission mode is plan mode (Claude Code's "plan"; Qwen Code maps its plan
// approval mode to the same word).
export const inPlanMode = (p: Payload): boolean => p.permission_mode === 'plan';

// The subagents a stop payload lists as still running (background_tasks: Claude Code marks them
// type "subagent", Qwen Code gives them an agent_type; background shells are neither).
export function runningSubagents(p: Payload): number {
  const tasks = (p as { background_tasks?: unknown }).background_tasks;
  if (!Array.isArray(tasks)) return 0;
  return tasks.filter((t) => t && typeof t === 'object' && (t as Record<string, unknown>).status === 'running' && ((t as Record<string, unknown>).type === 'subagent' || typeof (t as Record<string, unknown>).agent_type === 'string')).length;
}

// A subagent's chain inside its parent's session: the parent's turn (engine/baseline.ts) is shared,
// its attempts and their count are its own.
export function subagentSession(session: string | null, id: string | null | undefined): string | null {
  return session && id ? `${session}/${id}` : session;
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
