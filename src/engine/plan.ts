import type { Config } from '../config/schema.js';
import { allPaths, diffTrees, type TreeChange } from '../git/candidate.js';
import type { RepoInfo } from '../git/repo.js';
import type { RecordV1 } from '../store/record.js';
import type { Repository } from '../store/types.js';
import { guardSetHash, selectGuards, type RunHook, type SelectedGuard } from './select.js';

// Bumped when what guards see changes (environment, candidate rules): old cache entries (whole-tree
// and per-guard keys) stop matching. engine-2: failure ids normalize random ids, ports and dates.
// engine-3: a mkdtemp folder right under the guard's directory and pytest's tmp_path normalized, a
// project's own `tmp/` folder kept, an empty output named FAILURES_NONE_PRINTED (never the base's).
export const ENGINE_VERSION = 'engine-3';

// What choosing the guards needs: the candidate's tree and its base's (a promise: read in parallel).
export interface PlanInput {
  repo: RepoInfo;
  repository: Repository;
  config: Config;
  hook: RunHook;
  tree: string;
  baseTree: Promise<string>;
  // The candidate's change from its base when it was read with the tree (see prepareCandidate).
  change?: TreeChange | null;
  allFiles?: boolean;
  noCache?: boolean;
  // The change is diffed by the caller once the cache has missed (see startChange): a hit then
  // pays no diff. Only when no guard's `files` needs the changed paths to be chosen.
  lazyChange?: boolean;
}

// The guards that run on the candidate, the hash that names them for the cache, the candidate's
// change against its base (null when the cache may answer without it) and ℛ's records of the tree.
export interface Plan {
  tree: string;
  selected: SelectedGuard[];
  setHash: string;
  change: TreeChange | null;
  onTree: RecordV1[];
}

// Chooses the guards of a run. Which guards run depends on the changed paths only when a guard has
// `files`: otherwise ℛ is asked first, and a cache hit costs no diff at all.
export async function planGuards(input: PlanInput): Promise<Plan> {
  const { repo, config, hook } = input;
  const needPaths = input.allFiles || config.guards.some((g) => g.files);
  const onTree = input.noCache ? [] : await input.repository.byTree(input.tree);
  const early = needPaths || (!onTree.length && !input.lazyChange) ? null : await selectGuards(config.guards, hook, []);
  const [change, every] = early
    ? [input.change ?? null, null]
    : await Promise.all([input.change ?? diffTrees(repo, { from: await input.baseTree, to: input.tree, limit: config.limits.diff }), input.allFiles ? allPaths(repo, input.tree) : Promise.resolve(null)]);
  const changed = every ?? change?.paths ?? [];
  const deleted = every ? new Set<string>() : (change?.deleted ?? new Set<string>());
  const selected = early ?? (await selectGuards(config.guards, hook, changed, deleted));
  const setHash = guardSetHash(selected, ENGINE_VERSION, config.env, { isolation: config.isolation, link: config.link });
  return { tree: input.tree, selected, setHash, change, onTree };
}

// Whether the run's change must be read before its guards are chosen (a guard's `files` matches the
// changed paths): else planGuards may leave it to startChange (lazyChange).
export function changeChoosesGuards(config: Config): boolean {
  return config.guards.some((g) => g.files);
}

// The plan's change, or (none read yet: lazyChange) its diff started now, so that git works while
// the guards run; a failure is the record's, when changeAfterFixes awaits it.
export function startChange({ repo, config, plan, baseTree }: Omit<ChangeInput, 'tree' | 'started'>): Promise<TreeChange> {
  const started = plan.change ? Promise.resolve(plan.change) : baseTree.then((from) => diffTrees(repo, { from, to: plan.tree, limit: config.limits.diff }));
  started.catch(() => undefined);
  return started;
}

// What the record's diff needs: the plan, the base's tree, the candidate after fixes, and the
// plan's change when startChange began it.
export interface ChangeInput {
  repo: RepoInfo;
  config: Config;
  plan: Plan;
  baseTree: Promise<string>;
  tree: string;
  started?: Promise<TreeChange>;
}

// The candidate's change against its base after fixes: the plan's when it holds the tree's (read
// with the plan, or started since), else diffed now.
export async function changeAfterFixes({ repo, config, plan, baseTree, tree, started }: ChangeInput): Promise<TreeChange> {
  if (tree === plan.tree && (plan.change || started)) return plan.change ?? (await started!);
  return diffTrees(repo, { from: await baseTree, to: tree, limit: config.limits.diff });
}
