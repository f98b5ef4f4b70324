import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { configHash } from '../config/config-hash.js';
import type { Diagnostic } from '../config/diagnostic.js';
import { loadConfigCached } from '../config/load-cached.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors/config-error.js';
import { InterruptedError } from '../errors/interrupted-error.js';
import { allPaths, diffTrees, dropIndex, indexTree, modifiedFiles, stageFixes, sweepScratch, treeOf, worktreeCandidate, worktreeDiffersFromIndex, type CandidateView } from '../git/candidate.js';
import { createTempCheckout, sweepStaleCheckouts, type TempCheckout } from '../git/checkout.js';
import { applyFixesToUser, restoreFiles, revertFixes, type FixReport } from '../git/fix.js';
import { discoverRepo, type RepoInfo } from '../git/repo.js';
import { PROTECTED_SPEC, protectedVerdict } from '../hooks/protect.js';
import { detectAgent } from '../hooks/source.js';
import { finishRecord, type RecordDraft, type RecordV1, type Verdict } from '../store/record.js';
import { redactDraft } from '../store/redact.js';
import { openRepository } from '../store/repository.js';
import { VERSION } from '../version.js';
import { advanceChain, readChain, type ChainKey } from './chain.js';
import { decide } from './decide.js';
import { guardEnv } from './environment.js';
import { executeGuard } from './execute.js';
import { guardSetHash, selectGuards, type RunHook, type SelectedGuard } from './select.js';

export interface RunOptions {
  cwd?: string;
  // Which hook is running: its guards are selected. 'run' (the default) selects every guard.
  hook?: RunHook;
  noCache?: boolean;
  // Match `files` globs against every file of the candidate instead of the changed ones.
  allFiles?: boolean;
  // Who produced the candidate; by default detected from the environment (an agent's shell → GENERATOR).
  source?: 'HUMAN' | 'GENERATOR';
  agent?: string | null;
  session?: string | null;
  task?: string | null;
  lastMessage?: string | null;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  // Called once the guards are chosen and the cache missed, before any guard runs.
  onStart?: (info: { guards: SelectedGuard[]; isolated: boolean; tree: string }) => void;
  // Called for each guard in declaration order as soon as its verdict (and all before it) is known.
  onVerdict?: (verdict: Verdict, guard: SelectedGuard) => void;
  // An already loaded config (the agent hooks load the committed one).
  config?: Config;
  // Epoch ms by which every guard must have ended (an agent hook's timeout): guard timeouts are cut to it.
  deadline?: number;
}

export interface RunResult {
  status: 'ACCEPTED' | 'REJECTED';
  // The record written (or reused from the cache); null when the run was skipped.
  record: RecordV1 | null;
  cached: boolean;
  skipped: boolean;
  isolated: boolean;
  fixes: FixReport;
  guards: SelectedGuard[];
  // Problems that didn't change the verdict (e.g. ℛ could not be written).
  warnings: string[];
  // What the config loader warned about (printed, never fatal).
  configWarnings: Diagnostic[];
}

// Bumped when what guards see changes (environment, candidate rules): old cache entries stop matching.
const ENGINE_VERSION = 'engine-1';

// Loads the config (from a cache keyed by the files' content, so a hook skips YAML and schema work
// when nothing changed) or throws a ConfigError carrying every problem found.
// A GENERATOR run uses the config committed at HEAD, never the agent's edited copy.
async function configFor(repo: RepoInfo, given: Config | undefined, source: 'HUMAN' | 'GENERATOR'): Promise<{ config: Config; warnings: Diagnostic[] }> {
  if (given) return { config: given, warnings: [] };
  if (source === 'GENERATOR') return (await import('../hooks/agents/committed-config.js')).loadCommittedConfig(repo);
  const cacheFile = join(repo.commonDir, 'guardloop', 'config-cache.json');
  const { config, errors, warnings } = await loadConfigCached({ root: repo.root, cacheFile });
  if (!config || errors.length) throw new ConfigError(errors);
  return { config, warnings };
}

interface Candidate {
  tree: string;
  view: CandidateView;
  isolated: boolean;
  checkout: TempCheckout | null;
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
async function isolate(repo: RepoInfo, config: Config, cand: Candidate & { differs: boolean }): Promise<void> {
  if (!cand.differs) return;
  cand.checkout = await createTempCheckout(repo, cand.tree, config.link);
  cand.view = { indexFile: cand.checkout.indexFile, workTree: cand.checkout.dir };
  cand.isolated = true;
}

// What fix guards have changed so far, so an interrupted run can take it back.
interface FixProgress {
  tree: string;
  fixedFiles: string[];
  report: FixReport | null;
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

// Runs the selected guards on the candidate, batch by batch, and returns their verdicts in
// declaration order together with the tree after any fixes.
async function runGuards(
  repo: RepoInfo,
  config: Config,
  cand: Candidate,
  selected: SelectedGuard[],
  hook: RunHook,
  env: NodeJS.ProcessEnv,
  opts: RunOptions,
  progress: FixProgress,
): Promise<{ verdicts: Verdict[]; tree: string; fixedFiles: string[] }> {
  const verdicts: Verdict[] = new Array(selected.length);
  const index = new Map(selected.map((s, i) => [s, i]));
  let tree = cand.tree;
  const fixedFiles = progress.fixedFiles;
  let reported = 0;
  const report = () => {
    while (reported < selected.length && verdicts[reported]) opts.onVerdict?.(verdicts[reported], selected[reported++]);
  };
  for (const batch of batches(selected, config.parallel)) {
    await pool(batch, Math.max(1, availableParallelism()), async (s) => {
      const i = index.get(s)!;
      if (s.skip) {
        verdicts[i] = { guard: s.guard.id, status: 'skipped', exit: null, ms: 0, feedback: 'no changed file matches its `files`' };
        return;
      }
      const res = await executeGuard({
        run: s.guard.run,
        files: s.files,
        cwd: join(cand.view.workTree, s.guard.cwd),
        env: guardEnv({ root: repo.root, hook, guard: s.guard, configEnv: config.env, base: env }),
        timeoutMs: Math.max(1, Math.min(s.guard.timeout, opts.deadline !== undefined ? opts.deadline - Date.now() : Infinity)),
        outputLimit: config.limits.output,
        signal: opts.signal,
      });
      verdicts[i] = { guard: s.guard.id, status: res.status, exit: res.exit, ms: res.ms, feedback: res.output };
    });
    if (opts.signal?.aborted) throw new InterruptedError();
    const ran = batch.filter((s) => !s.skip);
    const modified = ran.length ? await modifiedFiles(repo, cand.view) : [];
    if (modified.length && batch[0].guard.fix) {
      fixedFiles.push(...modified.filter((f) => !fixedFiles.includes(f)));
      tree = progress.tree = await stageFixes(repo, cand.view, modified);
      verdicts[index.get(batch[0])!].modified = modified;
    } else if (modified.length) {
      // A check-only guard changed files: that is a failure, and the candidate is put back.
      const touched = ran.filter((s) => s.files?.some((f) => modified.includes(f)));
      for (const s of touched.length ? touched : ran) {
        const v = verdicts[index.get(s)!];
        v.modified = modified;
        if (v.status === 'pass') v.status = 'fail';
        v.feedback += `\n[guardloop: guard modified files: ${modified.join(', ')}; they were restored. Set \`fix: true\` on a guard that is meant to fix files]`;
      }
      await restoreFiles(repo, cand.view, modified);
    }
    report();
  }
  return { verdicts, tree, fixedFiles };
}

// Runs the guards of one hook on the candidate, decides, and records the verdict in ℛ.
export async function run(opts: RunOptions = {}): Promise<RunResult> {
  const env = opts.env ?? process.env;
  const hook = opts.hook ?? 'run';
  const noFixes: FixReport = { staged: [], applied: [], notApplied: [] };
  if (env.GUARDLOOP === '0') {
    return { status: 'ACCEPTED', record: null, cached: false, skipped: true, isolated: false, fixes: noFixes, guards: [], warnings: [], configWarnings: [] };
  }
  const repo = await discoverRepo(opts.cwd ?? process.cwd(), env);
  const sweeping = Promise.all([sweepStaleCheckouts(), sweepScratch(repo)]).catch(() => undefined);
  const agent = opts.agent !== undefined ? opts.agent : detectAgent(env);
  const source = opts.source ?? (agent ? 'GENERATOR' : 'HUMAN');
  const { config, warnings: configWarnings } = await configFor(repo, opts.config, source);
  const warnings: string[] = [];

  const baseTree = treeOf(repo, repo.head);
  const repository = await openRepository({ cwd: repo.root, dirs: repo });
  let cand: (Candidate & { differs: boolean }) | null = null;
  let progress: FixProgress | null = null;
  try {
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
    const setHash = guardSetHash(selected, ENGINE_VERSION);
    const key: ChainKey = { source, base: repo.head, agent, session: opts.session ?? null };
    const chain = await readChain(repo.commonDir, key, repository);
    // An agent may not change its own guards or their tests without a person's approval.
    const guarded = source === 'GENERATOR' ? await protectedVerdict(repo, repository, config, cand.tree) : null;
    // An open agent chain runs again so that its closing ACCEPTED record carries the chain.
    const cacheable = !guarded && !(source === 'GENERATOR' && chain.retry > 0);
    const hit = cacheable && onTree.find((r) => r.status === 'ACCEPTED' && r.spec.guardSetHash === setHash);
    if (hit) return { status: 'ACCEPTED', record: hit, cached: true, skipped: false, isolated: false, fixes: noFixes, guards: selected, warnings, configWarnings };

    await isolate(repo, config, cand);
    opts.onStart?.({ guards: selected, isolated: cand.isolated, tree: cand.tree });
    progress = { tree: cand.tree, fixedFiles: [], report: null };
    const { verdicts, tree, fixedFiles } = await runGuards(repo, config, cand, selected, hook, env, opts, progress);
    if (guarded) {
      verdicts.push(guarded);
      opts.onVerdict?.(guarded, { guard: { ...PROTECTED_SPEC, on: [], files: undefined, timeout: 0, env: {}, cwd: '.', fix: false, enabled: true, source: 'guardloop' }, files: null, skip: false });
    }
    const status = decide(verdicts);
    const { diff, truncated, paths: files } = tree === cand.tree && change ? change : await diffTrees(repo, await baseTree, tree, config.limits.diff);
    const escalated = source === 'GENERATOR' && status === 'REJECTED' && chain.retry + 1 >= config.agent.maxAttempts;
    const draft: RecordDraft = {
      v: 1,
      ts: new Date().toISOString(),
      hook,
      source,
      agent,
      session: opts.session ?? null,
      base: repo.head,
      tree,
      status,
      reward: status === 'ACCEPTED' ? 1 : -1,
      spec: {
        configHash: configHash(config),
        guardSetHash: setHash,
        guards: [...selected.map(({ guard }) => ({ id: guard.id, invariant: guard.invariant, layer: guard.layer, run: guard.run })), ...(guarded ? [PROTECTED_SPEC] : [])],
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
      tool: { name: 'guardloop', version: VERSION },
    };
    const { record } = finishRecord(redactDraft(draft, config.redact.map((p) => new RegExp(p, 'g'))));
    try {
      await repository.append([record], { prepared: true });
      await advanceChain(repo.commonDir, key, record);
    } catch (e) {
      warnings.push(`the verdict could not be recorded in ℛ: ${(e as Error).message}`);
    }
    // Fixes reach the user's index and working copy last, and are taken back if a signal came meanwhile.
    if (opts.signal?.aborted) throw new InterruptedError();
    const fixes = fixedFiles.length ? (progress.report = await applyFixesToUser(repo, cand, fixedFiles, tree)) : noFixes;
    if (opts.signal?.aborted) throw new InterruptedError();
    return { status, record, cached: false, skipped: false, isolated: cand.isolated, fixes, guards: selected, warnings, configWarnings };
  } catch (e) {
    if (e instanceof InterruptedError && cand && progress?.fixedFiles.length) await revertFixes(repo, cand, progress.tree, progress.fixedFiles, progress.report).catch(() => undefined);
    throw e;
  } finally {
    await Promise.all([cand?.checkout?.remove(), dropIndex(cand?.tmpIndex), repository.close(), sweeping]);
  }
}
