import { join } from 'node:path';
import { InterruptedError } from '../errors/interrupted-error.js';
import { indexHolds, indexStamp, modifiedFiles, stageFixes } from '../git/candidate.js';
import { worktreeMatchesIndex } from '../git/worktree-match.js';
import { restoreFiles, sameContent } from '../git/fix.js';
import { GUARD_CHANGED_INDEX, guardModifiedFiles } from '../messages/run.js';
import type { Verdict } from '../store/record.js';
import { isolate, reisolate, type GuardSite } from './candidate.js';
import { batches, runBatch, type GuardRunContext } from './guard-batch.js';
import type { GuardReuse } from './guard-reuse.js';
import type { SelectedGuard } from './select.js';

// The guards' verdicts in declaration order, the tree after fixes, the files fix guards changed,
// the work-tree files that changed under guards running in place (that run was dropped and redone
// in a private checkout), and where the guards ended up running (the caller removes its checkout).
export interface GuardsOutcome<S extends GuardSite> {
  verdicts: Verdict[];
  tree: string;
  fixedFiles: string[];
  drifted: string[];
  site: S;
}

// What running the guards needs: the run's context, where they start, which guards, and the keys and
// reusable verdicts of those guards on the starting tree (see guard-reuse.ts; none: every guard runs).
export interface GuardsInput<S extends GuardSite> {
  ctx: GuardRunContext;
  site: S;
  selected: SelectedGuard[];
  reuse?: GuardReuse;
}

// One batch judged: its verdicts, where the run stands after it, the candidate tree after its fixes,
// the files its fix changed, and the files a person changed while it ran in place.
interface BatchOutcome<S extends GuardSite> {
  found: Verdict[];
  site: S;
  tree: string;
  fixed: string[];
  drifted: string[];
}

function interruptedCheck(ctx: GuardRunContext): void {
  if (ctx.signal?.aborted) throw new InterruptedError();
}

// Tracked files the guards changed where they ran (in place: compared with the candidate tree itself,
// not the user's live index). In place and unchanged is proven without a git process while the index
// the tree was read from still holds and the work tree matches it (worktreeMatchesIndex); else git says.
async function changedFiles(ctx: GuardRunContext, site: GuardSite): Promise<string[]> {
  const { repo, inPlace } = ctx;
  const { indexFile, workTree } = site.view;
  if (!site.isolated && inPlace) {
    const proven = worktreeMatchesIndex({ repo, workTree, indexFile: indexFile ?? join(repo.gitDir, 'index'), stamp: inPlace.stamp, stampNow: () => indexStamp(repo, indexFile), config: inPlace.config, env: ctx.env });
    if (proven) return [];
  }
  return modifiedFiles(repo, site.view, site.isolated ? undefined : site.tree);
}

// Runs one batch under the modified-files policy. `tree` is the candidate after earlier fixes.
async function judgeBatch<S extends GuardSite>(ctx: GuardRunContext, start: S, input: { batch: SelectedGuard[]; tree: string }): Promise<BatchOutcome<S>> {
  const { batch } = input;
  const { repo } = ctx;
  const link = ctx.config.link;
  const ran = batch.filter((s) => !s.skip);
  const fix = batch[0].guard.fix;
  let site = start;
  // A checkout made for this batch is removed here if the batch fails.
  try {
    if (ran.length && fix) site = await isolate({ repo, site, link });
    let tree = input.tree;
    const drifted: string[] = [];
    let found = await runBatch(ctx, site, batch);
    interruptedCheck(ctx);
    let modified = ran.length ? await changedFiles(ctx, site) : [];
    if (modified.length && !site.isolated) {
      const inPlace = site.view;
      site = await isolate({ repo, site, link });
      found = await runBatch(ctx, site, batch);
      interruptedCheck(ctx);
      const again = await modifiedFiles(repo, site.view);
      // A file the guard wrote the same way in the private copy holds the guard's bytes, nobody
      // else's: that one is put back. Every other change is a person's, and is left as saved.
      const guards = await sameContent(repo, { dirs: [inPlace.workTree, site.view.workTree], paths: modified.filter((f) => again.includes(f)) });
      if (guards.length) await restoreFiles(repo, inPlace, guards);
      drifted.push(...modified.filter((f) => !guards.includes(f)));
      modified = again;
    }
    // A check-only guard that staged or unstaged something in the private checkout changed what a
    // later fix guard would build on: a failure, and the rest runs in a fresh checkout.
    if (site.isolated && ran.length && !fix && !(await indexHolds(repo, site.view, tree))) {
      for (const s of ran) {
        const v = found[batch.indexOf(s)];
        if (v.status === 'pass') v.status = 'fail';
        v.feedback += GUARD_CHANGED_INDEX;
      }
      site = await reisolate({ repo, site, link, tree });
      modified = [];
    }
    if (modified.length && fix) {
      tree = await stageFixes(repo, site.view, modified);
      found[0].modified = modified;
      return { found, site, tree, fixed: modified, drifted };
    }
    if (modified.length) {
      // A check-only guard changed files of the private checkout: a failure, and the checkout is put back.
      const touched = batch.filter((s, i) => !s.skip && s.files?.some((f) => modified.includes(f)) && found[i]);
      for (const s of touched.length ? touched : ran) {
        const v = found[batch.indexOf(s)];
        v.modified = modified;
        if (v.status === 'pass') v.status = 'fail';
        v.feedback += guardModifiedFiles(modified);
      }
      await restoreFiles(repo, site.view, modified);
    }
    return { found, site, tree, fixed: [], drifted };
  } catch (e) {
    if (site.checkout && site.checkout !== start.checkout) await site.checkout.remove().catch(() => undefined);
    throw e;
  }
}

// Runs the selected guards batch by batch. Fix guards never run in the user's work tree (what they
// write is told apart from what a person saves meanwhile only in a private checkout). Check-only
// guards run in place when the work tree equals the candidate; if any tracked file changed by the
// end of a batch (a person typing, an editor's autosave, a guard writing), guardloop touches none
// of it and redoes that batch and the rest in a private checkout, so no verdict is on changed content.
// A checkout made here is removed here if the run fails; on success it is the outcome's site.
// Keys and reuse hold for the starting tree only: once a fix guard changed the tree, later guards
// run (their verdicts unkeyed), whatever was recorded for the tree before the fix.
export async function runGuards<S extends GuardSite>({ ctx, site: start, selected, reuse }: GuardsInput<S>): Promise<GuardsOutcome<S>> {
  const verdicts: Verdict[] = new Array(selected.length);
  const drifted: string[] = [];
  const fixedFiles: string[] = [];
  // The candidate after fixes (site.tree stays the candidate the run started from).
  let tree = start.tree;
  let site = start;
  let reported = 0;
  let offset = 0;
  try {
    for (const batch of batches(selected, ctx.config.parallel)) {
      const at = offset;
      const pristine = tree === start.tree;
      const reused = batch.map((_, i) => (pristine ? reuse?.reusable[at + i] : undefined));
      const toRun = batch.filter((_, i) => !reused[i]);
      const step = toRun.length ? await judgeBatch(ctx, site, { batch: toRun, tree }) : { found: [], site, tree, fixed: [], drifted: [] };
      ({ site, tree } = step);
      fixedFiles.push(...step.fixed.filter((f) => !fixedFiles.includes(f)));
      drifted.push(...step.drifted.filter((f) => !drifted.includes(f)));
      let ran = 0;
      batch.forEach((_, i) => {
        const key = pristine ? reuse?.keys[at + i] : undefined;
        const v = reused[i] ?? step.found[ran++];
        verdicts[at + i] = key && !v.reused ? { ...v, key } : v;
      });
      offset += batch.length;
      // The counter moves whether or not anyone listens (`?.` would skip an increment inside its arguments).
      for (; reported < offset; reported++) ctx.onVerdict?.(verdicts[reported], selected[reported]);
    }
  } catch (e) {
    if (site.checkout && site.checkout !== start.checkout) await site.checkout.remove().catch(() => undefined);
    throw e;
  }
  return { verdicts, tree, fixedFiles, drifted, site };
}
