import { isAbsolute, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { dropIndex, stampedIndexTree, worktreeCandidate, worktreeDiffersFromIndex, type CandidateView, type TreeChange } from '../git/candidate.js';
import { createTempCheckout, type TempCheckout } from '../git/checkout.js';
import type { GitConfig } from '../git/config.js';
import type { RepoInfo } from '../git/repo.js';
import type { RunHook } from './select.js';

// Where the guards run: the user's work tree (in place) or a private checkout of the candidate
// (`tree`, as the run started: fixes are staged in the checkout's index, never moved into it).
export interface GuardSite {
  tree: string;
  view: CandidateView;
  isolated: boolean;
  checkout: TempCheckout | null;
}

// The candidate of one run: where its guards run, and the index files it came from.
export interface Candidate extends GuardSite {
  // The private index of a stop's candidate (the working tree), removed when the run ends.
  tmpIndex: string | undefined;
  // The index the commit will use (fixes are staged there).
  userIndex: string | undefined;
  // Whether tracked files differ from the index, so guards can't run in place.
  differs: boolean;
  // The user's index file as it was when its tree was read (null: a stop's candidate, or no index).
  indexStamp: string | null;
  // The index's change from the run's base, diffed from the same copy as `tree` (null: not asked).
  change: TreeChange | null;
}

// What building a candidate needs: the hook decides which content is judged.
export interface CandidateInput {
  repo: RepoInfo;
  hook: RunHook;
  config: Config;
  env: NodeJS.ProcessEnv;
  // The commit (or tree) the change is judged from: its diff to the index is read with the tree.
  base?: string;
  // git's configuration as the caller read it (ℛ's store has it): spares reading it again.
  gitConfig?: GitConfig;
}

// Builds the candidate: the index's tree for git hooks and runs by hand, the working tree for a stop.
// Guards can't run in place when tracked files differ from the index; the temporary checkout for
// that case is made later (isolateIfDiffers), only once the cache has missed.
export async function prepareCandidate({ repo, hook, config, env, base, gitConfig }: CandidateInput): Promise<Candidate> {
  const userIndex = env.GIT_INDEX_FILE ? (isAbsolute(env.GIT_INDEX_FILE) ? env.GIT_INDEX_FILE : resolve(repo.root, env.GIT_INDEX_FILE)) : undefined;
  if (hook === 'stop') {
    const { tree, indexFile } = await worktreeCandidate(repo, userIndex);
    return { tree, view: { indexFile, workTree: repo.root }, isolated: false, checkout: null, tmpIndex: indexFile, userIndex, differs: false, indexStamp: null, change: null };
  }
  // The work tree's comparison starts first: in a big repository it is git's stat of every tracked
  // file, the longest of the three (the index's tree and its change, from a copy of the index, are
  // read beside it); in a small one it is proven in-process, and a commit's index names its tree.
  const differing = config.isolation === 'always' ? Promise.resolve(true) : worktreeDiffersFromIndex(repo, userIndex, env, gitConfig);
  const [{ tree, stamp, change }, differs] = await Promise.all([stampedIndexTree(repo, userIndex, base === undefined ? undefined : { base, limit: config.limits.diff }), differing]);
  return { tree, view: { indexFile: userIndex, workTree: repo.root }, isolated: false, checkout: null, tmpIndex: undefined, userIndex, differs, indexStamp: stamp, change };
}

// What moving a site into a private checkout needs (`link`: the dependency folders linked into it).
export interface IsolateInput<S extends GuardSite> {
  repo: RepoInfo;
  site: S;
  link: string[];
}

// The site moved into a private checkout of its candidate (the same site when it is already there).
export async function isolate<S extends GuardSite>({ repo, site, link }: IsolateInput<S>): Promise<S> {
  if (site.isolated) return site;
  const checkout = await createTempCheckout(repo, site.tree, link);
  return { ...site, checkout, view: { indexFile: checkout.indexFile, workTree: checkout.dir }, isolated: true };
}

// The site in a fresh private checkout of `tree`; the old checkout (changed beyond repair) is removed.
export async function reisolate<S extends GuardSite>({ repo, site, link, tree }: IsolateInput<S> & { tree: string }): Promise<S> {
  await site.checkout?.remove();
  const checkout = await createTempCheckout(repo, tree, link);
  return { ...site, checkout, view: { indexFile: checkout.indexFile, workTree: checkout.dir } };
}

// The candidate moved into a temporary checkout when the work tree can't be used as it is.
export async function isolateIfDiffers(repo: RepoInfo, config: Config, cand: Candidate): Promise<Candidate> {
  return cand.differs ? isolate({ repo, site: cand, link: config.link }) : cand;
}

// Removes what a run made for its candidate (the private checkout, a stop's private index).
export async function releaseCandidate(site: Candidate | null): Promise<void> {
  await Promise.all([site?.checkout?.remove(), dropIndex(site?.tmpIndex)]);
}
