// Wording of `guardloop status` about the git hooks, the binary, ℛ's settings, the flaky guards and the
// open bypass routes (the agents' lines are in messages/agents.ts and messages/trust.ts). Every problem
// names the command that closes it.
import type { FlakyGuard, FlakyReport } from '../audit/status-flaky.js';

// The heading of the git hooks: the folder git runs hooks from in this worktree, and why.
export function gitHooksHeading(dir: string, configured: string | null): string {
  if (configured === '') return 'Git hooks (this worktree): core.hooksPath is empty, so git runs no hook';
  return `Git hooks (this worktree): git runs hooks from ${dir}${configured === null ? ' (core.hooksPath unset)' : ` (core.hooksPath=${configured})`}`;
}

// One git hook's line: present, executable, calling guardloop.
export function gitHookLine(name: string, s: { file: string; present: boolean; executable: boolean; callsGuardloop: boolean }): string {
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  return `  ${name.padEnd(16)} ${s.file.padEnd(30)} present ${mark(s.present)}  executable ${mark(s.executable)}  calls guardloop ${mark(s.callsGuardloop)}`;
}

// Where this worktree's hooks find the guardloop binary.
export function binaryLine(path: string | null, where: 'worktree' | 'main' | null): string {
  if (!path) return '  guardloop binary: not found in this worktree nor the main one';
  return `  guardloop binary: ${path} (${where === 'worktree' ? 'this worktree' : 'the main worktree'})`;
}

// The heading of ℛ's settings.
export const SETTINGS_HEADING = 'ℛ (refs/notes/guardloop):';

// ℛ's native merge setting.
export function mergeStrategyLine(value: string | null): string {
  return `  notes.guardloop.mergeStrategy: ${value ?? '(unset)'}${value === 'cat_sort_uniq' ? ' ✓' : ' ✗'}`;
}

// Which remotes fetch ℛ (remote.*.fetch).
export function fetchLine(fetch: ReadonlyArray<{ remote: string; refspec: string }>): string {
  if (!fetch.length) return '  fetched by: no remote.*.fetch names refs/notes/guardloop (`guardloop sync` fetches and pushes it)';
  return `  fetched by: ${fetch.map((f) => `${f.remote} (${f.refspec})`).join(', ')}`;
}

// Whether the pre-push gate pushes ℛ along (sync.onPush); null: the config could not be read.
export function onPushLine(onPush: boolean | null): string {
  return `  sync.onPush: ${onPush === null ? '(config unreadable)' : String(onPush)}`;
}

// The window the flaky guards are read from (the constraint log's settings), as the heading says it.
function flakyWindow(r: Pick<FlakyReport, 'records' | 'window'>): string {
  return `the last ${r.records} record${r.records === 1 ? '' : 's'} of ℛ (at most constraints.idle.runs: ${r.window.runs}, within constraints.idle.period: ${r.window.days} days)`;
}

// The heading of the flaky guards, or the line saying there is none.
export function flakyHeading(r: FlakyReport): string {
  if (r.error) return `Flaky guards: unknown, ℛ could not be read (${r.error.split('\n')[0]}): run \`guardloop doctor\``;
  if (!r.guards.length && !r.records) return `Flaky guards: none known (ℛ holds no record of the last ${r.window.days} days, constraints.idle.period).`;
  if (!r.guards.length) return `Flaky guards: none in ${flakyWindow(r)}, nor known to the verdict index.`;
  return `Flaky guards (${r.guards.length}), from ${flakyWindow(r)} and the verdict index:`;
}

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

// One flaky guard: how it was seen and how often in the window, then the fix (the guard's line in the config).
export function flakyLine(f: FlakyGuard): string {
  const seen: string[] = [];
  if (f.bothWays) seen.push(`failed on inputs that also passed ${times(f.bothWays)}`);
  else if (f.known) seen.push('the verdict index holds the same inputs passed and failed, so its next failure is told to the agent as flaky');
  if (f.retried) seen.push(`passed only on a retry ${times(f.retried)}`);
  const at = f.place ? `at ${f.place}` : 'in .loop/config.yaml';
  const fix = f.retries
    ? `fix what makes it flaky (a shared port or file, timing, order): its \`retries: ${f.retries}\` ${at} only runs a failure again`
    : `fix what makes it flaky (a shared port or file, timing, order), or add \`retries: 2\` to guard ${f.guard} ${at} so a failure runs again before it counts`;
  return `  ~ ${f.guard}: ${seen.join('; ')}: ${fix}`;
}

// The heading of the open bypass routes.
export function problemsHeading(count: number): string {
  return `Bypass routes open (${count}):`;
}

// Said when nothing is off.
export const NO_PROBLEMS = 'No bypass route open: the hooks are live in this worktree and guardloop is installed.';

// One problem, indented under the heading.
export function problemLine(message: string): string {
  return `  ✗ ${message}`;
}

// ── The problems, each with its fix ──────────────────────────────────────────────────────────────

// Husky mode in a worktree without husky's (ignored) .husky/_ folder.
export function huskyDirMissing(dir: string): string {
  return `git runs hooks from ${dir}, which this worktree lacks (husky's .husky/_ is not committed), so no hook runs here: run \`npx husky\``;
}

// The lean hooks folder is missing.
export function leanDirMissing(dir: string): string {
  return `git runs hooks from ${dir}, which is missing in this worktree, so no hook runs here: run \`guardloop init\` and commit .loop/hooks`;
}

// core.hooksPath points at a folder that doesn't exist.
export function hooksDirMissing(dir: string): string {
  return `git runs hooks from ${dir}, which does not exist, so no hook runs here: run \`git config core.hooksPath .loop/hooks\` (then \`guardloop init\` if .loop/hooks is missing)`;
}

// core.hooksPath is unset while the committed lean hooks are there.
export const HOOKS_PATH_UNSET = 'core.hooksPath is unset, so git runs .git/hooks and not the committed .loop/hooks: run `guardloop install`';

// core.hooksPath set to the empty string: git runs no hook at all.
export const HOOKS_PATH_EMPTY = 'core.hooksPath is empty: git runs no hook, so commits and pushes go through unchecked and unrecorded: run `git config --unset core.hooksPath && guardloop install`';

// core.hooksPath unset and .git/hooks holds another tool's hooks (install leaves them running): one of
// them doesn't run guardloop's, or is missing.
export function defaultHookNotChained(hook: string, file: string, present: boolean): string {
  const what = present ? `${file} (another tool's hook) does not run guardloop` : `${file} is missing, and core.hooksPath stays unset while .git/hooks holds another tool's hooks (so they keep running)`;
  return `${hook}: ${what}: add the line \`.loop/hooks/${hook} "$@" || exit $?\` to ${file}${present ? '' : ' (a `#!/bin/sh` script, executable)'}, or move the other hooks into .loop/hooks and run \`git config core.hooksPath .loop/hooks\``;
}

// A husky hook file holds the line an earlier guardloop wrote (`guardloop run --hook …` alone).
export function hookOutdated(hook: string, file: string): string {
  return `${hook}: ${file} holds an earlier guardloop's line, which fails with exit 127 in a worktree without node_modules (a new \`git worktree\`): run \`guardloop init\``;
}

// husky's startup file (sourced by every husky hook) sets HUSKY=0, so husky runs no hook.
export function huskyDisabledByFile(file: string, line: number): string {
  return `${file} line ${line} sets HUSKY=0, and husky sources that file before every hook, so no hook runs (not even the post-commit one that notes skips): delete line ${line} of ${file}`;
}

// No guardloop hook installed at all (git's own hooks folder, nothing calling guardloop).
export function notInitialized(hook: string): string {
  return `${hook}: no guardloop hook is installed: run \`guardloop init\``;
}

// A hook file is missing from guardloop's hooks folder.
export function hookMissing(hook: string, file: string): string {
  return `${hook}: ${file} is missing, so git runs no ${hook} hook: run \`guardloop init\``;
}

// A hook file is not executable (git skips it with only a hint).
export function hookNotExecutable(hook: string, file: string): string {
  return `${hook}: ${file} is not executable, so git skips it: run \`chmod +x ${file}\``;
}

// A hook file of guardloop's folder doesn't call guardloop.
export function hookNotCalling(hook: string, file: string): string {
  return `${hook}: ${file} has no line that runs guardloop: run \`guardloop init\``;
}

// core.hooksPath points at another tool's hooks, whose hook doesn't chain guardloop.
export function otherToolHook(hook: string, file: string, configured: string): string {
  return `${hook}: core.hooksPath is ${configured} (another tool's hooks) and ${file} does not call guardloop: add \`.loop/hooks/${hook} "$@"\` to ${file}, or run \`git config core.hooksPath .loop/hooks\``;
}

// The binary is not installed in this worktree nor in the main one.
export const BINARY_MISSING = 'guardloop is not installed in this worktree nor the main one, so the hooks stop every commit and agents are let through unchecked: run `npm install`';

// HUSKY=0 in the environment (husky then runs no hook at all).
export const HUSKY_DISABLED = 'HUSKY=0 is set in this environment, so husky runs no hook, not even the post-commit one that notes skips: run `unset HUSKY`';

// GUARDLOOP=0 in the environment.
export const GUARDLOOP_DISABLED = 'GUARDLOOP=0 is set in this environment, so every guard is skipped (each commit is noted SKIPPED): run `unset GUARDLOOP`';

// An agent's config holds guardloop's hooks but not all of them.
export function agentIncomplete(agent: string, file: string): string {
  return `${agent}: ${file} lacks some of guardloop's hooks, so the agent can finish unchecked: run \`guardloop init --agent ${agent}\``;
}

// An agent's hook command calls node_modules/.bin/guardloop directly (exit 127 in a worktree without it).
export function agentDirect(agent: string, file: string): string {
  return `${agent}: ${file} calls node_modules/.bin/guardloop directly, which fails with exit 127 in a worktree without node_modules and lets the agent stop unchecked: run \`guardloop init --agent ${agent}\``;
}

// The agents' launcher is missing or not executable.
export function launcherMissing(agents: readonly string[], file: string): string {
  return `${file} is missing or not executable, so ${agents.join(', ')} cannot run guardloop's hooks: run \`guardloop init --agent ${agents.join(',')}\``;
}

// An agent's config can't be read.
export function agentUnreadable(agent: string, file: string, error: string): string {
  return `${agent}: ${file} can't be read (${error}), so the agent runs none of guardloop's hooks: fix the file, then run \`guardloop init --agent ${agent}\``;
}

// Shown under copilot when ~/.copilot/config.json trusts neither this folder nor one above it (nor,
// for a linked worktree, its main worktree): Copilot CLI then skips the repository's hooks silently.
export function copilotFolderUntrusted(file: string, folder: string): string {
  return `this folder is not trusted in GitHub Copilot CLI (${file} lists neither it nor a folder above it in "trustedFolders"), so Copilot CLI skips the repository's hooks silently: start \`copilot\` here once and choose to remember the folder when it asks to trust it, or add "${folder}" to "trustedFolders" in ${file} (or run Copilot CLI with COPILOT_ALLOW_ALL=true)`;
}

// Shown under copilot when its config.json is not JSON (comment lines aside): its trusted folders can't be read.
export function copilotConfigUnreadable(file: string, reason: string): string {
  return `${file} could not be read as JSON (${reason}), so guardloop can't tell whether Copilot CLI trusts this folder: fix the file (Copilot CLI rewrites it when it next saves a setting), then start \`copilot\` here and trust the folder`;
}

// An agent won't run the hooks until a person trusts them; `detail` holds the fix (messages/trust.ts).
export function agentUntrusted(agent: string, detail: string): string {
  return `${agent}: ${detail}`;
}

// ℛ's native merge is not the lossless one.
export function mergeStrategyOff(value: string | null): string {
  return `notes.guardloop.mergeStrategy is ${value ?? 'unset'}, so a native \`git notes merge\` can lose records: run \`git config notes.guardloop.mergeStrategy cat_sort_uniq\``;
}

// The config can't be read (sync.onPush unknown; the hooks fail too).
export function configUnreadable(message: string): string {
  return `.loop/config.yaml can't be used, so every hook fails: ${message.split('\n')[0]} (\`guardloop run\` shows every problem)`;
}
