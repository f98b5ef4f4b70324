import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findPackageDir } from '../config/package-dir.js';
import { NoPackageJsonError } from '../errors/no-package-json-error.js';
import { git, gitRaw } from '../git/git.js';
import { discoverRepo } from '../git/repo.js';
import type { AgentName } from '../agents/types.js';
import { starterConfigText, starterGuards } from './starter-config.js';
import { CONFIG_KEPT, configWritten, HUSKY_ACTIVATED, huskyHookStep, notesMergeStep, packageJsonStep } from '../messages/setup.js';
import type { InitResult, InitStep } from './init-step.js';

export interface InitOptions {
  cwd?: string;
  // Agents whose project hook config gets guardloop's stop (and edit) hooks merged in.
  agents?: AgentName[];
}

// What init did and what is left to do (declared in init-step.ts, which src/messages reads).
export type { InitResult, InitStep };

const HUSKY_RANGE = '^9.1.7';

interface PackageJson {
  scripts?: Record<string, string>;
  devDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

// Adds husky and its `prepare` script to package.json, keeping the file's indentation.
async function ensurePackageJson(root: string, steps: InitStep[]): Promise<PackageJson> {
  const file = join(root, 'package.json');
  if (!existsSync(file)) {
    throw new NoPackageJsonError(root);
  }
  const text = await readFile(file, 'utf8');
  const pkg = JSON.parse(text) as PackageJson;
  const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
  let changed = false;
  if (!pkg.devDependencies?.husky && !pkg.dependencies?.husky) {
    pkg.devDependencies = { ...pkg.devDependencies, husky: HUSKY_RANGE };
    changed = true;
  }
  pkg.scripts ??= {};
  const prepare = pkg.scripts.prepare;
  if (!prepare) {
    pkg.scripts.prepare = 'husky';
    changed = true;
  } else if (!/\bhusky\b/.test(prepare)) {
    pkg.scripts.prepare = `${prepare} && husky`;
    changed = true;
  }
  if (changed) await writeFile(file, `${JSON.stringify(pkg, null, indent)}\n`);
  steps.push({ what: packageJsonStep(changed), changed });
  return pkg;
}

// Writes (or appends to) `.husky/<hook>` the lines of the package's hooks/<hook> template.
async function ensureHuskyHook(root: string, hook: string, steps: InitStep[]): Promise<void> {
  const template = (await readFile(join(findPackageDir(), 'hooks', hook), 'utf8')).trimEnd();
  const command = template.split('\n').find((l) => l.trim() && !l.startsWith('#'))!;
  const file = join(root, '.husky', hook);
  await mkdir(join(root, '.husky'), { recursive: true });
  const current = existsSync(file) ? await readFile(file, 'utf8') : null;
  if (current?.includes(command)) {
    steps.push({ what: huskyHookStep(hook, 'there'), changed: false });
    return;
  }
  const next = current === null ? `${template}\n` : `${current.replace(/\n*$/, '\n')}\n${template}\n`;
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

// `guardloop init`: husky + its prepare script, the pre-commit hook, a starter config. Idempotent.
export async function init(opts: InitOptions = {}): Promise<InitResult> {
  const repo = await discoverRepo(opts.cwd ?? process.cwd());
  const steps: InitStep[] = [];
  const pkg = await ensurePackageJson(repo.root, steps);
  await ensureHuskyHook(repo.root, 'pre-commit', steps);
  await ensureConfig(repo.root, pkg, steps);
  await ensureNotesMerge(repo.root, steps);
  const active = await activateHusky(repo.root, steps);
  const notices = opts.agents?.length ? await installAgentHooks(repo.root, opts.agents, steps) : [];
  return { root: repo.root, steps, active, notices };
}
