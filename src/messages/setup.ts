import type { HookMode, HookModeWhy, InitResult } from '../setup/init-step.js';
import { HOOK_ERROR_PREFIX } from './agents.js';

// Wording of `guardloop init` and `init --agent`: each step it took, the report, the next steps.

// What `guardloop init` did, and the next steps a person takes.
export function initReport(result: InitResult): string {
  const lines = result.steps.map((s) => `  ${s.changed ? '+' : '='} ${s.what}`);
  const install = result.blockedBy
    ? "guardloop's hooks from the other tool's, as the step above says (`npm install` would change nothing here); `guardloop status` then shows each hook live"
    : result.mode === 'lean'
      ? '`npm install` (its prepare script runs `guardloop install`)'
      : '`npm install` to install husky and activate the hooks (the prepare script does it)';
  const next = result.active
    ? ['Next:', '  1. Edit .loop/config.yaml: one guard per invariant you want enforced.', '  2. Commit: `git add -A && git commit` — the guards run on what you staged, and the verdict is recorded (`guardloop log`).']
    : [
        'Next:',
        result.blockedBy ? `  1. Call ${install}.` : `  1. Run ${install}.`,
        '  2. Edit .loop/config.yaml: one guard per invariant you want enforced.',
        '  3. Commit: the guards run on what you staged, and the verdict is recorded (`guardloop log`).',
      ];
  const changed = result.steps.some((s) => s.changed);
  return [`guardloop init in ${result.root}${changed ? '' : ': nothing to change'}`, hookModeLine(result.mode, result.modeWhy), ...lines, '', ...next].join('\n');
}

// Which way init installs the git hooks, and why (the first line under init's heading).
export function hookModeLine(mode: HookMode, why: HookModeWhy): string {
  if (mode === 'lean') return 'Hook mode: lean — committed hooks in .loop/hooks, which git runs through core.hooksPath (this project does not use husky).';
  const found = why === 'husky-folder' ? 'a .husky/ folder' : 'husky in package.json';
  return `Hook mode: husky — guardloop's lines appended to .husky/<hook> (this project already uses husky: ${found}).`;
}

// One thing left for the person after `init --agent` (printed under the report).
export function initNote(notice: string): string {
  return `Note: ${notice}`;
}

// The package.json step: husky and its prepare script added, or already there.
export function packageJsonStep(changed: boolean): string {
  return changed ? 'package.json: added husky (devDependency) and the `prepare: husky` script' : 'package.json: husky and its prepare script already there';
}

// The `.husky/<hook>` step: the file already calls guardloop, was created, or got guardloop's line appended.
export function huskyHookStep(hook: string, how: 'there' | 'created' | 'appended'): string {
  if (how === 'there') return `.husky/${hook}: already calls guardloop`;
  return how === 'created' ? `.husky/${hook}: created` : `.husky/${hook}: appended the guardloop line (your existing commands kept)`;
}

// The config step when `.loop/config.yaml` exists.
export const CONFIG_KEPT = '.loop/config.yaml: kept as it is';

// The config step when a starter `.loop/config.yaml` was written with these guards.
export function configWritten(ids: readonly string[]): string {
  return `.loop/config.yaml: written with ${ids.length ? ids.join(', ') : 'a first guard'} (edit the invariants)`;
}

// The lean mode's package.json step: `guardloop install` in the prepare script, added or already there.
export function leanPrepareStep(changed: boolean): string {
  return changed ? 'package.json: added `guardloop install` to the prepare script (sets core.hooksPath after `npm install` in a fresh clone)' : 'package.json: the prepare script already runs `guardloop install`';
}

// One committed hook script of the lean mode: written, rewritten from a newer template, or as it is.
export function leanHookStep(file: string, how: 'written' | 'updated' | 'there'): string {
  return how === 'there' ? `${file}: up to date` : `${file}: ${how}`;
}

// The step that pointed git at the lean mode's committed hooks.
export function hooksPathStep(path: string): string {
  return `git config core.hooksPath ${path} (every worktree of this repository uses it)`;
}

// The step that ran husky itself (the hook is live without `npm install`).
export const HUSKY_ACTIVATED = 'husky: installed the git hooks (core.hooksPath=.husky/_)';

// The step that set native `git notes merge` to combine records losslessly.
export function notesMergeStep(key: string): string {
  return `git config ${key} cat_sort_uniq`;
}

// One agent's step in `init --agent`: its hooks written, merged into its file, or already there.
export function agentHooksStep(file: string, how: 'written' | 'merged in' | 'there', events: readonly string[]): string {
  return how === 'there' ? `${file}: guardloop hooks already there` : `${file}: guardloop hooks ${how} (${events.join(', ')})`;
}

// `guardloop init` in a folder without package.json.
export function noPackageJson(root: string): string {
  return `guardloop init: no package.json in ${root}. Create one with \`npm init -y\`, install guardloop (\`npm install -D guardloop\`), then run \`npx guardloop init\` again.`;
}

// An agent's hooks file that init can't merge into (it is left unchanged); `detail` is one of the four below.
export function agentConfigUnreadable(file: string, detail: string): string {
  return `guardloop init: ${file}: ${detail}. Fix the file (it was not changed) and run \`guardloop init --agent …\` again.`;
}

// agentConfigUnreadable's detail: the file is not JSON.
export function notValidJson(parserMessage: string): string {
  return `not valid JSON (${parserMessage})`;
}

// agentConfigUnreadable's detail: the file is JSON but not an object.
export const NOT_A_JSON_OBJECT = 'not a JSON object';

// agentConfigUnreadable's detail: its `hooks` key is not an object.
export const HOOKS_NOT_AN_OBJECT = '`hooks` is not an object';

// agentConfigUnreadable's detail: one event under `hooks` is not a list.
export function hookEventNotAList(event: string): string {
  return `hooks.${event} is not a list`;
}

// Printed by `init --agent codex`: Codex skips a project hook until a person trusts it.
export const CODEX_TRUST =
  'Codex runs project hooks only in a trusted project and only after you trust the hook itself: open Codex in this repository and review and trust the guardloop hooks in .codex/hooks.json (editing the entry later un-trusts it).';

// Printed by `init --agent` when Claude Code's own cap is lower than agent.maxAttempts.
export function claudeCapNote(maxAttempts: number): string {
  return `agent.maxAttempts is ${maxAttempts}: Claude Code ends a turn by itself after about 8 consecutive stop blocks (CLAUDE_CODE_STOP_HOOK_BLOCK_CAP), before guardloop escalates; keep maxAttempts below it.`;
}

// ── The hook scripts (hooks/* templates); shell variables stand where a sentence names them ──────

// What is wrong where .loop/hooks/agent finds no guardloop binary, and its fix.
export const NOT_INSTALLED = 'guardloop is not installed in this worktree: run npm install';

// The block reason an agent gets from .loop/hooks/agent (it opens like guardloop's other hook-error reasons).
export const NOT_INSTALLED_REASON = `${HOOK_ERROR_PREFIX}: ${NOT_INSTALLED}`;

// A git hook found no guardloop binary in this worktree nor in the main one (the commit or push is stopped).
export function hookNotInstalled(hook: 'pre-commit' | 'pre-push'): string {
  return hook === 'pre-commit'
    ? 'guardloop: guardloop is not installed in this worktree, so the commit was stopped unchecked: run `npm install` here, then commit again (`GUARDLOOP=0 git commit` skips the guards; the commit then shows as unverified in `guardloop audit`).'
    : 'guardloop: guardloop is not installed in this worktree, so the push was stopped unchecked: run `npm install` here, then push again.';
}

// The post-commit hook found no guardloop binary: the commit stands, unverified.
export function commitUnverifiedNotInstalled(sha: string): string {
  return `guardloop: guardloop is not installed in this worktree, so commit ${sha} is unverified: run \`npm install\`, then \`guardloop verify ${sha}\`.`;
}

// .loop/hooks/agent blocked an agent's stop because guardloop is not installed (once per session).
export function agentNotInstalledBlocked(agent: string): string {
  return `guardloop (${agent} hook): ${NOT_INSTALLED}. The stop was blocked once this session; the next one is let through unchecked.`;
}

// .loop/hooks/agent let an agent's hook through because guardloop is not installed.
export function agentNotInstalledAllowed(agent: string): string {
  return `guardloop (${agent} hook): ${NOT_INSTALLED}. The agent's work was let through unchecked.`;
}

// ── guardloop install (the prepare script of the lean mode) ──────────────────────────────────────

// install set core.hooksPath (it was unset).
export function installSet(path: string): string {
  return `guardloop install: git config core.hooksPath ${path} — the git hooks in ${path} are live in every worktree of this repository.`;
}

// install found core.hooksPath already pointing at guardloop's hooks.
export function installAlready(path: string): string {
  return `guardloop install: core.hooksPath is already ${path}; nothing to change.`;
}

// install left core.hooksPath alone: it points at another tool's hooks.
export function installOtherTool(current: string, ours: string): string {
  return `guardloop install: core.hooksPath is ${current} (another tool's hooks), left as it is. To chain guardloop, call ${ours}/pre-commit, ${ours}/pre-merge-commit, ${ours}/post-commit and ${ours}/pre-push (with "$@", each line ending in "|| exit $?" so a refusal stops git) from the hooks in ${current}, or run \`git config core.hooksPath ${ours}\`.`;
}

// install left core.hooksPath unset: git's own hooks folder holds another tool's hooks, which it would switch off.
export function installOtherHooks(hooks: readonly string[], ours: string): string {
  return `guardloop install: .git/hooks holds other hooks (${hooks.join(', ')}); core.hooksPath left unset so they keep running. To chain guardloop, call ${ours}/pre-commit, ${ours}/pre-merge-commit, ${ours}/post-commit and ${ours}/pre-push (with "$@", each line ending in "|| exit $?") from them, or move them into ${ours} and run \`git config core.hooksPath ${ours}\`.`;
}

// install outside a git repository (e.g. `npm install` of a tarball): nothing to do.
export const INSTALL_NO_REPO = 'guardloop install: not in a git repository; nothing to do.';

// install under GUARDLOOP=0: nothing to do.
export const INSTALL_DISABLED = 'guardloop install: GUARDLOOP=0 is set; core.hooksPath left as it is.';

// install where the committed hooks are missing.
export function installNoHooks(path: string): string {
  return `guardloop install: ${path} holds no guardloop hooks; core.hooksPath left as it is. Run \`guardloop init\` to write them.`;
}

// install in a husky-mode project: husky runs the hooks (.loop/hooks holds none of them).
export function installHuskyMode(hooksPath: string | null): string {
  return `guardloop install: this project runs its git hooks through husky${hooksPath ? ` (core.hooksPath=${hooksPath})` : ''}, which runs guardloop's lines in .husky/<hook>; core.hooksPath left as it is (\`npx husky\` sets it, and the prepare script runs it after \`npm install\`).`;
}

// install set ℛ's lossless merge where it was unset (appended to install's line).
export const INSTALL_NOTES_MERGE = 'Also set git config notes.guardloop.mergeStrategy cat_sort_uniq (a native `git notes merge` of ℛ keeps every record).';

// init replaced an earlier guardloop's line in .husky/<hook> with the current body.
export function huskyHookReplaced(hook: string): string {
  return `.husky/${hook}: replaced an earlier guardloop's line (it failed with exit 127 in a worktree without node_modules)`;
}
