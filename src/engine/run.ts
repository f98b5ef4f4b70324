import { isAbsolute, join, resolve } from 'node:path';
import { configHash } from '../config/config-hash.js';
import type { Diagnostic } from '../config/diagnostic.js';
import { loadConfigCached } from '../config/load-cached.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors/config-error.js';
import { InterruptedError } from '../errors/interrupted-error.js';
import { allPaths, diffTrees, dropIndex, indexTree, sweepScratch, treeOf, worktreeCandidate, worktreeDiffersFromIndex } from '../git/candidate.js';
import { createTempCheckout, sweepStaleCheckouts } from '../git/checkout.js';
import { applyFixesToUser, revertFixes, type FixReport } from '../git/fix.js';
import { discoverRepo, type RepoInfo } from '../git/repo.js';
import { PROTECTED_SPEC, protectedVerdict } from './protect.js';
import { detectAgent } from './source.js';
import { notRecorded, uncheckedCommits } from '../messages/agents.js';
import { drifted as driftedMessage, readFailed, STAGED_INVARIANT, stagedDuringRun } from '../messages/run.js';
import { gitRaw } from '../git/git.js';
import { finishRecord, type RecordDraft, type RecordV1, type Verdict } from '../store/record.js';
import { redactDraft } from '../store/redact.js';
import { openRepository } from '../store/repository.js';
import type { Repository } from '../store/types.js';
import { VERSION } from '../version.js';
import { trustedBaseline, type Baseline } from './baseline.js';
import { advanceChain, readChain, type ChainKey, type ChainState } from './chain.js';
import { decide } from './decide.js';
import { runGuards, type FixProgress, type GuardSite } from './guards-run.js';
import { guardSetHash, selectGuards, type RunHook, type SelectedGuard } from './select.js';
import { tolerantReads } from './tolerant-reads.js';
import { noteUnrecorded } from './unrecorded.js';
import type { RunOptions, RunResult } from './run-types.js';

export type { RunOptions, RunResult } from './run-types.js';

// Bumped when what guards see changes (environment, candidate rules): old cache entries stop matching.
const ENGINE_VERSION = 'engine-1';

// Loads the config (from a cache keyed by the files' content, so a hook skips YAML and schema work
// when nothing changed) or throws a ConfigError carrying every problem found.
// A GENERATOR run uses the config committed at its trusted base, never the agent's edited copy.
async function configFor(repo: RepoInfo, given: Config | undefined, baseline: Baseline | null): Promise<{ config: Config; warnings: Diagnostic[] }> {
  if (given) return { config: given, warnings: [] };
  if (baseline) return (await import('../config/committed.js')).loadCommittedConfig(repo, baseline.commit);
  const cacheFile = join(repo.commonDir, 'guardloop', 'config-cache.json');
  const { config, errors, warnings } = await loadConfigCached({ root: repo.root, cacheFile });
  if (!config || errors.length) throw new ConfigError(errors);
  return { config, warnings };
}

interface Candidate extends GuardSite {
  tmpIndex: string | undefined;
  // The index the commit will use (fixes are staged there).
  userIndex: string | undefined;
}

// Builds the candidate: the index's tree for git hooks and runs by hand, the working tree for a stop.
// Guards can't run in place when tracked files differ from the index; the temporary checkout for
// that case is made later (isolate), only once the cache has missed.
async function prepareCandidate(repo: RepoInfo, hook: RunHook, config: Config, env: NodeJS.ProcessEnv): Promise<Candidate & { differs: boolean }> {
  const userIndex = env.GIT_INDEX_FILE ? (isAbsolute(env.GIT_INDEX_FILE) ? env.GIT_INDEX_FILE : resolve(repo.root, env.GIT_INDEX_FILE)) : undefined;
  if (hook === 'stop') {
    const { tree, indexFile } = await worktreeCandidate(repo, userIndex);
    return { tree, view: { indexFile, workTree: repo.root }, isolated: false, checkout: null, tmpIndex: indexFile, userIndex, differs: false };
  }
  const [tree, differs] = await Promise.all([
    indexTree(repo, userIndex),
    config.isolation === 'always' ? Promise.resolve(true) : worktreeDiffersFromIndex(repo, userIndex),
  ]);
  return { tree, view: { indexFile: userIndex, workTree: repo.root }, isolated: false, checkout: null, tmpIndex: undefined, userIndex, differs };
}

// Moves the run into a temporary checkout of the candidate when the work tree can't be used as it is.
async function isolateIfDiffers(repo: RepoInfo, config: Config, cand: Candidate & { differs: boolean }): Promise<void> {
  if (!cand.differs) return;
  cand.checkout = await createTempCheckout(repo, cand.tree, config.link);
  cand.view = { indexFile: cand.checkout.indexFile, workTree: cand.checkout.dir };
  cand.isolated = true;
}

// Runs the guards of one hook on the candidate, decides, and records the verdict in ℛ.
export async function run(opts: RunOptions = {}): Promise<RunResult> {
  const env = opts.env ?? process.env;
  const hook = opts.hook ?? 'run';
  const noFixes: FixReport = { staged: [], applied: [], notApplied: [] };
  if (env.GUARDLOOP === '0') {
    return { status: 'ACCEPTED', record: null, cached: false, skipped: true, isolated: false, fixes: noFixes, guards: [], warnings: [], recorded: false, configWarnings: [] };
  }
  const repo = await discoverRepo(opts.cwd ?? process.cwd(), env);
  const sweeping = Promise.all([sweepStaleCheckouts(), sweepScratch(repo)]).catch(() => undefined);
  const agent = opts.agent !== undefined ? opts.agent : detectAgent(env);
  const source = opts.source ?? (agent ? 'GENERATOR' : 'HUMAN');
  const session = opts.session ?? null;
  const warnings: string[] = [];
  const store = await openRepository({ cwd: repo.root, dirs: repo });
  const repository = tolerantReads(store, (e) => warnings.push(readFailed(e.message.split('\n')[0])));
  // An agent is judged against a base it can't move: its guards, protected paths and diff come from there.
  const baseline = source === 'GENERATOR' ? (opts.baseline ?? (await trustedBaseline(repo, repository, { agent, session }, hook))) : null;
  const base = baseline ? baseline.commit : repo.head;
  let cand: (Candidate & { differs: boolean }) | null = null;
  let progress: FixProgress | null = null;
  let fixReport: FixReport | null = null;
  try {
    const { config, warnings: configWarnings } = await configFor(repo, opts.config, baseline);
    const baseTree = treeOf(repo, base);
    // Awaited later (after the candidate); a failure then is the run's, never an unhandled rejection.
    baseTree.catch(() => undefined);
    cand = await prepareCandidate(repo, hook, config, env);
    // Which guards run depends on the changed paths only when a guard has `files`: otherwise the
    // cache is asked first, and a hit costs no diff at all.
    const needPaths = opts.allFiles || config.guards.some((g) => g.files);
    const onTree = opts.noCache ? [] : await repository.byTree(cand.tree);
    const early = needPaths || !onTree.length ? null : await selectGuards(config.guards, hook, [], new Set());
    const [change, every] = early
      ? [null, null]
      : await Promise.all([diffTrees(repo, await baseTree, cand.tree, config.limits.diff), opts.allFiles ? allPaths(repo, cand.tree) : Promise.resolve(null)]);
    const changed = every ?? change?.paths ?? [];
    const deleted = every ? new Set<string>() : (change?.deleted ?? new Set<string>());
    const selected = early ?? (await selectGuards(config.guards, hook, changed, deleted));
    const setHash = guardSetHash(selected, ENGINE_VERSION, config.env, { isolation: config.isolation, link: config.link });
    const key: ChainKey = { source, base, agent, session };
    const chain = await readChain(repo.commonDir, key, repository);
    // An agent may not change its own guards or their tests without a person's approval.
    const guarded = source === 'GENERATOR' ? await protectedVerdict(repo, repository, config, cand.tree, base) : null;
    // An open agent chain runs again so that its closing ACCEPTED record carries the chain.
    const cacheable = !guarded && !(source === 'GENERATOR' && chain.retry > 0);
    const hit = cacheable && onTree.find((r) => r.status === 'ACCEPTED' && r.spec.guardSetHash === setHash);
    if (hit) return { status: 'ACCEPTED', record: hit, cached: true, skipped: false, isolated: false, fixes: noFixes, guards: selected, warnings, recorded: true, configWarnings };

    await isolateIfDiffers(repo, config, cand);
    opts.onStart?.({ guards: selected, isolated: cand.isolated, tree: cand.tree });
    progress = { tree: cand.tree, fixedFiles: [] };
    const startTree = cand.tree;
    const outcome = await runGuards({ repo, config, hook, env, signal: opts.signal, deadline: opts.deadline, onVerdict: opts.onVerdict }, cand, selected, progress);
    const { verdicts, tree, fixedFiles } = outcome;
    if (outcome.drifted.length) warnings.push(driftedMessage(outcome.drifted, hook === 'stop'));
    if (guarded) {
      verdicts.push(guarded);
      opts.onVerdict?.(guarded, pseudoGuard(PROTECTED_SPEC));
    }
    if (baseline?.commits.length && base) warnings.push(uncheckedCommits(baseline.commits.length, base));
    // `git commit` (without -a or paths) does not hold the index lock while its hook runs: content
    // staged meanwhile would be committed unchecked. The index must still hold the candidate.
    const restaged = hook === 'stop' ? null : await stagedSince(repo, cand.userIndex, startTree);
    if (restaged) {
      verdicts.push(restaged);
      opts.onVerdict?.(restaged, pseudoGuard(STAGED_SPEC));
    }
    const status = decide(verdicts);
    const { diff, truncated, paths: files } = tree === startTree && change ? change : await diffTrees(repo, await baseTree, tree, config.limits.diff);
    const escalated = source === 'GENERATOR' && status === 'REJECTED' && chain.retry + 1 >= config.agent.maxAttempts;
    const draft: RecordDraft = {
      v: 1,
      ts: new Date().toISOString(),
      hook,
      source,
      agent,
      session,
      base,
      tree,
      status,
      reward: status === 'ACCEPTED' ? 1 : -1,
      spec: {
        configHash: configHash(config),
        guardSetHash: setHash,
        guards: [...selected.map(({ guard }) => ({ id: guard.id, invariant: guard.invariant, layer: guard.layer, run: guard.run })), ...(guarded ? [PROTECTED_SPEC] : []), ...(restaged ? [STAGED_SPEC] : [])],
        task: opts.task ?? null,
      },
      artifact: { diff, files, truncated },
      verdicts,
      history: chain.history,
      provenance: chain.provenance,
      retry: chain.retry,
      ...(escalated ? { escalated: true } : {}),
      ...(opts.lastMessage ? { lastMessage: opts.lastMessage } : {}),
      isolated: cand.isolated,
      ...(outcome.drifted.length ? { drifted: outcome.drifted } : {}),
      ...(baseline && baseline.how !== 'head' ? { baseline: { how: baseline.how, commits: baseline.commits } } : {}),
      tool: { name: 'guardloop', version: VERSION },
    };
    const { record } = finishRecord(redactDraft(draft, config.redact.map((p) => new RegExp(p, 'g'))));
    const recorded = await persist(repo, repository, key, record, chain, warnings);
    // Fixes reach the user's index and working copy last, and are taken back if a signal came meanwhile.
    if (opts.signal?.aborted) throw new InterruptedError();
    const fixes = fixedFiles.length && !restaged ? (fixReport = await applyFixesToUser(repo, cand, fixedFiles, tree)) : noFixes;
    if (opts.signal?.aborted) throw new InterruptedError();
    return { status, record, cached: false, skipped: false, isolated: cand.isolated, fixes, guards: selected, warnings, recorded, configWarnings };
  } catch (e) {
    if (e instanceof InterruptedError && cand && progress?.fixedFiles.length) await revertFixes(repo, cand, progress.tree, progress.fixedFiles, fixReport).catch(() => undefined);
    throw e;
  } finally {
    await Promise.all([cand?.checkout?.remove(), dropIndex(cand?.tmpIndex), repository.close(), sweeping]);
  }
}

// A check guardloop makes itself (protected paths, staged content), shaped as a selected guard for onVerdict.
function pseudoGuard(spec: typeof PROTECTED_SPEC): SelectedGuard {
  return { guard: { ...spec, on: [], files: undefined, timeout: 0, env: {}, cwd: '.', fix: false, enabled: true, source: 'guardloop' }, files: null, skip: false };
}

// The pseudo-guard that records content staged while the guards ran (the run judged other content).
export const STAGED_GUARD = 'staged-content';
const STAGED_SPEC = { id: STAGED_GUARD, invariant: STAGED_INVARIANT, layer: 'review' as const, run: 'guardloop (the index still holds the candidate)' };

// A failing verdict when the index no longer holds the tree the guards judged, naming what changed.
async function stagedSince(repo: RepoInfo, userIndex: string | undefined, judged: string): Promise<Verdict | null> {
  const now = await indexTree(repo, userIndex);
  if (now === judged) return null;
  const changed = (await gitRaw(['diff-tree', '-r', '-z', '--name-only', '--no-renames', judged, now], { cwd: repo.root })).stdout.toString('utf8').split('\0').filter(Boolean);
  return { guard: STAGED_GUARD, status: 'error', exit: null, ms: 0, feedback: stagedDuringRun(changed) };
}

// Writes the record, then moves the chain whether or not the record could be written: the attempt
// count and escalation (the brake of an agent's loop) never depend on ℛ being writable. Housekeeping
// problems after a safe write come back as warnings.
async function persist(repo: RepoInfo, repository: Repository, key: ChainKey, record: RecordV1, chain: ChainState, warnings: string[]): Promise<boolean> {
  let recorded = true;
  try {
    warnings.push(...(await repository.append([record], { prepared: true })).warnings);
  } catch (e) {
    recorded = false;
    warnings.push(notRecorded((e as Error).message.split('\n')[0], record.source === 'GENERATOR'));
    await noteUnrecorded(repo.commonDir, { ts: record.ts, id: record.id, tree: record.tree, status: record.status, error: (e as Error).message.split('\n')[0] }).catch(() => undefined);
  }
  try {
    await advanceChain(repo.commonDir, key, record, chain, recorded);
  } catch (e) {
    warnings.push(`the chain of attempts could not be updated: ${(e as Error).message}`);
  }
  return recorded;
}
