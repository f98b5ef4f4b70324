import type { InitResult } from '../setup/init-step.js';

// Wording of `guardloop init` and `init --agent`: each step it took, the report, the next steps.

// What `guardloop init` did, and the next steps a person takes.
export function initReport(result: InitResult): string {
  const lines = result.steps.map((s) => `  ${s.changed ? '+' : '='} ${s.what}`);
  const next = result.active
    ? ['Next:', '  1. Edit .loop/config.yaml: one guard per invariant you want enforced.', '  2. Commit: `git add -A && git commit` — the guards run on what you staged, and the verdict is recorded (`guardloop log`).']
    : [
        'Next:',
        '  1. Run `npm install` to install husky and activate the hook (the prepare script does it).',
        '  2. Edit .loop/config.yaml: one guard per invariant you want enforced.',
        '  3. Commit: the guards run on what you staged, and the verdict is recorded (`guardloop log`).',
      ];
  const changed = result.steps.some((s) => s.changed);
  return [`guardloop init in ${result.root}${changed ? '' : ': nothing to change'}`, ...lines, '', ...next].join('\n');
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
