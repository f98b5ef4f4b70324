import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { GitConfig } from '../git/config.js';
import type { RepoInfo } from '../git/repo.js';
import { guardCwdMissing, SKIPPED_NO_MATCH } from '../messages/run.js';
import { FAILURES_NOT_ALL_READ, passedOnRetry } from '../messages/failures.js';
import type { Verdict } from '../store/record.js';
import type { GuardSite } from './candidate.js';
import { guardEnv } from './environment.js';
import { executeGuard } from './execute.js';
import type { RunHook, SelectedGuard } from './select.js';

// What the guards of one run need besides the candidate.
export interface GuardRunContext {
  repo: RepoInfo;
  config: Config;
  hook: RunHook;
  // The commit the candidate is judged against (guards see it as GUARDLOOP_BASE); null: none.
  base: string | null;
  // Every parent of a commit judged again (a merge has more than one; guards see GUARDLOOP_PARENTS).
  parents?: string[];
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  deadline?: number;
  onVerdict?: (verdict: Verdict, guard: SelectedGuard) => void;
  // Guards in place: the stamp of the index file the candidate's tree was read from (indexStamp) and
  // git's configuration. A work tree that still matches that index is unchanged by the guards,
  // known without a git process (see git/worktree-match.ts).
  inPlace?: { stamp: string; config: GitConfig };
}

// Groups guards into batches: consecutive read-only guards run together, a fix guard runs alone.
export function batches(selected: SelectedGuard[], parallel: boolean): SelectedGuard[][] {
  const out: SelectedGuard[][] = [];
  for (const s of selected) {
    const last = out[out.length - 1];
    if (parallel && last && !s.guard.fix && !last[0].guard.fix) last.push(s);
    else out.push([s]);
  }
  return out;
}

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

// The main worktree's root of a linked worktree (the folder holding the common `.git`), else undefined.
function mainWorktree(repo: RepoInfo): string | undefined {
  return repo.gitDir !== repo.commonDir && basename(repo.commonDir) === '.git' ? dirname(repo.commonDir) : undefined;
}

// Runs one guard where the site is and returns its verdict.
async function runOne(ctx: GuardRunContext, site: GuardSite, s: SelectedGuard): Promise<Verdict> {
  if (s.skip) return { guard: s.guard.id, status: 'skipped', exit: null, ms: 0, feedback: SKIPPED_NO_MATCH };
  const cwd = join(site.view.workTree, s.guard.cwd);
  if (!isDirectory(cwd)) return { guard: s.guard.id, status: 'error', exit: null, ms: 0, feedback: guardCwdMissing(s.guard.cwd, site.isolated) };
  const once = () =>
    executeGuard({
      run: s.guard.run,
      files: s.files,
      cwd,
      env: guardEnv({ root: ctx.repo.root, mainRoot: mainWorktree(ctx.repo), hook: ctx.hook, guard: s.guard, configEnv: ctx.config.env, base: ctx.env, candidate: { base: ctx.base, tree: site.tree, parents: ctx.parents } }),
      timeoutMs: Math.max(1, Math.min(s.guard.timeout, ctx.deadline !== undefined ? ctx.deadline - Date.now() : Infinity)),
      outputLimit: ctx.config.limits.output,
      signal: ctx.signal,
    });
  let res = await once();
  // `retries:` a check-only guard's failure runs again before it counts (a fix guard's run changed files).
  const retries = s.guard.fix ? 0 : (s.guard.retries ?? 0);
  let attempts = 1;
  let ms = res.ms;
  const first = res;
  while (res.status === 'fail' && attempts <= retries && !ctx.signal?.aborted && (ctx.deadline === undefined || Date.now() < ctx.deadline)) {
    res = await once();
    attempts++;
    ms += res.ms;
  }
  const verdict: Verdict = { guard: s.guard.id, status: res.status, exit: res.exit, ms, feedback: res.output };
  if (attempts > 1) {
    verdict.attempts = attempts;
    if (res.status === 'pass') {
      verdict.flaky = true;
      verdict.feedback = passedOnRetry(attempts, first.exit, first.output) + res.output;
    }
  }
  // A failure is named by its ids (read only when a guard failed: the reader loads then).
  if (res.status === 'fail') {
    const ids = (await import('./failures.js')).failureIds(res.failureText?.text || res.output, s.guard.failures, [cwd, site.view.workTree]);
    // Past what is kept for reading, not every failure was read: the list says so, and tolerates nothing.
    verdict.failures = res.failureText?.cut ? [...ids, FAILURES_NOT_ALL_READ] : ids;
  }
  return verdict;
}

// Runs one batch where the site is and returns its verdicts (declaration order within the batch).
export async function runBatch(ctx: GuardRunContext, site: GuardSite, batch: SelectedGuard[]): Promise<Verdict[]> {
  const out: Verdict[] = new Array(batch.length);
  await pool(
    batch.map((s, i) => [s, i] as const),
    Math.max(1, availableParallelism()),
    async ([s, i]) => {
      out[i] = await runOne(ctx, site, s);
    },
  );
  return out;
}
