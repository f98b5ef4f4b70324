import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { InterruptedError } from '../errors/interrupted-error.js';
import { indexHolds, modifiedFiles, stageFixes, type CandidateView } from '../git/candidate.js';
import { createTempCheckout, type TempCheckout } from '../git/checkout.js';
import { restoreFiles, sameContent } from '../git/fix.js';
import type { RepoInfo } from '../git/repo.js';
import { guardChangedIndex, guardCwdMissing, guardModifiedFiles } from '../messages/run.js';
import type { Verdict } from '../store/record.js';
import { guardEnv } from './environment.js';
import { executeGuard } from './execute.js';
import type { RunHook, SelectedGuard } from './select.js';

// Where the guards run: the user's work tree (in place) or a private checkout of the candidate
// (`tree`, as the run started: fixes are staged in the checkout's index, never moved into it).
export interface GuardSite {
  tree: string;
  view: CandidateView;
  isolated: boolean;
  checkout: TempCheckout | null;
}

// What the guards of one run need besides the candidate.
export interface GuardRunContext {
  repo: RepoInfo;
  config: Config;
  hook: RunHook;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  deadline?: number;
  onVerdict?: (verdict: Verdict, guard: SelectedGuard) => void;
}

// What fix guards have changed so far (the candidate tree after them), so an interrupted run can take it back.
export interface FixProgress {
  tree: string;
  fixedFiles: string[];
}

// The guards' verdicts in declaration order, the tree after fixes, and the work-tree files that
// changed under guards running in place (that run was dropped and redone in a private checkout).
export interface GuardsOutcome {
  verdicts: Verdict[];
  tree: string;
  fixedFiles: string[];
  drifted: string[];
}

// Groups guards into batches: consecutive read-only guards run together, a fix guard runs alone.
function batches(selected: SelectedGuard[], parallel: boolean): SelectedGuard[][] {
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

// Moves the rest of the run into a private checkout of the candidate as it stands.
async function isolate(ctx: GuardRunContext, site: GuardSite): Promise<void> {
  if (site.isolated) return;
  site.checkout = await createTempCheckout(ctx.repo, site.tree, ctx.config.link);
  site.view = { indexFile: site.checkout.indexFile, workTree: site.checkout.dir };
  site.isolated = true;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

// Replaces the private checkout with a fresh one of `tree` (the old one was changed beyond repair).
async function reisolate(ctx: GuardRunContext, site: GuardSite, tree: string): Promise<void> {
  await site.checkout?.remove();
  site.checkout = await createTempCheckout(ctx.repo, tree, ctx.config.link);
  site.view = { indexFile: site.checkout.indexFile, workTree: site.checkout.dir };
}

// Runs one batch where the site is and returns its verdicts (declaration order within the batch).
async function runBatch(ctx: GuardRunContext, site: GuardSite, batch: SelectedGuard[]): Promise<Verdict[]> {
  const out: Verdict[] = new Array(batch.length);
  await pool(
    batch.map((s, i) => [s, i] as const),
    Math.max(1, availableParallelism()),
    async ([s, i]) => {
      if (s.skip) {
        out[i] = { guard: s.guard.id, status: 'skipped', exit: null, ms: 0, feedback: 'no changed file matches its `files`' };
        return;
      }
      const cwd = join(site.view.workTree, s.guard.cwd);
      if (!isDirectory(cwd)) {
        out[i] = { guard: s.guard.id, status: 'error', exit: null, ms: 0, feedback: guardCwdMissing(s.guard.cwd, site.isolated) };
        return;
      }
      const res = await executeGuard({
        run: s.guard.run,
        files: s.files,
        cwd,
        env: guardEnv({ root: ctx.repo.root, hook: ctx.hook, guard: s.guard, configEnv: ctx.config.env, base: ctx.env }),
        timeoutMs: Math.max(1, Math.min(s.guard.timeout, ctx.deadline !== undefined ? ctx.deadline - Date.now() : Infinity)),
        outputLimit: ctx.config.limits.output,
        signal: ctx.signal,
      });
      out[i] = { guard: s.guard.id, status: res.status, exit: res.exit, ms: res.ms, feedback: res.output };
    },
  );
  return out;
}

// Runs the selected guards batch by batch. Fix guards never run in the user's work tree (what they
// write is told apart from what a person saves meanwhile only in a private checkout). Check-only
// guards run in place when the work tree equals the candidate; if any tracked file changed by the
// end of a batch (a person typing, an editor's autosave, a guard writing), guardloop touches none
// of it and redoes that batch and the rest in a private checkout, so no verdict is on changed content.
export async function runGuards(ctx: GuardRunContext, site: GuardSite, selected: SelectedGuard[], progress: FixProgress): Promise<GuardsOutcome> {
  const verdicts: Verdict[] = new Array(selected.length);
  const drifted: string[] = [];
  // The candidate after fixes (site.tree stays the candidate the run started from).
  let tree = site.tree;
  let reported = 0;
  let offset = 0;
  for (const batch of batches(selected, ctx.config.parallel)) {
    const ran = batch.filter((s) => !s.skip);
    if (ran.length && batch[0].guard.fix) await isolate(ctx, site);
    let found = await runBatch(ctx, site, batch);
    if (ctx.signal?.aborted) throw new InterruptedError();
    // In place the work tree is compared with the candidate tree itself, not the user's live index.
    let modified = ran.length ? await modifiedFiles(ctx.repo, site.view, site.isolated ? undefined : site.tree) : [];
    if (modified.length && !site.isolated) {
      const inPlace = site.view;
      await isolate(ctx, site);
      found = await runBatch(ctx, site, batch);
      if (ctx.signal?.aborted) throw new InterruptedError();
      const again = await modifiedFiles(ctx.repo, site.view);
      // A file the guard wrote the same way in the private copy holds the guard's bytes, nobody
      // else's: that one is put back. Every other change is a person's, and is left as saved.
      const guards = await sameContent(ctx.repo, inPlace.workTree, site.view.workTree, modified.filter((f) => again.includes(f)));
      if (guards.length) await restoreFiles(ctx.repo, inPlace, guards);
      drifted.push(...modified.filter((f) => !guards.includes(f) && !drifted.includes(f)));
      modified = again;
    }
    // A check-only guard that staged or unstaged something in the private checkout changed what a
    // later fix guard would build on: a failure, and the rest runs in a fresh checkout.
    if (site.isolated && ran.length && !batch[0].guard.fix && !(await indexHolds(ctx.repo, site.view, tree))) {
      for (const s of ran) {
        const v = found[batch.indexOf(s)];
        if (v.status === 'pass') v.status = 'fail';
        v.feedback += guardChangedIndex();
      }
      await reisolate(ctx, site, tree);
      modified = [];
    }
    if (modified.length && batch[0].guard.fix) {
      progress.fixedFiles.push(...modified.filter((f) => !progress.fixedFiles.includes(f)));
      tree = progress.tree = await stageFixes(ctx.repo, site.view, modified);
      found[0].modified = modified;
    } else if (modified.length) {
      // A check-only guard changed files of the private checkout: a failure, and the checkout is put back.
      const touched = batch.filter((s, i) => !s.skip && s.files?.some((f) => modified.includes(f)) && found[i]);
      for (const s of touched.length ? touched : ran) {
        const v = found[batch.indexOf(s)];
        v.modified = modified;
        if (v.status === 'pass') v.status = 'fail';
        v.feedback += guardModifiedFiles(modified);
      }
      await restoreFiles(ctx.repo, site.view, modified);
    }
    found.forEach((v, i) => (verdicts[offset + i] = v));
    offset += batch.length;
    while (reported < offset) ctx.onVerdict?.(verdicts[reported], selected[reported++]);
  }
  return { verdicts, tree, fixedFiles: progress.fixedFiles, drifted };
}
