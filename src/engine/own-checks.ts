import { indexStamp, indexTree } from '../git/candidate.js';
import { gitRaw } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';
import { STAGED_CHECK_RUN, STAGED_INVARIANT, stagedDuringRun } from '../messages/run.js';
import type { RecordV1, Verdict } from '../store/record.js';
import type { Candidate } from './candidate.js';
import { PROTECTED_SPEC } from './protect.js';
import type { RunHook, SelectedGuard } from './select.js';

// How a check guardloop makes itself is named in a record's spec.
export type OwnSpec = RecordV1['spec']['guards'][number];

// The pseudo-guard that records content staged while the guards ran (the run judged other content).
export const STAGED_GUARD = 'staged-content';
const STAGED_SPEC: OwnSpec = { id: STAGED_GUARD, invariant: STAGED_INVARIANT, layer: 'review', run: STAGED_CHECK_RUN };

// A check guardloop made itself: its failing verdict and the spec it is recorded under.
export interface OwnCheck {
  verdict: Verdict;
  spec: OwnSpec;
}

// A check guardloop makes itself, shaped as a selected guard for onVerdict.
function pseudoGuard(spec: OwnSpec): SelectedGuard {
  return { guard: { ...spec, on: [], files: undefined, timeout: 0, env: {}, cwd: '.', fix: false, enabled: true, source: 'guardloop' }, files: null, skip: false };
}

// A failing verdict when the index no longer holds the tree the guards judged, naming what changed.
// An index file with the stamp it had when the judged tree was read from it holds that tree still.
async function stagedSince(repo: RepoInfo, userIndex: string | undefined, judged: string, stamp: string | null): Promise<Verdict | null> {
  if (stamp !== null && indexStamp(repo, userIndex) === stamp) return null;
  const now = await indexTree(repo, userIndex);
  if (now === judged) return null;
  const changed = (await gitRaw(['diff-tree', '-r', '-z', '--name-only', '--no-renames', judged, now], { cwd: repo.root })).stdout.toString('utf8').split('\0').filter(Boolean);
  return { guard: STAGED_GUARD, status: 'error', exit: null, ms: 0, feedback: stagedDuringRun(changed) };
}

// What guardloop's own checks need: the protected-paths verdict found before the guards ran, and
// the candidate whose index must still hold the tree the guards judged.
export interface OwnChecksInput {
  repo: RepoInfo;
  hook: RunHook;
  site: Candidate;
  guarded: Verdict | null;
  onVerdict?: (verdict: Verdict, guard: SelectedGuard) => void;
}

// The failures of guardloop's own checks after the guards, reported in order: protected paths an
// agent changed, then content staged while the guards ran. `git commit` (without -a or paths) does
// not hold the index lock while its hook runs: content staged meanwhile would be committed unchecked.
export async function ownChecks({ repo, hook, site, guarded, onVerdict }: OwnChecksInput): Promise<{ checks: OwnCheck[]; restaged: boolean }> {
  const checks: OwnCheck[] = [];
  if (guarded) {
    checks.push({ verdict: guarded, spec: PROTECTED_SPEC });
    onVerdict?.(guarded, pseudoGuard(PROTECTED_SPEC));
  }
  const restaged = hook === 'stop' ? null : await stagedSince(repo, site.userIndex, site.tree, site.indexStamp);
  if (restaged) {
    checks.push({ verdict: restaged, spec: STAGED_SPEC });
    onVerdict?.(restaged, pseudoGuard(STAGED_SPEC));
  }
  return { checks, restaged: restaged !== null };
}
