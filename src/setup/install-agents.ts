import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AgentConfigError } from '../errors/agent-config-error.js';
import { agentHooksStep, HOOKS_NOT_AN_OBJECT, hookEventNotAList, NOT_A_JSON_OBJECT, notValidJson } from '../messages/setup.js';
import { AGENT_NAMES, type AgentName } from '../agents/types.js';
import { UnknownAgentError } from '../errors/unknown-agent-error.js';
import { HOOK_TIMEOUT_S } from '../agents/stop.js';
import type { InitStep } from './init-step.js';
import { AGENT_LAUNCHER } from './hook-scripts.js';

// Seconds an edit check may take (it reads the committed config and answers).
const TOOL_TIMEOUT_S = 30;

type Json = Record<string, unknown>;

// One hook guardloop puts in an agent's config: the event, the matcher group (grouped layouts) and the handler.
interface Entry {
  event: string;
  hook: 'stop' | 'pre-tool' | 'turn-start';
  matcher?: string;
  handler: Json;
}

// Where an agent keeps its project hooks and how its file is laid out: `grouped` is Claude Code's
// event → [{matcher, hooks: [handler]}]; `flat` is event → [handler] under a `version: 1` file.
interface AgentLayout {
  file: string;
  layout: 'grouped' | 'flat';
  // Keys a new file gets (a file that has them keeps its own): Qwen Code stamps its settings'
  // format version and rewrites a file without it at start-up, which an agent's run would then
  // show as a change to a protected path.
  stamp?: Record<string, number>;
  entries: (maxAttempts: number) => Entry[];
}

// The command line an agent runs for one of guardloop's hooks: the committed launcher, which finds
// guardloop in this worktree or the main one and answers the agent itself where there is none.
function command(agent: AgentName, hook: Entry['hook'], dirVar?: string): string {
  // wording-ok: a command line, not a sentence
  return `${dirVar ? `"$${dirVar}"/` : ''}${AGENT_LAUNCHER} run --hook ${hook} --agent ${agent}`;
}

// Seconds the turn-start hook may take (it reads HEAD and writes one small file).
const TURN_TIMEOUT_S = 30;

// What `init --agent` installs, per agent (the hooks' timeouts sit above guardloop's own bound). The
// turn-start hook records the HEAD each turn begins from: the base the agent's stop is judged against;
// on a subagent's start it records the work tree, so a subagent that changed nothing passes without a
// run. A subagent's stop (SubagentStop, subagentStop) is judged like a stop, in a chain of its own.
export const AGENT_LAYOUTS: Record<AgentName, AgentLayout> = {
  claude: {
    file: '.claude/settings.json',
    layout: 'grouped',
    entries: () => [
      { event: 'UserPromptSubmit', hook: 'turn-start', handler: { type: 'command', command: command('claude', 'turn-start', 'CLAUDE_PROJECT_DIR'), timeout: TURN_TIMEOUT_S } },
      { event: 'Stop', hook: 'stop', handler: { type: 'command', command: command('claude', 'stop', 'CLAUDE_PROJECT_DIR'), timeout: HOOK_TIMEOUT_S } },
      { event: 'SubagentStart', hook: 'turn-start', handler: { type: 'command', command: command('claude', 'turn-start', 'CLAUDE_PROJECT_DIR'), timeout: TURN_TIMEOUT_S } },
      { event: 'SubagentStop', hook: 'stop', handler: { type: 'command', command: command('claude', 'stop', 'CLAUDE_PROJECT_DIR'), timeout: HOOK_TIMEOUT_S } },
      { event: 'PreToolUse', hook: 'pre-tool', matcher: 'Edit|Write|MultiEdit', handler: { type: 'command', command: command('claude', 'pre-tool', 'CLAUDE_PROJECT_DIR'), timeout: TOOL_TIMEOUT_S } },
    ],
  },
  codex: {
    file: '.codex/hooks.json',
    layout: 'grouped',
    entries: () => [
      { event: 'UserPromptSubmit', hook: 'turn-start', handler: { type: 'command', command: command('codex', 'turn-start'), timeout: TURN_TIMEOUT_S } },
      { event: 'Stop', hook: 'stop', handler: { type: 'command', command: command('codex', 'stop'), timeout: HOOK_TIMEOUT_S } },
      { event: 'PreToolUse', hook: 'pre-tool', matcher: 'apply_patch|Edit|Write', handler: { type: 'command', command: command('codex', 'pre-tool'), timeout: TOOL_TIMEOUT_S } },
      { event: 'SubagentStart', hook: 'turn-start', handler: { type: 'command', command: command('codex', 'turn-start'), timeout: TURN_TIMEOUT_S } },
      { event: 'SubagentStop', hook: 'stop', handler: { type: 'command', command: command('codex', 'stop'), timeout: HOOK_TIMEOUT_S } },
    ],
  },
  cursor: {
    file: '.cursor/hooks.json',
    layout: 'flat',
    // Cursor caps follow-ups at loop_limit: at maxAttempts guardloop escalates first (it sends maxAttempts − 1).
    entries: (maxAttempts) => [
      { event: 'beforeSubmitPrompt', hook: 'turn-start', handler: { command: command('cursor', 'turn-start'), timeout: TURN_TIMEOUT_S } },
      { event: 'stop', hook: 'stop', handler: { command: command('cursor', 'stop'), loop_limit: maxAttempts, timeout: HOOK_TIMEOUT_S } },
      { event: 'subagentStart', hook: 'turn-start', handler: { command: command('cursor', 'turn-start'), timeout: TURN_TIMEOUT_S } },
      { event: 'subagentStop', hook: 'stop', handler: { command: command('cursor', 'stop'), loop_limit: maxAttempts, timeout: HOOK_TIMEOUT_S } },
    ],
  },
  gemini: {
    file: '.gemini/settings.json',
    layout: 'grouped',
    entries: () => [
      { event: 'BeforeAgent', hook: 'turn-start', matcher: '*', handler: { name: 'guardloop-turn', type: 'command', command: command('gemini', 'turn-start', 'GEMINI_PROJECT_DIR'), timeout: TURN_TIMEOUT_S * 1000 } },
      { event: 'AfterAgent', hook: 'stop', matcher: '*', handler: { name: 'guardloop', type: 'command', command: command('gemini', 'stop', 'GEMINI_PROJECT_DIR'), timeout: HOOK_TIMEOUT_S * 1000 } },
      { event: 'BeforeTool', hook: 'pre-tool', matcher: 'write_file|replace', handler: { name: 'guardloop-protect', type: 'command', command: command('gemini', 'pre-tool', 'GEMINI_PROJECT_DIR'), timeout: TOOL_TIMEOUT_S * 1000 } },
    ],
  },
  copilot: {
    file: '.github/hooks/guardloop.json',
    layout: 'flat',
    entries: () => [
      { event: 'userPromptSubmitted', hook: 'turn-start', handler: { type: 'command', bash: command('copilot', 'turn-start'), timeoutSec: TURN_TIMEOUT_S } },
      { event: 'agentStop', hook: 'stop', handler: { type: 'command', bash: command('copilot', 'stop'), timeoutSec: HOOK_TIMEOUT_S } },
      { event: 'subagentStart', hook: 'turn-start', handler: { type: 'command', bash: command('copilot', 'turn-start'), timeoutSec: TURN_TIMEOUT_S } },
      { event: 'subagentStop', hook: 'stop', handler: { type: 'command', bash: command('copilot', 'stop'), timeoutSec: HOOK_TIMEOUT_S } },
      { event: 'preToolUse', hook: 'pre-tool', handler: { type: 'command', bash: command('copilot', 'pre-tool'), timeoutSec: TOOL_TIMEOUT_S } },
    ],
  },
  // Qwen Code reads Claude Code's layout from .qwen/settings.json (timeouts in seconds) and sets
  // QWEN_PROJECT_DIR for its hooks. Its UserPromptSubmit also fires on tool-result and hook
  // continuations; the turn-start hook carries the same base over, so those change nothing.
  qwen: {
    file: '.qwen/settings.json',
    layout: 'grouped',
    stamp: { $version: 4 },
    entries: () => [
      { event: 'UserPromptSubmit', hook: 'turn-start', handler: { type: 'command', command: command('qwen', 'turn-start', 'QWEN_PROJECT_DIR'), timeout: TURN_TIMEOUT_S } },
      { event: 'Stop', hook: 'stop', handler: { type: 'command', command: command('qwen', 'stop', 'QWEN_PROJECT_DIR'), timeout: HOOK_TIMEOUT_S } },
      { event: 'SubagentStart', hook: 'turn-start', handler: { type: 'command', command: command('qwen', 'turn-start', 'QWEN_PROJECT_DIR'), timeout: TURN_TIMEOUT_S } },
      { event: 'SubagentStop', hook: 'stop', handler: { type: 'command', command: command('qwen', 'stop', 'QWEN_PROJECT_DIR'), timeout: HOOK_TIMEOUT_S } },
      { event: 'PreToolUse', hook: 'pre-tool', matcher: 'write_file|edit', handler: { type: 'command', command: command('qwen', 'pre-tool', 'QWEN_PROJECT_DIR'), timeout: TOOL_TIMEOUT_S } },
    ],
  },
};

// Turns `--agent claude,codex` (or `all`) into agent names; throws UnknownAgentError for a typo.
export function parseAgentList(value: string): AgentName[] {
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.includes('all')) return [...AGENT_NAMES];
  for (const n of names) if (!(AGENT_NAMES as readonly string[]).includes(n)) throw new UnknownAgentError(n, AGENT_NAMES);
  return [...new Set(names)] as AgentName[];
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Whether a handler is guardloop's for this hook (whatever its path or timeout).
function isOurs(handler: unknown, hook: string): boolean {
  if (!isObject(handler)) return false;
  const cmd = String(handler.command ?? handler.bash ?? '');
  return new RegExp(`(guardloop(\\.js)?|\\.loop/hooks/agent)["']?\\s+run\\s+--hook\\s+${hook}\\b`).test(cmd);
}

// Whether a handler is one of guardloop's (a stop or an edit check).
export const isGuardloopHandler = (handler: unknown): boolean => isOurs(handler, 'stop') || isOurs(handler, 'pre-tool') || isOurs(handler, 'turn-start');

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// Puts one entry into a parsed hooks object; returns whether anything changed.
function mergeEntry(hooks: Json, entry: Entry, layout: AgentLayout['layout'], file: string): boolean {
  const list = hooks[entry.event] ?? [];
  if (!Array.isArray(list)) throw new AgentConfigError(file, hookEventNotAList(entry.event));
  hooks[entry.event] = list;
  if (layout === 'flat') {
    const i = list.findIndex((h) => isOurs(h, entry.hook));
    if (i >= 0 && same(list[i], entry.handler)) return false;
    if (i >= 0) list[i] = entry.handler;
    else list.push(entry.handler);
    return true;
  }
  for (const group of list) {
    if (!isObject(group) || !Array.isArray(group.hooks)) continue;
    const i = group.hooks.findIndex((h) => isOurs(h, entry.hook));
    if (i < 0) continue;
    if (same(group.hooks[i], entry.handler) && group.matcher === entry.matcher) return false;
    group.hooks[i] = entry.handler;
    // Our handler alone in its group: the group's matcher is ours to set.
    if (group.hooks.length === 1) {
      if (entry.matcher === undefined) delete group.matcher;
      else group.matcher = entry.matcher;
    }
    return true;
  }
  list.push(entry.matcher === undefined ? { hooks: [entry.handler] } : { matcher: entry.matcher, hooks: [entry.handler] });
  return true;
}

async function readJson(abs: string, rel: string): Promise<{ doc: Json; indent: string } | null> {
  if (!existsSync(abs)) return null;
  const text = await readFile(abs, 'utf8');
  if (!text.trim()) return { doc: {}, indent: '  ' };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new AgentConfigError(rel, notValidJson((e as Error).message));
  }
  if (!isObject(doc)) throw new AgentConfigError(rel, NOT_A_JSON_OBJECT);
  return { doc, indent: /^[ \t]+/m.exec(text)?.[0] ?? '  ' };
}

// Merges guardloop's hooks into one agent's project config: other keys, events and handlers are
// kept as they are; guardloop's own handlers are updated in place; an up-to-date file is not rewritten.
export async function installAgent(root: string, agent: AgentName, maxAttempts: number): Promise<InitStep> {
  const spec = AGENT_LAYOUTS[agent];
  const abs = join(root, spec.file);
  const read = await readJson(abs, spec.file);
  const doc = read?.doc ?? {};
  let changed = false;
  if (spec.layout === 'flat' && doc.version === undefined) {
    doc.version = 1;
    changed = true;
  }
  for (const [key, value] of Object.entries(spec.stamp ?? {})) {
    if (doc[key] !== undefined) continue;
    doc[key] = value;
    changed = true;
  }
  if (doc.hooks === undefined) doc.hooks = {};
  if (!isObject(doc.hooks)) throw new AgentConfigError(spec.file, HOOKS_NOT_AN_OBJECT);
  for (const entry of spec.entries(maxAttempts)) changed = mergeEntry(doc.hooks, entry, spec.layout, spec.file) || changed;
  if (changed) {
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, `${JSON.stringify(doc, null, read?.indent ?? '  ')}\n`);
  }
  const events = spec.entries(maxAttempts).map((e) => e.event);
  return { what: agentHooksStep(spec.file, changed ? (read ? 'merged in' : 'written') : 'there', events), changed };
}

// What `guardloop status` reads of one agent's project config: which of guardloop's hooks it holds,
// and whether they all go through the launcher (a direct node_modules/.bin command exits 127 in a
// worktree without node_modules; null when none is installed).
export interface AgentHookState {
  file: string;
  exists: boolean;
  stop: boolean;
  tool: boolean | null;
  launcher: boolean | null;
  error?: string;
}

// Which guardloop hooks an agent's project config holds (for `guardloop status`).
export async function agentHookStatus(root: string, agent: AgentName): Promise<AgentHookState> {
  const spec = AGENT_LAYOUTS[agent];
  const hasTool = spec.entries(5).some((e) => e.hook === 'pre-tool');
  try {
    const read = await readJson(join(root, spec.file), spec.file);
    const hooks = isObject(read?.doc.hooks) ? read!.doc.hooks : {};
    const ours: unknown[] = [];
    const present = (entry: Entry) => {
      const list = Array.isArray(hooks[entry.event]) ? (hooks[entry.event] as unknown[]) : [];
      const handlers = spec.layout === 'flat' ? list : list.flatMap((g) => (isObject(g) && Array.isArray(g.hooks) ? g.hooks : []));
      const found = handlers.filter((h) => isOurs(h, entry.hook));
      ours.push(...found);
      return found.length > 0;
    };
    const entries = spec.entries(5);
    const stop = entries.filter((e) => e.hook === 'stop').every(present);
    const tool = hasTool ? entries.filter((e) => e.hook === 'pre-tool').every(present) : null;
    entries.filter((e) => e.hook === 'turn-start').forEach(present);
    const launcher = ours.length ? ours.every((h) => String((h as Json).command ?? (h as Json).bash ?? '').includes(AGENT_LAUNCHER)) : null;
    return { file: spec.file, exists: read !== null, stop, tool, launcher };
  } catch (e) {
    return { file: spec.file, exists: true, stop: false, tool: hasTool ? false : null, launcher: null, error: (e as Error).message };
  }
}
