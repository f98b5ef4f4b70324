import { InterruptedError } from '../errors/interrupted-error.js';
import { applyFixesToUser, revertFixes, type FixReport } from '../git/fix.js';
import type { RepoInfo } from '../git/repo.js';
import type { Candidate } from './candidate.js';

// What a run reports when no fix reached the user.
export const NO_FIXES: FixReport = { staged: [], applied: [], notApplied: [] };

// What carrying fixes back needs: the candidate, the tree after its fixes, the files they changed
// (none when the commit's index changed meanwhile: nothing is touched then) and the run's signal.
export interface FixesBackInput {
  repo: RepoInfo;
  site: Candidate;
  fixedTree: string;
  files: string[];
  signal?: AbortSignal;
}

// Fixes reach the user's index and working copy last, once the verdict is recorded, and are taken
// back if a signal came meanwhile (the commit is not made then). Until this step fixes exist only in
// the private checkout, so an interrupted run before it has nothing of the user's to put back.
export async function carryFixesBack({ repo, site, fixedTree, files, signal }: FixesBackInput): Promise<FixReport> {
  if (signal?.aborted) throw new InterruptedError();
  if (!files.length) return NO_FIXES;
  const report = await applyFixesToUser(repo, { cand: site, files, fixedTree });
  if (signal?.aborted) {
    await revertFixes(repo, { cand: site, fixedTree, files, report }).catch(() => undefined);
    throw new InterruptedError();
  }
  return report;
}
