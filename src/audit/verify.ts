// `guardloop verify`: each commit's own guards run again on its tree in a clean temporary checkout
// (the engine's RunOptions.commit), the verdict recorded with hook verify (or ci) and compared with
// what ℛ already said about that tree.
import { configRevision } from '../engine/judge-commit.js';
import { run, type RunResult } from '../engine/run.js';
import { ConfigError } from '../errors/config-error.js';
import { git, gitRaw } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';

// Exit code of a verify or ci that found a recorded ACCEPTED verdict that didn't reproduce.
export const EXIT_NOT_REPRODUCIBLE = 4;

// What verify found for one commit: judged (the engine's result), nothing to judge it with (it
// predates guardloop), or a config that can't be loaded.
export type VerifyItem =
  | { commit: string; subject: string; kind: 'judged'; result: RunResult }
  | { commit: string; subject: string; kind: 'no-config' }
  | { commit: string; subject: string; kind: 'config-error'; detail: string };

// Who a verify's records are from: a CI job (CI=true, or GitHub Actions) or a person.
export function verifySource(env: NodeJS.ProcessEnv): 'CI' | 'HUMAN' {
  return env.CI === 'true' || env.CI === '1' || Boolean(env.GITHUB_ACTIONS) ? 'CI' : 'HUMAN';
}

// The commits REVs name, oldest first within a range (A..B); the REV that names nothing, if one does.
export async function resolveCommits(repo: Pick<RepoInfo, 'root'>, revs: string[]): Promise<{ commits: string[] } | { bad: string }> {
  const commits: string[] = [];
  for (const rev of revs) {
    if (rev.startsWith('-')) return { bad: rev };
    const args = rev.includes('..') ? ['rev-list', '--reverse', rev, '--'] : ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`];
    const res = await gitRaw(args, { cwd: repo.root, okCodes: [1, 128] });
    if (res.code !== 0) return { bad: rev };
    for (const c of res.stdout.toString('utf8').split('\n').filter(Boolean)) if (!commits.includes(c)) commits.push(c);
  }
  return { commits };
}

// The subject line of each commit (one git process).
export async function subjectsOf(repo: Pick<RepoInfo, 'root'>, commits: string[]): Promise<Map<string, string>> {
  if (!commits.length) return new Map();
  const out = await git(['log', '--no-walk=unsorted', '--format=%H%x00%s', ...commits, '--'], { cwd: repo.root });
  return new Map(out.split('\n').filter(Boolean).map((l) => l.split('\0') as [string, string]));
}

// What verifying one commit needs besides the commit.
export interface VerifyCommitOptions {
  repo: Pick<RepoInfo, 'root'>;
  subject: string;
  env: NodeJS.ProcessEnv;
  source: 'CI' | 'HUMAN';
  recordHook?: 'verify' | 'ci';
  signal?: AbortSignal;
}

// Runs one commit's own pre-commit guards on its tree and records the verdict.
export async function verifyCommit(commit: string, opts: VerifyCommitOptions): Promise<VerifyItem> {
  const { subject } = opts;
  if (!(await configRevision(opts.repo, commit))) return { commit, subject, kind: 'no-config' };
  try {
    const result = await run({ cwd: opts.repo.root, commit, hook: 'pre-commit', recordHook: opts.recordHook ?? 'verify', source: opts.source, env: opts.env, signal: opts.signal });
    return { commit, subject, kind: 'judged', result };
  } catch (e) {
    if (e instanceof ConfigError) return { commit, subject, kind: 'config-error', detail: e.message };
    throw e;
  }
}

// The exit code of a verify or ci: 4 when a recorded ACCEPTED didn't reproduce (it wins), 1 when a
// commit was REJECTED or couldn't be judged by its config, else 0.
export function verifyExitCode(items: VerifyItem[]): number {
  const judged = items.flatMap((i) => (i.kind === 'judged' ? [i.result] : []));
  if (judged.some((r) => r.reproduced?.outcome === 'not-reproducible')) return EXIT_NOT_REPRODUCIBLE;
  if (judged.some((r) => r.status === 'REJECTED') || items.some((i) => i.kind === 'config-error')) return 1;
  return 0;
}

// The counts the closing line reports.
export function verifyCounts(items: VerifyItem[]): { accepted: number; rejected: number; notReproducible: number; skipped: number } {
  const judged = items.flatMap((i) => (i.kind === 'judged' ? [i.result] : []));
  return {
    accepted: judged.filter((r) => r.status === 'ACCEPTED').length,
    rejected: judged.filter((r) => r.status === 'REJECTED').length + items.filter((i) => i.kind === 'config-error').length,
    notReproducible: judged.filter((r) => r.reproduced?.outcome === 'not-reproducible').length,
    skipped: items.filter((i) => i.kind === 'no-config').length,
  };
}
