import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { codexConfigInvalid, codexHooksUntrusted, codexProjectUntrusted, geminiFolderUntrusted } from '../messages/trust.js';
import { copilotConfigUnreadable, copilotFolderUntrusted } from '../messages/status.js';

// Whether an agent will actually run the project hooks `init --agent` installed: Codex runs a project
// hook only in a trusted project and only once the hook itself is trusted (it skips it silently
// otherwise); Gemini CLI drops project hooks in a folder that isn't trusted, and so does GitHub
// Copilot CLI. Read from where each CLI records a person's answer to its trust prompt (found on
// Codex 0.169.0, Gemini CLI 0.61.0 and Copilot CLI 1.0.102).
export interface AgentTrust {
  // true: the hooks run; false: the agent skips them; null: can't tell (no agent config found).
  trusted: boolean | null;
  // What is missing, for people (empty when trusted).
  detail: string;
  // The file the agent keeps its trust in.
  file: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

// ── Codex ────────────────────────────────────────────────────────────────────────────────────────

// JSON with sorted keys and no spaces (serde_json's map order), as Codex hashes a hook's identity.
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

// Codex's `currentHash` of one command hook: sha256 over the canonical JSON of {event_name, matcher?,
// hooks: [the handler with Codex's defaults: async false, timeout 600]} (checked against `codex
// app-server` hooks/list). Editing the command, timeout or matcher changes it and un-trusts the hook.
export function codexHookHash(eventName: string, matcher: string | undefined, handler: Json): string {
  const hook: Json = { type: 'command', command: handler.command, timeout: typeof handler.timeout === 'number' ? handler.timeout : 600, async: handler.async === true };
  const identity: Json = { event_name: eventName, hooks: [hook] };
  if (matcher !== undefined) identity.matcher = matcher;
  return `sha256:${createHash('sha256').update(canonical(identity)).digest('hex')}`;
}

// `PreToolUse` → `pre_tool_use`, Codex's event names in trust keys.
const snake = (event: string) => event.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

// Codex's config.toml, parsed by smol-toml (loaded only here: `status` reads it, a commit never does),
// or where it stops being TOML.
export type CodexConfig = { table: Json } | { invalid: { line: number; column: number; reason: string } };

// Parses the text of a config.toml; a TOML syntax error is a finding to report, not a crash.
export async function parseCodexConfig(text: string): Promise<CodexConfig> {
  const { parse, TomlError } = await import('smol-toml');
  try {
    // Any i64 Codex's TOML reader accepts is valid here too (as a bigint past 2^53).
    return { table: parse(text, { integersAsBigInt: 'asNeeded' }) };
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    // smol-toml's message is "Invalid TOML document: <reason>" then a code excerpt.
    const reason = err.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
    return { invalid: { line: err.line, column: err.column, reason } };
  }
}

// The value at a key path of a parsed TOML table (own keys only, so `__proto__` is just a key).
export function tomlValue(table: Json, keys: string[]): unknown {
  let at: unknown = table;
  for (const key of keys) {
    if (!isObject(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

// The Codex home (CODEX_HOME, else ~/.codex).
export function codexHome(env: NodeJS.ProcessEnv): string {
  return env.CODEX_HOME || path.join(env.HOME || homedir(), '.codex');
}

// Whether Codex will run guardloop's hooks in `root`: the project must be trusted
// (`[projects."<root>"] trust_level = "trusted"`) and each guardloop hook trusted at its current hash
// (`[hooks.state."<root>/.codex/hooks.json:<event>:<group>:<handler>"] trusted_hash`), both in
// $CODEX_HOME/config.toml — what Codex writes when a person answers its trust prompts.
export async function codexTrust(root: string, env: NodeJS.ProcessEnv, isOurs: (handler: unknown) => boolean): Promise<AgentTrust> {
  const file = path.join(codexHome(env), 'config.toml');
  const hooksFile = path.join(root, '.codex', 'hooks.json');
  let hooks: Json = {};
  try {
    const doc = JSON.parse(await readFile(hooksFile, 'utf8')) as unknown;
    if (isObject(doc) && isObject(doc.hooks)) hooks = doc.hooks;
  } catch {
    return { trusted: null, detail: '', file };
  }
  const config = await parseCodexConfig(await readFile(file, 'utf8').catch(() => ''));
  if ('invalid' in config) {
    const { line, column, reason } = config.invalid;
    return { trusted: false, detail: codexConfigInvalid(file, line, column, reason), file };
  }
  const { table } = config;
  const roots = [...new Set([root, real(root)])];
  const projectTrusted = roots.some((r) => tomlValue(table, ['projects', r, 'trust_level']) === 'trusted');
  if (!projectTrusted) return { trusted: false, detail: codexProjectUntrusted(file), file };
  const untrusted: string[] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((group, g) => {
      if (!isObject(group) || !Array.isArray(group.hooks)) return;
      group.hooks.forEach((handler, h) => {
        if (!isOurs(handler) || !isObject(handler)) return;
        const hash = codexHookHash(snake(event), typeof group.matcher === 'string' ? group.matcher : undefined, handler);
        const files = [...new Set([hooksFile, path.join(real(root), '.codex', 'hooks.json')])];
        if (!files.some((f) => tomlValue(table, ['hooks', 'state', `${f}:${snake(event)}:${g}:${h}`, 'trusted_hash']) === hash)) untrusted.push(event);
      });
    });
  }
  if (untrusted.length) return { trusted: false, detail: codexHooksUntrusted(untrusted), file };
  return { trusted: true, detail: '', file };
}

// ── Gemini CLI ───────────────────────────────────────────────────────────────────────────────────

// Gemini CLI's home: GEMINI_CLI_HOME, else the user's home.
function geminiDir(env: NodeJS.ProcessEnv): string {
  return path.join(env.GEMINI_CLI_HOME || env.HOME || homedir(), '.gemini');
}

const inside = (parent: string, child: string) => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

// Whether Gemini CLI trusts the folder (it drops project hooks, and headless runs exit, in an untrusted
// one): GEMINI_CLI_TRUST_WORKSPACE, then `security.folderTrust.enabled` (default on) in
// ~/.gemini/settings.json, then the longest matching rule of ~/.gemini/trustedFolders.json
// (TRUST_FOLDER, TRUST_PARENT: the rule's parent folder, DO_NOT_TRUST) — where its trust dialog writes.
export async function geminiTrust(root: string, env: NodeJS.ProcessEnv): Promise<AgentTrust> {
  const file = env.GEMINI_CLI_TRUSTED_FOLDERS_PATH || path.join(geminiDir(env), 'trustedFolders.json');
  if (env.GEMINI_CLI_TRUST_WORKSPACE === 'true') return { trusted: true, detail: '', file };
  const settings = await readFile(path.join(geminiDir(env), 'settings.json'), 'utf8')
    .then((t) => JSON.parse(t.replace(/^\s*\/\/.*$/gm, '')) as unknown)
    .catch(() => null);
  if (isObject(settings) && isObject(settings.security) && isObject(settings.security.folderTrust) && settings.security.folderTrust.enabled === false) return { trusted: true, detail: '', file };
  const rules = await readFile(file, 'utf8')
    .then((t) => JSON.parse(t.replace(/^\s*\/\/.*$/gm, '')) as unknown)
    .catch(() => null);
  const target = real(root);
  let best = -1;
  let level: unknown;
  if (isObject(rules)) {
    for (const [rule, value] of Object.entries(rules)) {
      const effective = real(value === 'TRUST_PARENT' ? path.dirname(rule) : rule);
      if (inside(effective, target) && rule.length > best) {
        best = rule.length;
        level = value;
      }
    }
  }
  if (level === 'TRUST_FOLDER' || level === 'TRUST_PARENT') return { trusted: true, detail: '', file };
  return { trusted: false, detail: geminiFolderUntrusted(file, level === 'DO_NOT_TRUST'), file };
}

// ── GitHub Copilot CLI ───────────────────────────────────────────────────────────────────────────

// Copilot CLI's state folder: --config-dir, else COPILOT_HOME (the folder itself), else ~/.copilot.
export function copilotHome(env: NodeJS.ProcessEnv): string {
  return env.COPILOT_HOME || path.join(env.HOME || homedir(), '.copilot');
}

// Whether Copilot CLI runs the repository's hooks here (checked on 1.0.102 against the real CLI): it
// loads .github/hooks/ only in a trusted folder, one that `trustedFolders` in ~/.copilot/config.json
// (JSON with `//` comment lines, written by its trust prompt) names, or a folder above it; a linked
// worktree is trusted when its main worktree is. COPILOT_ALLOW_ALL=true (that exact value) trusts every folder.
export async function copilotTrust(roots: string[], env: NodeJS.ProcessEnv): Promise<AgentTrust> {
  const file = path.join(copilotHome(env), 'config.json');
  if (env.COPILOT_ALLOW_ALL === 'true') return { trusted: true, detail: '', file };
  const text = await readFile(file, 'utf8').catch(() => null);
  let folders: unknown = undefined;
  if (text !== null && text.trim()) {
    try {
      const doc = JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as unknown;
      folders = isObject(doc) ? doc.trustedFolders : undefined;
    } catch (e) {
      return { trusted: false, detail: copilotConfigUnreadable(file, (e as Error).message), file };
    }
  }
  const targets = roots.flatMap((r) => [r, real(r)]);
  const list = Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string' && path.isAbsolute(f)) : [];
  if (list.some((f) => targets.some((t) => inside(f, t) || inside(real(f), t)))) return { trusted: true, detail: '', file };
  return { trusted: false, detail: copilotFolderUntrusted(file, roots[0]), file };
}
