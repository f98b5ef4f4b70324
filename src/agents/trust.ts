import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

// Whether an agent will actually run the project hooks `init --agent` installed: Codex runs a project
// hook only in a trusted project and only once the hook itself is trusted (it skips it silently
// otherwise); Gemini CLI drops project hooks in a folder that isn't trusted. Read from where each CLI
// records a person's answer to its trust prompt (found on Codex 0.169.0 and Gemini CLI 0.61.0).
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

// One TOML key segment list from a table header or dotted key: bare, "basic" or 'literal' parts.
function tomlKey(text: string): string[] | null {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (s[i] === '"') {
      let out = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\') {
          const esc = s[i + 1];
          if (esc === 'u' || esc === 'U') {
            const n = esc === 'u' ? 4 : 8;
            out += String.fromCodePoint(parseInt(s.slice(i + 2, i + 2 + n), 16));
            i += 2 + n;
            continue;
          }
          out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\' } as Record<string, string>)[esc] ?? esc;
          i += 2;
          continue;
        }
        out += s[i++];
      }
      if (s[i] !== '"') return null;
      i++;
      parts.push(out);
    } else if (s[i] === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) return null;
      parts.push(s.slice(i + 1, end));
      i = end + 1;
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i));
      if (!m) return null;
      parts.push(m[0]);
      i += m[0].length;
    }
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (i < s.length && s[i] !== '.') return null;
    i++;
  }
  return parts;
}

// The string values of a config.toml, by their full key path joined with NUL — enough to read the
// `[projects."<path>"] trust_level` and `[hooks.state."<key>"] trusted_hash` tables Codex writes
// (inline tables and arrays are not needed for those and are skipped).
export function tomlStrings(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let table: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[\[?(.*?)\]\]?\s*(#.*)?$/.exec(line);
    if (header) {
      table = tomlKey(header[1]) ?? ['\u0000invalid'];
      continue;
    }
    const kv = /^((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.\- \t])+?)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(#.*)?$/.exec(line);
    if (!kv) continue;
    const key = tomlKey(kv[1]);
    if (!key) continue;
    const value = kv[2] !== undefined ? (JSON.parse(`"${kv[2]}"`) as string) : kv[3];
    out.set([...table, ...key].join('\u0000'), value);
  }
  return out;
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
  const text = await readFile(file, 'utf8').catch(() => '');
  const values = tomlStrings(text);
  const roots = [...new Set([root, real(root)])];
  const projectTrusted = roots.some((r) => values.get(['projects', r, 'trust_level'].join('\u0000')) === 'trusted');
  if (!projectTrusted) {
    return { trusted: false, detail: `the project is not trusted in Codex (${file}), so Codex ignores .codex/ and skips the hooks silently: open Codex here, trust the project, then review and trust the guardloop hooks (/hooks)`, file };
  }
  const untrusted: string[] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((group, g) => {
      if (!isObject(group) || !Array.isArray(group.hooks)) return;
      group.hooks.forEach((handler, h) => {
        if (!isOurs(handler) || !isObject(handler)) return;
        const hash = codexHookHash(snake(event), typeof group.matcher === 'string' ? group.matcher : undefined, handler);
        const keys = [...new Set([hooksFile, path.join(real(root), '.codex', 'hooks.json')])].map((f) => ['hooks', 'state', `${f}:${snake(event)}:${g}:${h}`, 'trusted_hash'].join('\u0000'));
        if (!keys.some((k) => values.get(k) === hash)) untrusted.push(event);
      });
    });
  }
  if (untrusted.length) {
    return { trusted: false, detail: `the guardloop hook${untrusted.length > 1 ? 's' : ''} (${untrusted.join(', ')}) ${untrusted.length > 1 ? 'are' : 'is'} not trusted in Codex, or changed since it was trusted, so Codex skips ${untrusted.length > 1 ? 'them' : 'it'} silently: open Codex here and review and trust ${untrusted.length > 1 ? 'them' : 'it'} (/hooks)`, file };
  }
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
  const why = level === 'DO_NOT_TRUST' ? 'is marked "do not trust"' : 'is not trusted yet';
  return {
    trusted: false,
    detail: `this folder ${why} in Gemini CLI (${file}): it drops the project's hooks (and \`gemini -p\` exits) until you trust the folder in Gemini CLI (or run it with GEMINI_CLI_TRUST_WORKSPACE=true)`,
    file,
  };
}
