import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OLD_HUSKY_LINES } from '../config/constants.js';
import { findPackageDir } from '../config/package-dir.js';
import { adapterFor } from '../agents/index.js';
import { AGENT_NAMES } from '../agents/types.js';
import {
  agentNotInstalledAllowed,
  agentNotInstalledBlocked,
  commitUnverifiedNotInstalled,
  hookNotInstalled,
  NOT_INSTALLED_REASON,
} from '../messages/setup.js';

// The git hooks guardloop installs (lean: files in .loop/hooks; husky: bodies appended to .husky/<hook>).
// pre-merge-commit is what `git merge` and `git pull` run instead of pre-commit: it runs the same guards.
export const GIT_HOOKS = ['pre-commit', 'pre-merge-commit', 'post-commit', 'pre-push'] as const;
// One of GIT_HOOKS.
export type GitHookName = (typeof GIT_HOOKS)[number];
// The hooks every guardloop init has written (an older init's .loop/hooks lacks pre-merge-commit;
// `guardloop install` still makes those live, and `status` names the missing one).
export const CORE_GIT_HOOKS = ['pre-commit', 'post-commit', 'pre-push'] as const;

// The `guardloop run --hook <name>` a git hook's script calls (pre-merge-commit runs pre-commit's guards).
export function runHookOf(hook: GitHookName): string {
  return hook === 'pre-merge-commit' ? 'pre-commit' : hook;
}

// Where the lean mode keeps its committed hooks (core.hooksPath, relative to each worktree's root).
export const LEAN_HOOKS_DIR = '.loop/hooks';
// The agents' launcher, beside the lean hooks (committed, so every worktree has it).
export const AGENT_LAUNCHER = `${LEAN_HOOKS_DIR}/agent`;

// A shell word that stands for `s` exactly (single-quoted).
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

// A sentence made with `variable` (a shell expansion such as "$h") where the sentence has SLOT.
const SLOT = '\u0000';
function shSentence(text: string, variable: string): string {
  return text
    .split(SLOT)
    .map((part) => (part ? shQuote(part) : ''))
    .join(variable);
}

// Each agent's answers where guardloop is missing, as one `case` branch of the launcher.
function agentReplies(): string {
  return AGENT_NAMES.map((name) => {
    const a = adapterFor(name)!;
    const let_ = agentNotInstalledAllowed(name);
    const vars = {
      block: a.block(NOT_INSTALLED_REASON),
      allow: a.allow(let_).stdout,
      tool: a.allowTool,
      turn: a.turnStart,
      blocked: agentNotInstalledBlocked(name),
      let: let_,
    };
    // wording-ok: a shell `case` branch, not a sentence
    return `  ${name}) ${Object.entries(vars).map(([k, v]) => `${k}=${shQuote(v)}`).join(' ')} ;;`;
  }).join('\n');
}

// The placeholders of the package's hooks/* templates, filled with src/messages' sentences.
function fills(): Record<string, string> {
  return {
    NOT_INSTALLED_PRE_COMMIT: shQuote(hookNotInstalled('pre-commit')),
    NOT_INSTALLED_PRE_PUSH: shQuote(hookNotInstalled('pre-push')),
    UNVERIFIED: shSentence(commitUnverifiedNotInstalled(SLOT), '"$h"'),
    UNKNOWN_AGENT: shSentence(agentNotInstalledAllowed(SLOT), '"$agent"'),
    REPLIES: agentReplies(),
  };
}

// The text of one generated script: the package's hooks/<name> template with its @@PLACEHOLDERS@@ filled.
export async function hookScript(name: GitHookName | 'agent'): Promise<string> {
  const template = await readFile(join(findPackageDir(), 'hooks', name), 'utf8');
  const values = fills();
  return template.replace(/@@([A-Z_]+)@@/g, (whole, key: string) => values[key] ?? whole);
}

// A hook's body without its `#!` line, for appending to a husky hook file.
export async function hookBody(name: GitHookName): Promise<string> {
  return (await hookScript(name)).replace(/^#!.*\n/, '').trimEnd();
}

// Whether a hook file's text already calls guardloop for this hook (a line of an older init counts;
// a comment does not).
export function callsGuardloop(text: string, hook: GitHookName): boolean {
  const code = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n');
  return /guardloop/.test(code) && new RegExp(`\\brun\\s+--hook\\s+${runHookOf(hook)}(?![\\w-])`).test(code);
}

// A husky hook file with an earlier guardloop's line replaced by `body` (the current one), or null when
// it holds no such line or already runs guardloop the current way (the binary looked for in both worktrees).
export function replaceOldHuskyLine(text: string, body: string): string | null {
  const lines = text.split('\n');
  const old = lines.findIndex((l) => OLD_HUSKY_LINES.includes(l.trim().replace(/\s+/g, ' ')));
  if (old < 0 || text.includes('node_modules/.bin/guardloop')) return null;
  lines.splice(old, 1, ...body.split('\n'));
  return lines.join('\n');
}
