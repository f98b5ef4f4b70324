// The run as a pipeline: config → candidate → cache → guards → decision → record → persist → fixes
// back. Each step is a module of its own that takes what it needs and returns what it made.
import { indexStamp, sweepScratch, treeOf } from '../git/candidate.js';
import { sweepStaleCheckouts } from '../git/checkout.js';
import { emptyTree } from '../git/git.js';
import { discoverRepo } from '../git/repo.js';
import { uncheckedCommits } from '../messages/agents.js';
import { drifted as driftedMessage, readFailed } from '../messages/run.js';
import { preexistingFailures } from '../messages/failures.js';
import { InterruptedError } from '../errors/interrupted-error.js';
import { openRepository } from '../store/repository.js';
import { trustedBaseline } from './baseline.js';
import { acceptedUnchanged, cachedAcceptance } from './cache.js';
import { isolateIfDiffers, prepareCandidate, releaseCandidate, type Candidate } from './candidate.js';
import { readChain, type ChainKey } from './chain.js';
import { configFor } from './config-for.js';
import { decideRun } from './decide.js';
import { carryFixesBack, NO_FIXES } from './fixes-back.js';
import { judgeAgainstBase, sameAsBase } from './base-verdicts.js';
import { indexVerdicts, planReuse } from './guard-reuse.js';
import { markFlaky, markRepeats } from './verdict-marks.js';
import { runGuards } from './guards-run.js';
import { ownChecks } from './own-checks.js';
import { persist } from './persist.js';
import { changeAfterFixes, changeChoosesGuards, planGuards, startChange } from './plan.js';
import { protectedVerdict } from './protect.js';
import { buildRecord, lightRecord } from './record-build.js';
import type { RunOptions, RunResult } from './run-types.js';
import { detectAgent } from './source.js';
import { tolerantReads } from './tolerant-reads.js';

export type { RunOptions, RunResult } from './run-types.js';

// Who produced the candidate: an agent's shell (detected from the environment) makes a GENERATOR run.
// (CI is a source only of a commit judged again: RunOptions.commit.)
function producer(opts: RunOptions, env: NodeJS.ProcessEnv): Omit<ChainKey, 'base'> {
  const agent = opts.agent !== undefined ? opts.agent : detectAgent(env);
  const given = opts.source === 'HUMAN' || opts.source === 'GENERATOR' ? opts.source : undefined;
  return { source: given ?? (agent ? 'GENERATOR' : 'HUMAN'), agent, session: opts.session ?? null };
}

// Runs the guards of one hook on the candidate, decides, and records the verdict in ℛ.
export async function run(opts: RunOptions = {}): Promise<RunResult> {
  // A commit judged again (verify, ci) has a pipeline of its own, loaded only then.
  if (opts.commit !== undefined) return (await import('./judge-commit.js')).judgeCommit({ ...opts, commit: opts.commit });
  const env = opts.env ?? process.env;
  const hook = opts.hook ?? 'run';
  const done = { cached: false, skipped: false, isolated: false, fixes: NO_FIXES, recorded: true };
  if (env.GUARDLOOP === '0') return { ...done, status: 'ACCEPTED', record: null, skipped: true, guards: [], warnings: [], recorded: false, configWarnings: [] };
  const repo = await discoverRepo(opts.cwd ?? process.cwd(), env);
  const sweeping = Promise.all([sweepStaleCheckouts(), sweepScratch(repo)]).catch(() => undefined);
  const who = producer(opts, env);
  const warnings: string[] = [];
  // ℛ opened by the caller (an agent's stop, which read it for the trusted base) or here; closed at the end.
  const store = opts.store ?? (await openRepository({ cwd: repo.root, dirs: repo }));
  const repository = tolerantReads(store, (e) => warnings.push(readFailed(e.message.split('\n')[0])));
  // An agent is judged against a base it can't move: its guards, protected paths and diff come from there.
  const baseline = who.source === 'GENERATOR' ? (opts.baseline ?? (await trustedBaseline(repo, repository, { ...who, hook }))) : null;
  const base = baseline ? baseline.commit : repo.head;
  let site: Candidate | null = null;
  try {
    const { config, warnings: configWarnings } = await configFor(repo, opts.config, baseline);
    const baseTree = treeOf(repo, base, store.notes.objects);
    // Awaited later (after the candidate); a failure then is the run's, never an unhandled rejection.
    baseTree.catch(() => undefined);
    // The change is read with the candidate only when it chooses the guards; else once the cache has
    // missed, while the guards run (a cache hit reads no diff).
    const diffFirst = Boolean(opts.allFiles) || changeChoosesGuards(config);
    site = await prepareCandidate({ repo, hook, config, env, base: diffFirst ? (base ?? emptyTree(repo)) : undefined, gitConfig: store.notes.config });
    const plan = await planGuards({ repo, repository, config, hook, tree: site.tree, baseTree, change: site.change, allFiles: opts.allFiles, noCache: opts.noCache, lazyChange: !diffFirst });
    const { selected, setHash } = plan;
    const key: ChainKey = { ...who, base, ...(repo.gitDir !== repo.commonDir ? { worktree: repo.gitDir } : {}) };
    const chain = await readChain(repo.commonDir, key, repository);
    // An agent may not change its own guards or their tests without a person's approval.
    // (A candidate that is the base's own tree changes no path, protected or not: no diff is asked.)
    const guarded = who.source === 'GENERATOR' && site.tree !== (await baseTree) ? await protectedVerdict(repo, repository, config, site.tree, base) : null;
    const hit = cachedAcceptance({ onTree: plan.onTree, setHash, source: who.source, base, chain, touchesProtected: guarded !== null });
    if (hit) return { ...done, status: 'ACCEPTED', record: hit, cached: true, guards: selected, warnings, configWarnings };
    // Nothing changed since a tree ACCEPTED for this turn's base: a light record, no guard run.
    const agentStop = hook === 'stop' && who.source === 'GENERATOR';
    const from = agentStop ? acceptedUnchanged({ hook, source: who.source, onTree: plan.onTree, base, baseTree: await baseTree, tree: site.tree, chain, touchesProtected: guarded !== null }) : null;
    if (from) {
      const record = lightRecord({ hook, who, base, tree: site.tree, from, sameAsBase: site.tree === (await baseTree), config, baseline, task: opts.task, lastMessage: opts.lastMessage });
      const saved = await persist({ repo, repository, key, record, chain });
      return { ...done, status: 'ACCEPTED', record, cached: true, guards: selected, warnings: [...warnings, ...saved.warnings], recorded: saved.recorded, configWarnings };
    }
    // Each check-only guard whose inputs are unchanged since a recorded pass is not run (keyed meanwhile).
    // An agent's run keys every guard: its keys are compared with the turn's base (below).
    // Only against a base the agent can't have moved: with none found (`unverified`, HEAD), its own commits may be in it.
    const generator = who.source === 'GENERATOR' && base !== null && baseline?.how !== 'unverified';
    // The record's diff, read while what follows and the guards run (it takes longer than a quick guard).
    const changing = startChange({ repo, config, plan, baseTree });
    const reuse = planReuse({ repo, repository, config, selected, tree: site.tree, onTree: plan.onTree, allowed: guarded === null, noCache: opts.noCache, always: generator, baseTree: generator ? await baseTree : undefined });
    // The journal check the record's write makes (a notes history walk, once per grace period) runs
    // while the guards do; the write waits for it (a failure is the write's, which tries again).
    store.restoreJournal(true).catch(() => undefined);
    // The record's writer processes start now, while the guards run (unused ones end on close).
    store.notes.prestart();
    site = await isolateIfDiffers(repo, config, site);
    opts.onStart?.({ guards: selected, isolated: site.isolated, tree: site.tree });
    // In place, the index the candidate's tree came from (a stop's private one, stamped now: it is this run's own).
    const stamp = site.isolated ? null : (site.indexStamp ?? (site.tmpIndex ? indexStamp(repo, site.tmpIndex) : null));
    const inPlace = stamp ? { stamp, config: store.notes.config } : undefined;
    // An agent's run: a failing guard's progress line waits for the base's judgement (it may be a failure the
    // base has too, `tolerated`), and the lines after it wait with it, so they keep their order.
    const held: Array<Parameters<NonNullable<RunOptions['onVerdict']>>> | null = generator && opts.onVerdict ? [] : null;
    const onVerdict: RunOptions['onVerdict'] = held ? (v, s) => void (held.length || v.status === 'fail' ? held.push([v, s]) : opts.onVerdict?.(v, s)) : opts.onVerdict;
    const ctx = { repo, config, hook, base, env, signal: opts.signal, deadline: opts.deadline, onVerdict, inPlace };
    // Block only on new failures: a guard whose inputs are the base's own doesn't run; a failure the base had doesn't block.
    // With a protected path changed nothing is keyed or reused, but the failures are still compared with the
    // base (keys computed for that only), so the reason names the base's failures as the base's.
    const compare = generator && guarded !== null ? planReuse({ repo, repository, config, selected, tree: site.tree, onTree: plan.onTree, allowed: true, noCache: true, always: true }) : null;
    const against = generator ? { ctx, repository, selected, plan: await (compare ?? reuse), baseTree: await baseTree, tree: site.tree } : null;
    const reusePlan = against && !compare ? await sameAsBase(against) : await reuse;
    const running = runGuards({ ctx, site, selected, reuse: reusePlan });
    // The record's fast-import starts once the guards have (their spawn comes first; its own runs while they do).
    store.notes.prestartImport();
    const outcome = await running;
    site = outcome.site;
    const baseEntries = against ? await judgeAgainstBase({ ...against, plan: compare ? against.plan : reusePlan }, outcome.verdicts) : [];
    for (const [v, s] of held?.splice(0) ?? []) opts.onVerdict?.(v, s);
    if (opts.signal?.aborted) throw new InterruptedError();
    markFlaky(outcome.verdicts, reusePlan.index, reusePlan.defs);
    markRepeats(outcome.verdicts, chain);
    const preexisting = outcome.verdicts.filter((v) => v.tolerated);
    if (preexisting.length) warnings.push(preexistingFailures(preexisting.map((v) => ({ guard: v.guard, failures: v.failures ?? [] }))));
    if (outcome.drifted.length) warnings.push(driftedMessage(outcome.drifted, hook === 'stop'));
    const own = await ownChecks({ repo, hook, site, guarded, onVerdict: opts.onVerdict });
    if (baseline?.commits.length && base) warnings.push(uncheckedCommits(baseline.commits.length, base));
    const verdicts = [...outcome.verdicts, ...own.checks.map((c) => c.verdict)];
    const { status, escalated } = decideRun({ verdicts, source: who.source, retry: chain.retry, maxAttempts: config.agent.maxAttempts });
    const change = await changeAfterFixes({ repo, config, plan, baseTree, tree: outcome.tree, started: changing });
    const record = buildRecord({
      hook, who, base, tree: outcome.tree, change, status, escalated, config, setHash, selected, verdicts, chain, baseline,
      ownSpecs: own.checks.map((c) => c.spec), isolated: site.isolated, drifted: outcome.drifted, task: opts.task, lastMessage: opts.lastMessage,
    });
    const saved = await persist({ repo, repository, key, record, chain });
    if (saved.recorded) await indexVerdicts(repo.commonDir, record, reusePlan, baseEntries);
    warnings.push(...saved.warnings);
    const fixes = await carryFixesBack({ repo, site, fixedTree: outcome.tree, files: own.restaged ? [] : outcome.fixedFiles, signal: opts.signal });
    return { ...done, status, record, isolated: site.isolated, fixes, guards: selected, warnings, recorded: saved.recorded, configWarnings };
  } finally {
    await Promise.all([releaseCandidate(site), repository.close(), sweeping]);
  }
}
