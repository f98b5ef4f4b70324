import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { run, type RunResult } from '../engine/run.js';
import type { Config } from '../config/schema.js';
import { discoverRepo } from '../git/repo.js';
import { ABORTED_STOP, escalated, hookWarning, NOT_RECORDED_FALLBACK, NOT_RECORDED_MARK, stopProgress, subagentsStillRunning } from '../messages/agents.js';
import { SKIPPED_BY_ENV } from '../messages/run.js';
import type { Verdict } from '../store/record.js';
import { loadCommittedConfig } from '../config/committed.js';
import type { ErrorContext } from './on-error.js';
import { clearHookError } from './on-error.js';
import { stopReason } from './reason.js';
import type { AgentAdapter, HookReply, Payload } from './types.js';
import { taskFromTranscript } from './transcript.js';
import { trustedBaseline } from '../engine/baseline.js';
import { tolerantReads } from '../engine/tolerant-reads.js';
import { openRepository } from '../store/repository.js';
import { forgetSubagentStart, subagentChangedNothing } from './subagent-start.js';

// The warning that says the verdict was not recorded (for the agent and the person), cut short.
function unrecordedNotice(warnings: string[]): string {
  return (warnings.find((w) => w.includes(NOT_RECORDED_MARK)) ?? NOT_RECORDED_FALLBACK).slice(0, 560);
}

// guardloop's own bound on a stop: guard timeouts are cut so every guard has ended by then. The hooks
// `init --agent` installs time out at HOOK_TIMEOUT_S, above it, leaving room for git and ℛ.
export const STOP_BUDGET_MS = 300_000;
// The timeout of the installed stop hooks (seconds): above STOP_BUDGET_MS plus git and ℛ work.
export const HOOK_TIMEOUT_S = 360;

// How a stop runs: where, with what environment, within which budget, and where progress goes.
export interface StopOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  budgetMs?: number;
  // One line per guard as verdicts arrive (the CLI prints them on stderr, never on stdout).
  onProgress?: (line: string) => void;
  // How long to wait for a lagging transcript.
  transcriptWaitMs?: number;
}

// An agent's stop: runs the `on: stop` guards (from the config committed at HEAD) on the working tree
// as the agent left it, records the attempt in the session's chain, and answers in the agent's
// protocol: block with the failures as the next instruction, or let the stop through. `ctx` learns
// the repository, session and onError policy as soon as they are known, for the caller's error path.
export async function stopHook(adapter: AgentAdapter, payload: Payload, opts: StopOptions, ctx: ErrorContext): Promise<HookReply> {
  const started = Date.now();
  const info = adapter.stop(payload);
  // Ralph-loop hooks bled into other sessions when the id was empty: key by the transcript then.
  ctx.session = info.session ?? (info.transcript ? `transcript:${createHash('sha256').update(info.transcript).digest('hex').slice(0, 16)}` : null);
  if (info.aborted) {
    const a = adapter.allow(ABORTED_STOP);
    return { ...a, code: 0 };
  }
  // Plan mode edits nothing, and a subagent's echo stop is judged by its own subagent-stop event:
  // let through at once, no guard runs and nothing is recorded (no verdict was reached).
  if (info.planMode || info.judgedElsewhere) return { ...adapter.allow(), code: 0 };
  // The parent stops while its background subagents still change the tree: judging it now would block
  // the parent for their unfinished work. The agent wakes the parent when they finish, and that stop
  // is judged (each subagent's own stop judges it first).
  if (info.runningSubagents) return { ...adapter.allow(subagentsStillRunning(info.runningSubagents)), code: 0 };
  const repo = await discoverRepo(info.cwd && existsSync(info.cwd) ? info.cwd : opts.cwd);
  ctx.commonDir = repo.commonDir;
  // A subagent that changed nothing since it started (same worktree, HEAD and content) is let
  // through without a run; without a recorded start the guards run (the engine's own shortcuts apply).
  if (info.subagent && ctx.session && (await subagentChangedNothing(repo, adapter.name, ctx.session))) {
    await forgetSubagentStart(repo, adapter.name, ctx.session).catch(() => undefined);
    return { ...adapter.allow(), code: 0 };
  }
  // The turn is judged against a base the agent can't move (its turn's start, or an ACCEPTED commit).
  // ℛ is opened once, for the trusted base and for the run (which closes it; so does any way out here).
  const store = await openRepository({ cwd: repo.root, dirs: repo });
  let result: RunResult;
  let config: Config;
  try {
    // ℛ unreadable (a damaged repository): the base falls back to the turn start or HEAD; the run says why.
    const repository = tolerantReads(store, () => undefined);
    const baseline = await trustedBaseline(repo, repository, { agent: adapter.name, session: ctx.session });
    ({ config } = await loadCommittedConfig(repo, baseline.commit));
    ctx.policy = config.agent.onError;
    const task = info.prompt ?? (await taskFromTranscript({ file: info.transcript, promptId: info.promptId, lastMessage: info.lastMessage, waitMs: opts.transcriptWaitMs }));
    result = await run({
      cwd: repo.root,
      hook: 'stop',
      source: 'GENERATOR',
      agent: adapter.name,
      session: ctx.session,
      task,
      lastMessage: info.lastMessage,
      config,
      baseline,
      store,
      env: opts.env,
      signal: opts.signal,
      deadline: started + (opts.budgetMs ?? STOP_BUDGET_MS),
      onVerdict: (v: Verdict) => opts.onProgress?.(stopProgress(v.guard, v.status, v)),
    });
  } finally {
    await store.close();
  }
  await clearHookError(repo.commonDir, adapter.name, ctx.session).catch(() => undefined);
  // A subagent let through (accepted or escalated) is done: a resumed one records a new start.
  if (info.subagent && ctx.session && (result.status === 'ACCEPTED' || !result.record || result.record.escalated)) await forgetSubagentStart(repo, adapter.name, ctx.session).catch(() => undefined);
  const warnings = result.warnings.map((w) => `${hookWarning(w)}\n`).join('');
  if (result.skipped) {
    const a = adapter.allow(SKIPPED_BY_ENV);
    return { ...a, code: 0 };
  }
  if (result.status === 'ACCEPTED' || !result.record) {
    const a = adapter.allow(result.recorded ? undefined : unrecordedNotice(result.warnings));
    return { stdout: a.stdout, stderr: warnings + a.stderr, code: 0 };
  }
  if (result.record.escalated) {
    const notice = escalated(adapter.name, result.record, result.record.retry + 1);
    const a = adapter.allow(result.recorded ? notice : `${notice}\n${unrecordedNotice(result.warnings)}`);
    return { stdout: a.stdout, stderr: warnings + a.stderr, code: 0 };
  }
  // The agent is told when its attempt could not be recorded (the attempt still counts).
  const reason = stopReason(result.record, config.agent.maxAttempts, adapter.reasonLimit - (result.recorded ? 0 : 600));
  return { stdout: adapter.block(result.recorded ? reason : `${reason}\n\n${unrecordedNotice(result.warnings)}`), stderr: warnings, code: 0 };
}
