// A committed tree judged again (`guardloop verify`, `ci`): the candidate is the commit's tree, its
// base the first parent, the guards the commit's own config's, always in a temporary checkout (the
// user's index, work tree and HEAD are never read or moved), never answered from the cache, and the
// verdict compared with what ℛ recorded for that tree before.
import { loadCommittedConfig } from '../config/committed.js';
import { ConfigError } from '../errors/config-error.js';
import { treeOf } from '../git/candidate.js';
import { createTempCheckout } from '../git/checkout.js';
import { git, gitOk } from '../git/git.js';
import { discoverRepo, type RepoInfo } from '../git/repo.js';
import { notRecorded } from '../messages/agents.js';
import { readFailed } from '../messages/run.js';
import { fixChangedCommit, noConfigAtCommit } from '../messages/verify.js';
import { finishRecord, type RecordV1, type Verdict } from '../store/record.js';
import { openRepository } from '../store/repository.js';
import type { Repository } from '../store/types.js';
import type { GuardSite } from './candidate.js';
import type { ChainState } from './chain.js';
import { decideRun } from './decide.js';
import { NO_FIXES } from './fixes-back.js';
import { runGuards } from './guards-run.js';
import { planGuards } from './plan.js';
import { buildRecord } from './record-build.js';
import { compareWithRecords } from './reproduce.js';
import type { RunOptions, RunResult } from './run-types.js';
import { tolerantReads } from './tolerant-reads.js';
import { noteUnrecorded } from './unrecorded.js';

const CONFIG_FILE = '.loop/config.yaml';
const NO_CHAIN: ChainState = { provenance: [], history: [], retry: 0, escalated: false, unrecorded: [] };

// A commit, its first parent (null for a root commit) and all its parents.
export async function commitAndParent(repo: Pick<RepoInfo, 'root'>, rev: string): Promise<{ commit: string; parent: string | null; parents: string[] }> {
  const [commit, ...parents] = (await git(['rev-list', '--parents', '-n', '1', `${rev}^{commit}`, '--'], { cwd: repo.root })).split(' ');
  return { commit, parent: parents[0] ?? null, parents };
}

// The commit whose `.loop/config.yaml` judges `commit`: its own; where a commit removed the file, the
// config it removed (a commit can't escape its guards by deleting them); null when no commit on its
// first-parent line ever had one (it predates guardloop: nothing to verify).
export async function configRevision(repo: Pick<RepoInfo, 'root'>, commit: string): Promise<string | null> {
  if (await gitOk(['cat-file', '-e', `${commit}:${CONFIG_FILE}`], { cwd: repo.root })) return commit;
  const last = await git(['log', '--first-parent', '-1', '--format=%H', commit, '--', CONFIG_FILE], { cwd: repo.root });
  if (!last) return null;
  const before = `${last}^1`;
  return (await gitOk(['cat-file', '-e', `${before}:${CONFIG_FILE}`], { cwd: repo.root })) ? (await git(['rev-parse', before], { cwd: repo.root })) : null;
}

// A fix guard that changes a committed tree shows the commit isn't what its guards produce: a failure
// (the verdict must be on the commit's own content, never on a fixed copy of it).
function refuseFixes(verdicts: Verdict[]): Verdict[] {
  return verdicts.map((v) => (v.modified?.length ? { ...v, status: v.status === 'pass' ? 'fail' : v.status, feedback: `${v.feedback}${fixChangedCommit(v.modified)}` } : v));
}

// Judges one commit as `RunOptions.commit` asks (see the file's header) and records the verdict.
export async function judgeCommit(opts: RunOptions & { commit: string }): Promise<RunResult> {
  const env = opts.env ?? process.env;
  const hook = opts.hook ?? 'pre-commit';
  const source = opts.source ?? 'HUMAN';
  const repo = await discoverRepo(opts.cwd ?? process.cwd(), env);
  const { commit, parent, parents } = await commitAndParent(repo, opts.commit);
  const configAt = await configRevision(repo, commit);
  if (!configAt) throw new ConfigError([{ file: CONFIG_FILE, line: 0, col: 0, path: '', message: noConfigAtCommit(commit), severity: 'error' }]);
  const warnings: string[] = [];
  const store = await openRepository({ cwd: repo.root, dirs: repo });
  const repository = tolerantReads(store, (e) => warnings.push(readFailed(e.message.split('\n')[0])));
  let site: GuardSite | null = null;
  try {
    const { config, warnings: configWarnings } = await loadCommittedConfig(repo, configAt);
    const tree = await treeOf(repo, commit);
    // Read before the new record is written: what it is compared with.
    const earlier = await repository.byTree(tree);
    const baseTree = treeOf(repo, parent);
    baseTree.catch(() => undefined);
    const plan = await planGuards({ repo, repository, config, hook, tree, baseTree, noCache: true });
    const checkout = await createTempCheckout(repo, tree, config.link, parent);
    site = { tree, view: { indexFile: checkout.indexFile, workTree: checkout.dir }, isolated: true, checkout };
    opts.onStart?.({ guards: plan.selected, isolated: true, tree });
    const ctx = { repo, config, hook, base: parent, parents, env, signal: opts.signal, deadline: opts.deadline, onVerdict: opts.onVerdict };
    const outcome = await runGuards({ ctx, site, selected: plan.selected });
    site = outcome.site;
    const verdicts = refuseFixes(outcome.verdicts);
    const { status } = decideRun({ verdicts, source: 'HUMAN', retry: 0, maxAttempts: config.agent.maxAttempts });
    const reproduced = compareWithRecords(earlier, status);
    const built = buildRecord({
      hook, who: { source, agent: null, session: null }, base: parent, tree, change: plan.change ?? { diff: '', truncated: false, paths: [] },
      status, escalated: false, config, setHash: plan.setHash, selected: plan.selected, verdicts, chain: NO_CHAIN, baseline: null, ownSpecs: [], isolated: true, drifted: [],
    });
    const { id: _id, ...draft } = built;
    const record = finishRecord({ ...draft, hook: opts.recordHook ?? 'verify', verify: { commit, outcome: reproduced.outcome, against: reproduced.against } }).record;
    const recorded = await write(repo, repository, record, warnings);
    return { status, record, cached: false, skipped: false, isolated: true, fixes: NO_FIXES, guards: plan.selected, warnings, recorded, configWarnings, reproduced };
  } finally {
    await Promise.all([site?.checkout?.remove(), repository.close()]);
  }
}

// Writes the record (no chain of attempts: a verify is nobody's next try); a failed write is kept
// where `guardloop status` reports it, and said as a warning.
async function write(repo: RepoInfo, repository: Repository, record: RecordV1, warnings: string[]): Promise<boolean> {
  try {
    warnings.push(...(await repository.append([record], { prepared: true })).warnings);
    return true;
  } catch (e) {
    const first = (e as Error).message.split('\n')[0];
    warnings.push(notRecorded(first, false));
    await noteUnrecorded(repo.commonDir, { ts: record.ts, id: record.id, tree: record.tree, status: record.status, error: first }).catch(() => undefined);
    return false;
  }
}
