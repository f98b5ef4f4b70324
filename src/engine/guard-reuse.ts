// Per-guard reuse (issue 13, "run only what changed"): when the whole-tree cache missed, each
// check-only guard whose key matches a recorded `pass` of the same key is not run; the recorded
// verdict stands for it, marked with the record it came from. Only passes are reused: a failure runs
// again, because what usually changes between two runs on the same inputs is outside the tree (an
// install, a service, a flaky test), the whole-tree cache never serves a REJECTED either, and a
// re-run failure is what tells a flaky guard from a broken one.
//
// Nothing is computed when nothing can be reused: a guard's key is computed only when the verdict
// index already knows its definition (an earlier run of it was indexed), and the one `git ls-tree`
// that globbed keys need runs only then. So a definition's first run indexes it, its next run records
// keys, and the runs after that can reuse (a deleted index starts that over).
import type { Config } from '../config/schema.js';
import type { RepoInfo } from '../git/repo.js';
import type { RecordV1, Verdict } from '../store/record.js';
import type { Repository } from '../store/types.js';
import { appendVerdictIndex, readVerdictIndex, type VerdictIndex, type VerdictIndexEntry } from '../store/verdict-index.js';
import { contentHash, definitionHash, guardKey, inputGlobs } from './guard-key.js';
import { entriesDigests, listTree } from './guard-key-tree.js';
import { ENGINE_VERSION } from './plan.js';
import type { SelectedGuard } from './select.js';

// What runGuards applies, per selected guard (same order): the key of the guard on the candidate
// tree (undefined: none computed), and the recorded verdict that stands for it (undefined: it runs).
export interface GuardReuse {
  keys: Array<string | undefined>;
  reusable: Array<Verdict | undefined>;
}

// The reuse of one run: what runGuards applies, each eligible guard's definition hash (what is indexed
// for a guard that ran without a key) and how many lines the index had (for its bound).
export interface ReusePlan extends GuardReuse {
  defs: Array<string | undefined>;
  seen: number;
  // Each keyed guard's inputs digest on the candidate (`tree:<oid>` when its inputs are the whole
  // tree), and the index as this run read it (an agent's run compares both with the turn's base).
  inputs?: Array<string | undefined>;
  index?: VerdictIndex;
}

// A run that reuses nothing and indexes nothing (protected paths touched, a commit judged again).
export const NO_REUSE: ReusePlan = { keys: [], reusable: [], defs: [], seen: 0 };

// What planning the reuse needs: the candidate tree and ℛ's records of it (read by the plan already),
// `allowed` false when the candidate touches protected paths (nothing keyed, nothing reused: a verdict
// on guard scripts an agent changed must never stand for later content), `noCache` (keys are still
// computed and recorded, nothing is reused).
export interface ReuseInput {
  repo: RepoInfo;
  repository: Repository;
  config: Config;
  selected: SelectedGuard[];
  tree: string;
  onTree: RecordV1[];
  allowed: boolean;
  noCache?: boolean;
  // Key every eligible guard, known to the index or not (an agent's run: its keys are compared with
  // the turn's base, and a first stop's verdicts are then reusable at the second).
  always?: boolean;
  // An agent's run: the turn's base tree (a failure tolerated against it may stand, see passIn).
  baseTree?: string;
}

// Only a check-only guard that runs can be keyed and reused; a fix guard always runs.
const eligible = (s: SelectedGuard) => !s.skip && !s.guard.fix;

// A recorded pass as it stands in this run: the original's status, exit and output, no time spent
// here (`ms` 0: the original's time is in the record it names), the key, and the record that ran it.
function reusedVerdict(v: Verdict, from: RecordV1): Verdict {
  return { guard: v.guard, status: v.status, exit: v.exit, ms: 0, feedback: v.feedback, key: v.key, reused: v.reused ?? from.id };
}

// The recorded pass of `key` for a guard in one record, or undefined. For an agent's run against
// `baseTree`, a failure of `key` tolerated against that same base stands too: run again on the same
// inputs it would fail the same way (and still not block) or pass (and not block either).
function passIn(record: RecordV1, guard: string, key: string, baseTree?: string): Verdict | undefined {
  const v = record.verdicts.find((x) => x.guard === guard && x.key === key);
  if (!v || v.modified) return undefined;
  if (v.status === 'pass') return reusedVerdict(v, record);
  if (baseTree && v.status === 'fail' && v.tolerated && v.baseline?.tree === baseTree && !v.baseline.same)
    return { ...reusedVerdict(v, record), failures: v.failures, baseline: v.baseline, tolerated: true };
  return undefined;
}

// Each keyed guard's reusable verdict: first from ℛ's records of the candidate tree itself, then from
// the records the index points to, each checked in ℛ (the record must still be on that tree and hold a
// pass of that key): the index only finds, the record is the truth.
async function findReusable(repository: Repository, input: { selected: SelectedGuard[]; keys: Array<string | undefined>; onTree: RecordV1[]; index: VerdictIndex; baseTree?: string }): Promise<Array<Verdict | undefined>> {
  const trees = new Map<string, Promise<RecordV1[]>>();
  const recordsOf = (tree: string) => {
    if (!trees.has(tree)) trees.set(tree, repository.byTree(tree));
    return trees.get(tree)!;
  };
  return Promise.all(
    input.keys.map(async (key, i) => {
      if (!key) return undefined;
      const id = input.selected[i].guard.id;
      for (let j = input.onTree.length - 1; j >= 0; j--) {
        const v = passIn(input.onTree[j], id, key, input.baseTree);
        if (v) return v;
      }
      // A few pointers at most: a stale one (the note removed, compacted away) costs one lookup.
      for (const e of (input.index.byKey.get(key) ?? []).filter((x) => x.status === 'pass' || (input.baseTree && x.status === 'fail' && !x.onBase)).slice(0, 3)) {
        const record = (await recordsOf(e.tree)).find((r) => r.id === e.record);
        const v = record && passIn(record, id, key, input.baseTree);
        if (v) return v;
      }
      return undefined;
    }),
  );
}

// Keys each selected guard whose definition the index knows, and finds the verdicts that stand for
// guards whose inputs are unchanged. Never throws: a failure here (the index unreadable, ls-tree
// failing) only means nothing is reused.
export async function planReuse(input: ReuseInput): Promise<ReusePlan> {
  const { repo, config, selected, tree } = input;
  if (!input.allowed || !selected.some(eligible)) return NO_REUSE;
  try {
    const defs = selected.map((s) => (eligible(s) ? definitionHash(s.guard, config, ENGINE_VERSION) : undefined));
    const index = await readVerdictIndex(repo.commonDir);
    const known = selected.map((_, i) => defs[i] !== undefined && (input.always === true || index.defs.has(defs[i]!)));
    // The one listing of the candidate, only when a guard with globbed inputs can be keyed.
    const globbed = selected.map((s, i) => (known[i] ? inputGlobs(s.guard) : null));
    const sets = globbed.filter((g): g is string[] => g !== null);
    const digests = sets.length ? await entriesDigests(await listTree(repo, tree), sets) : [];
    let next = 0;
    const inputs = selected.map((_, i) => {
      if (!known[i]) return undefined;
      const digest = globbed[i] ? digests?.[next++] : undefined;
      return digest ?? `tree:${tree}`;
    });
    const keys = selected.map((s, i) => (known[i] ? guardKey(defs[i]!, contentHash(s, inputs[i]!)) : undefined));
    const reusable = input.noCache ? [] : await findReusable(input.repository, { selected, keys, onTree: input.onTree, index, baseTree: input.baseTree });
    return { defs, keys, reusable, seen: index.lines, inputs, index };
  } catch {
    return NO_REUSE;
  }
}

// Indexes a stored record's guard verdicts: each eligible guard's key (or its bare definition when it
// ran without one), the record and its tree. Best effort: an index that can't be written costs reuse.
// `onBase`: the verdicts this run found by running guards on the turn's base (indexed under their key
// on the base, pointing at this record, whose verdicts carry them as `baseline`).
export async function indexVerdicts(commonDir: string, record: RecordV1, plan: ReusePlan, onBase: Array<{ key: string; status: string }> = []): Promise<void> {
  const entries: VerdictIndexEntry[] = onBase.map((b) => ({ key: b.key, record: record.id, tree: record.tree, status: b.status, onBase: true }));
  plan.defs.forEach((def, i) => {
    const v = record.verdicts[i];
    if (def && v && v.status !== 'skipped') entries.push({ key: v.key ?? def, record: record.id, tree: record.tree, status: v.status });
  });
  await appendVerdictIndex(commonDir, entries, plan.seen).catch(() => undefined);
}
