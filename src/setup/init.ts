import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NoPackageJsonError } from '../errors/no-package-json-error.js';
import { git, gitRaw } from '../git/git.js';
import { discoverRepo } from '../git/repo.js';
import type { AgentName } from '../agents/types.js';
import { starterConfigText, starterGuards } from './starter-config.js';
import { CONFIG_KEPT, configWritten, HUSKY_ACTIVATED, hooksPathStep, huskyHookStep, leanHookStep, leanPrepareStep, notesMergeStep, packageJsonStep } from '../messages/setup.js';
import type { HookMode, HookModeWhy, InitResult, InitStep } from './init-step.js';
import { huskyHookReplaced } from '../messages/setup.js';
import { callsGuardloop, GIT_HOOKS, hookBody, hookScript, LEAN_HOOKS_DIR, replaceOldHuskyLine, type GitHookName } from './hook-scripts.js';
import { install } from './install.js';

export interface InitOptions {
  cwd?: string;
  // Agents whose project hook config gets guardloop's stop (and edit) hooks merged in.
  agents?: AgentName[];
}

// What init did and what is left to do (declared in init-step.ts, which src/messages reads).
export type { HookMode, HookModeWhy, InitResult, InitStep };

const HUSKY_RANGE = '^9.1.7';

interface PackageJson {
  scripts?: Record<string, string>;
  devDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

// package.json, parsed, with the indentation to write it back in (NoPackageJsonError when there is none).
async function readPackageJson(root: string): Promise<{ pkg: PackageJson; indent: string }> {
  const file = join(root, 'package.json');
  if (!existsSync(file)) {
    throw new NoPackageJsonError(root);
  }
  const text = await readFile(file, 'utf8');
  return { pkg: JSON.parse(text) as PackageJson, indent: /^[ \t]+/m.exec(text)?.[0] ?? '  ' };
}

// Lean unless the project already uses husky (a husky dependency or a .husky/ folder): then husky.
function chooseMode(root: string, pkg: PackageJson): { mode: HookMode; why: HookModeWhy } {
  if (pkg.devDependencies?.husky || pkg.dependencies?.husky) return { mode: 'husky', why: 'husky-dependency' };
  if (existsSync(join(root, '.husky'))) return { mode: 'husky', why: 'husky-folder' };
  return { mode: 'lean', why: 'no-husky' };
}

// Appends `command` to the prepare script unless `present` finds it there; returns whether it changed.
function ensurePrepare(pkg: PackageJson, command: string, present: RegExp): boolean {
  pkg.scripts ??= {};
  const prepare = pkg.scripts.prepare;
  if (!prepare) pkg.scripts.prepare = command;
  else if (!present.test(prepare)) pkg.scripts.prepare = `${prepare} && ${command}`;
  else return false;
  return true;
}

// Husky mode: adds husky and its `prepare` script to package.json, keeping the file's indentation.
async function ensureHuskyPackageJson(root: string, pkg: PackageJson, indent: string, steps: InitStep[]): Promise<void> {
  let changed = false;
  if (!pkg.devDependencies?.husky && !pkg.dependencies?.husky) {
    pkg.devDependencies = { ...pkg.devDependencies, husky: HUSKY_RANGE };
    changed = true;
  }
  changed = ensurePrepare(pkg, 'husky', /\bhusky\b/) || changed;
  if (changed) await writeFile(join(root, 'package.json'), `${JSON.stringify(pkg, null, indent)}\n`);
  steps.push({ what: packageJsonStep(changed), changed });
}

// Lean mode: `guardloop install` in the prepare script, so a fresh clone's `npm install` sets core.hooksPath.
async function ensureLeanPackageJson(root: string, pkg: PackageJson, indent: string, steps: InitStep[]): Promise<void> {
  const changed = ensurePrepare(pkg, 'guardloop install', /\bguardloop install\b/);
  if (changed) await writeFile(join(root, 'package.json'), `${JSON.stringify(pkg, null, indent)}\n`);
  steps.push({ what: leanPrepareStep(changed), changed });
}

// Lean mode: writes one generated script into .loop/hooks (executable), or finds it up to date.
async function ensureLeanScript(root: string, name: GitHookName | 'agent', steps: InitStep[]): Promise<void> {
  const rel = `${LEAN_HOOKS_DIR}/${name}`;
  const file = join(root, rel);
  const text = await hookScript(name);
  const current = existsSync(file) ? await readFile(file, 'utf8') : null;
  const executable = current !== null && ((await stat(file)).mode & 0o111) !== 0;
  if (current === text && executable) {
    steps.push({ what: leanHookStep(rel, 'there'), changed: false });
    return;
  }
  await mkdir(join(root, LEAN_HOOKS_DIR), { recursive: true });
  await writeFile(file, text);
  await chmod(file, 0o755);
  steps.push({ what: leanHookStep(rel, current === null ? 'written' : 'updated'), changed: true });
}

// Lean mode: points core.hooksPath at .loop/hooks (as `guardloop install` does); whether the hooks are live.
async function activateLean(root: string, steps: InitStep[]): Promise<{ active: boolean; blockedBy?: 'other-tool' | 'other-hooks' }> {
  const result = await install({ cwd: root, env: { ...process.env, GUARDLOOP: undefined } });
  if (result.action === 'set') steps.push({ what: hooksPathStep(LEAN_HOOKS_DIR), changed: true });
  else if (result.action !== 'already') steps.push({ what: result.message, changed: false });
  const blocked = result.action === 'other-tool' || result.action === 'other-hooks' ? result.action : undefined;
  return { active: result.action === 'set' || result.action === 'already', ...(blocked ? { blockedBy: blocked } : {}) };
}

// Husky mode: writes (or appends to) `.husky/<hook>` the body of the package's hooks/<hook> template;
// an earlier guardloop's line there is replaced by that body.
async function ensureHuskyHook(root: string, hook: GitHookName, steps: InitStep[]): Promise<void> {
  const body = await hookBody(hook);
  const file = join(root, '.husky', hook);
  await mkdir(join(root, '.husky'), { recursive: true });
  const current = existsSync(file) ? await readFile(file, 'utf8') : null;
  const replaced = current === null ? null : replaceOldHuskyLine(current, body);
  if (replaced !== null) {
    await writeFile(file, replaced.endsWith('\n') ? replaced : `${replaced}\n`);
    await chmod(file, 0o755);
    steps.push({ what: huskyHookReplaced(hook), changed: true });
    return;
  }
  if (current !== null && callsGuardloop(current, hook)) {
    steps.push({ what: huskyHookStep(hook, 'there'), changed: false });
    return;
  }
  const next = current === null ? `${body}\n` : `${current.replace(/\n*$/, '\n')}\n${body}\n`;
  await writeFile(file, next);
  await chmod(file, 0o755);
  steps.push({ what: huskyHookStep(hook, current === null ? 'created' : 'appended'), changed: true });
}

// Writes a starter `.loop/config.yaml` unless one exists.
async function ensureConfig(root: string, pkg: PackageJson, steps: InitStep[]): Promise<void> {
  const file = join(root, '.loop', 'config.yaml');
  if (existsSync(file)) {
    steps.push({ what: CONFIG_KEPT, changed: false });
    return;
  }
  await mkdir(join(root, '.loop'), { recursive: true });
  const guards = starterGuards(root, pkg.scripts ?? {});
  await writeFile(file, starterConfigText(guards));
  steps.push({ what: configWritten(guards.map((g) => g.id)), changed: true });
}

// Makes the hook live now when husky is already installed (otherwise `npm install` will, via prepare).
async function activateHusky(root: string, steps: InitStep[]): Promise<boolean> {
  const hooksPath = await git(['config', '--get', 'core.hooksPath'], { cwd: root, okCodes: [1] });
  if (hooksPath === '.husky/_' && existsSync(join(root, '.husky', '_', 'h'))) return true;
  const bin = join(root, 'node_modules', 'husky', 'bin.js');
  if (!existsSync(bin)) return false;
  const res = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [bin], { cwd: root, stdio: 'ignore' });
    child.on('close', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
  steps.push({ what: HUSKY_ACTIVATED, changed: res === 0 });
  return res === 0;
}

// Lets native `git notes merge` combine two clones' records losslessly (one record per line).
async function ensureNotesMerge(root: string, steps: InitStep[]): Promise<void> {
  const key = 'notes.guardloop.mergeStrategy';
  const current = (await gitRaw(['config', '--get', key], { cwd: root, okCodes: [1] })).stdout.toString().trim();
  if (current === 'cat_sort_uniq') return;
  await git(['config', key, 'cat_sort_uniq'], { cwd: root });
  steps.push({ what: notesMergeStep(key), changed: true });
}

// Merges the agents' stop and edit hooks into their project configs (see install-agents.ts).
async function installAgentHooks(root: string, agents: AgentName[], steps: InitStep[]): Promise<string[]> {
  const { installAgent } = await import('./install-agents.js');
  const { loadConfig } = await import('../config/load.js');
  const maxAttempts = (await loadConfig({ root }).catch(() => null))?.config?.agent.maxAttempts ?? 5;
  for (const agent of agents) steps.push(await installAgent(root, agent, maxAttempts));
  const { CODEX_TRUST, claudeCapNote } = await import('../messages/setup.js');
  return [...(agents.includes('codex') ? [CODEX_TRUST] : []), ...(agents.includes('claude') && maxAttempts >= 8 ? [claudeCapNote(maxAttempts)] : [])];
}

// `guardloop init`: the git hooks (lean: committed .loop/hooks + core.hooksPath; husky: lines in
// .husky/<hook>), a starter config, ℛ's merge setting, and the agents' hooks when asked. Idempotent.
export async function init(opts: InitOptions = {}): Promise<InitResult> {
  const repo = await discoverRepo(opts.cwd ?? process.cwd());
  const steps: InitStep[] = [];
  const { pkg, indent } = await readPackageJson(repo.root);
  const { mode, why } = chooseMode(repo.root, pkg);
  if (mode === 'husky') {
    await ensureHuskyPackageJson(repo.root, pkg, indent, steps);
    for (const hook of GIT_HOOKS) await ensureHuskyHook(repo.root, hook, steps);
  } else {
    await ensureLeanPackageJson(repo.root, pkg, indent, steps);
    for (const hook of GIT_HOOKS) await ensureLeanScript(repo.root, hook, steps);
  }
  if (mode === 'lean' || opts.agents?.length) await ensureLeanScript(repo.root, 'agent', steps);
  await ensureConfig(repo.root, pkg, steps);
  await ensureNotesMerge(repo.root, steps);
  const lean = mode === 'husky' ? { active: await activateHusky(repo.root, steps) } : await activateLean(repo.root, steps);
  const notices = opts.agents?.length ? await installAgentHooks(repo.root, opts.agents, steps) : [];
  return { root: repo.root, mode, modeWhy: why, steps, ...lean, notices };
}
