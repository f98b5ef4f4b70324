import { statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { recentHookErrors } from '../agents/on-error.js';
import { codexTrust, copilotTrust, geminiTrust, type AgentTrust } from '../agents/trust.js';
import { AGENT_NAMES, type AgentName } from '../agents/types.js';
import { readUnrecorded, type UnrecordedVerdict } from '../engine/unrecorded.js';
import { git } from '../git/git.js';
import { discoverRepo } from '../git/repo.js';
import { openRepository } from '../store/repository.js';
import {
  agentDirect,
  agentIncomplete,
  agentUnreadable,
  agentUntrusted,
  configUnreadable,
  GUARDLOOP_DISABLED,
  HUSKY_DISABLED,
  huskyDisabledByFile,
  launcherMissing,
  mergeStrategyOff,
} from '../messages/status.js';
import { gitHookProblems, gitHooksStatus, type GitHooksStatus, type StatusProblem } from './git-hooks-status.js';
import { auditSettings } from './settings.js';
import { flakyGuards, type FlakyReport } from './status-flaky.js';

// What status reads of one agent's project config (setup's agentHookStatus; see StatusOptions).
export interface AgentHookFacts {
  file: string;
  exists: boolean;
  stop: boolean;
  tool: boolean | null;
  launcher?: boolean | null;
  error?: string;
}

export interface StatusOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  // Reads an agent's hook config and tells guardloop's handlers: setup owns the layouts, and sits
  // beside audit rather than below it, so the caller (the CLI) passes them in.
  agentHooks: (root: string, agent: AgentName) => Promise<AgentHookFacts>;
  isGuardloopHandler: (handler: unknown) => boolean;
}

// Everything `guardloop status` reports; `problems` lists the open bypass routes, each with its fix.
export interface StatusReport {
  root: string;
  git: GitHooksStatus;
  agents: Array<AgentHookFacts & { agent: AgentName; trust?: AgentTrust }>;
  launcher: { file: string; executable: boolean };
  notes: { mergeStrategy: string | null };
  sync: { fetch: Array<{ remote: string; refspec: string }>; onPush: boolean | null };
  env: { HUSKY: string | null; GUARDLOOP: string | null };
  problems: StatusProblem[];
  ok: boolean;
  openChains: number;
  errors: Array<Record<string, unknown>>;
  unrecorded: UnrecordedVerdict[];
  // Guards that passed and failed on the same inputs, or passed on a retry, in a window of ℛ (not a bypass
  // route: `ok` and the exit code don't count them).
  flaky: FlakyReport;
}

const LAUNCHER = '.loop/hooks/agent';

function isExecutable(file: string): boolean {
  try {
    return (statSync(file).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

// The remotes whose fetch refspecs bring ℛ in.
async function notesFetch(root: string): Promise<StatusReport['sync']['fetch']> {
  const out = await git(['config', '--get-regexp', '^remote\\..*\\.fetch$'], { cwd: root, okCodes: [1] });
  return out
    .split('\n')
    .filter((l) => l.includes('refs/notes/guardloop'))
    .map((l) => {
      const [key, refspec = ''] = l.split(' ');
      return { remote: key.replace(/^remote\./, '').replace(/\.fetch$/, ''), refspec };
    });
}

// Verdicts noted as unrecorded that are still not in ℛ (a later write may have restored them).
async function stillUnrecorded(root: string, repo: Awaited<ReturnType<typeof discoverRepo>>): Promise<UnrecordedVerdict[]> {
  const noted = await readUnrecorded(repo.commonDir);
  if (!noted.length) return [];
  const repository = await openRepository({ cwd: root, dirs: repo });
  const out: UnrecordedVerdict[] = [];
  try {
    for (const u of noted) if (!(await repository.byTree(u.tree).catch(() => [])).some((r) => r.id === u.id)) out.push(u);
  } finally {
    await repository.close();
  }
  return out;
}

// The flaky guards (status-flaky.ts); when ℛ can't be read, none are listed and the heading says why.
async function flakyOf(repo: Awaited<ReturnType<typeof discoverRepo>>): Promise<FlakyReport> {
  let repository: Awaited<ReturnType<typeof openRepository>> | null = null;
  try {
    repository = await openRepository({ cwd: repo.root, dirs: repo });
    return await flakyGuards(repo, repository);
  } catch (e) {
    return { records: 0, window: { runs: 0, days: 0 }, guards: [], error: e instanceof Error ? e.message : String(e) };
  } finally {
    await repository?.close();
  }
}

// The startup file husky 9 sources before every hook (its `h` script: `${XDG_CONFIG_HOME:-$HOME/.config}/husky/init.sh`;
// `~/.huskyrc` only earns a deprecation warning) and the line of it that sets HUSKY=0, which turns every hook off.
async function huskyStartupProblems(env: NodeJS.ProcessEnv): Promise<StatusProblem[]> {
  const base = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, '.config') : null);
  if (!base) return [];
  const file = join(base, 'husky', 'init.sh');
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /(^|[\s;&|])(export\s+)?HUSKY=(["']?)0\3(?=$|[\s;&|])/.test(l.replace(/(^|\s)#.*$/, '')));
  return at < 0 ? [] : [{ route: 'husky-startup-disabled', message: huskyDisabledByFile(file, at + 1) }];
}

// The agents' problems: installed but incomplete, going around the launcher, unreadable, untrusted.
function agentProblems(agents: StatusReport['agents'], launcher: StatusReport['launcher']): StatusProblem[] {
  const out: StatusProblem[] = [];
  const installed = agents.filter((a) => a.error || (a.exists && (a.stop || a.tool)));
  for (const a of installed) {
    if (a.error) out.push({ route: 'agent-config', message: agentUnreadable(a.agent, a.file, a.error) });
    else if (!a.stop || a.tool === false) out.push({ route: 'agent-hooks-missing', message: agentIncomplete(a.agent, a.file) });
    else if (a.launcher === false) out.push({ route: 'agent-direct-binary', message: agentDirect(a.agent, a.file) });
    if (a.trust?.trusted === false) out.push({ route: 'agent-untrusted', message: agentUntrusted(a.agent, a.trust.detail) });
  }
  const viaLauncher = installed.filter((a) => a.launcher).map((a) => a.agent);
  if (viaLauncher.length && !launcher.executable) out.push({ route: 'agent-launcher-missing', message: launcherMissing(viaLauncher, launcher.file) });
  return out;
}

// `guardloop status`: are the git hooks live in this worktree, can they start guardloop, are the
// agents' hooks installed (and trusted), ℛ's merge and sync settings, and which bypass routes are open.
export async function status(opts: StatusOptions): Promise<StatusReport> {
  const env = opts.env ?? process.env;
  const repo = await discoverRepo(opts.cwd ?? process.cwd(), env);
  const hooks = await gitHooksStatus(repo);
  // Read while the rest is gathered (its git and the config's reads overlap theirs).
  const flaky = flakyOf(repo);
  const agents = await Promise.all(
    AGENT_NAMES.map(async (agent) => {
      const facts = await opts.agentHooks(repo.root, agent);
      // Installed hooks an agent won't run until a person trusts them (Codex: project + hook; Gemini CLI
      // and Copilot CLI: folder, for Copilot CLI this worktree's or the main worktree's).
      let trust: AgentTrust | undefined;
      if (facts.stop && agent === 'codex') trust = await codexTrust(repo.root, env, opts.isGuardloopHandler);
      if (facts.stop && agent === 'gemini') trust = await geminiTrust(repo.root, env);
      if (facts.stop && agent === 'copilot') trust = await copilotTrust(basename(repo.commonDir) === '.git' ? [repo.root, dirname(repo.commonDir)] : [repo.root], env);
      return { agent, ...facts, ...(trust ? { trust } : {}) };
    }),
  );
  const launcher = { file: LAUNCHER, executable: isExecutable(join(repo.root, LAUNCHER)) };
  const mergeStrategy = (await git(['config', '--get', 'notes.guardloop.mergeStrategy'], { cwd: repo.root, okCodes: [1] })) || null;
  const problems = gitHookProblems(hooks, repo.root);
  let onPush: boolean | null = null;
  try {
    onPush = (await auditSettings(repo.root, env)).onPush;
  } catch (e) {
    problems.push({ route: 'config', message: configUnreadable((e as Error).message) });
  }
  if (hooks.kind === 'husky' && env.HUSKY === '0') problems.push({ route: 'env-husky', message: HUSKY_DISABLED });
  if (hooks.kind === 'husky') problems.push(...(await huskyStartupProblems(env)));
  if (env.GUARDLOOP === '0') problems.push({ route: 'env-guardloop', message: GUARDLOOP_DISABLED });
  problems.push(...agentProblems(agents, launcher));
  if (mergeStrategy !== 'cat_sort_uniq') problems.push({ route: 'notes-merge', message: mergeStrategyOff(mergeStrategy) });
  const chains = await readdir(join(repo.commonDir, 'guardloop', 'chains')).catch(() => [] as string[]);
  return {
    root: repo.root,
    git: hooks,
    agents,
    launcher,
    notes: { mergeStrategy },
    sync: { fetch: await notesFetch(repo.root), onPush },
    env: { HUSKY: env.HUSKY ?? null, GUARDLOOP: env.GUARDLOOP ?? null },
    problems,
    ok: problems.length === 0,
    openChains: chains.filter((f) => !f.endsWith('.tmp')).length,
    errors: await recentHookErrors(repo.commonDir),
    unrecorded: await stillUnrecorded(repo.root, repo),
    flaky: await flaky,
  };
}
