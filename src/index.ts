// guardloop's library API: what a program needs to run the guards, read ℛ, load the config, install
// guardloop and answer an agent's hook — and the names of those functions' options and results.
// Everything else is internal and may change in any release; test/e2e/api-surface.txt lists this
// surface and test/e2e/api-surface.test.ts checks the packed tarball against it.

/** Runs the guards a hook selects on the candidate (the staged tree, or the working tree for an agent) and records the verdict in ℛ. */
export { run } from './engine/run.js';
/** What {@link run} is asked: the working directory, the hook, cache and source options, callbacks per guard. */
export type { RunOptions } from './engine/run.js';
/** What {@link run} answers: ACCEPTED or REJECTED, the record written (or reused from the cache), warnings. */
export type { RunResult } from './engine/run.js';
/** Which guards a run selects: a git hook's, an agent's stop, a manual run, or every guard (`run`). */
export type { RunHook } from './engine/select.js';
/** One guard as a run selected it (the second argument of `onVerdict`, listed in {@link RunResult}). */
export type { SelectedGuard } from './engine/select.js';
/** What a run's fix guards changed and how it was carried back to the index and the working tree. */
export type { FixReport } from './git/fix.js';

/** Opens ℛ (the records in refs/notes/guardloop) of the repository at `cwd`, to read and append records. */
export { openRepository } from './store/repository.js';
/** Where {@link openRepository} finds the repository, which notes ref it uses, and what it masks on append. */
export type { OpenRepositoryOptions } from './store/repository.js';
/** ℛ of one repository: records by tree, by id or revision (`show`), newest first (`log`), appends; close it when done. */
export type { Repository } from './store/types.js';
/** Which records {@link Repository.log} returns: by status, source, hook, time (`since`) and count (`limit`). */
export type { LogFilter } from './store/types.js';
/** A note in ℛ that could not be read as a record, reported beside the records that could. */
export type { StoreWarning } from './store/types.js';
/** One record of ℛ (schema version 1): the candidate tree, who produced it, the config, every guard's verdict. */
export type { RecordV1 } from './store/record.js';
/** One guard's verdict inside a {@link RecordV1}: its status, exit code, milliseconds, feedback and the files it modified. */
export type { Verdict } from './store/record.js';

/** Exports the chains of ℛ a policy (and `where`) selects as training data: JSONL lines in a TRL format (prompt-completion, messages, dpo, kto) or the raw records. */
export { extract } from './learn/extract.js';
/** What {@link extract} is asked: the policy, `where`, format, artifact, redaction, output (a file, a stream, or none: lines returned) and checkpoint. */
export type { ExtractOptions } from './learn/extract.js';
/** What {@link extract} answers: how many examples from how many chains, what was left out and why, the notes commit read, and the lines when no output was given. */
export type { ExtractResult } from './learn/extract.js';
/** The chains {@link extract} left out, counted by why: SKIPPED records, escalated and rejected chains, approved protected-path changes, Φ, the checkpoint. */
export type { ExtractExclusions } from './learn/extract.js';

/** The loop's figures from ℛ: first-attempt acceptance, retries per accepted chain, rejections per guard, layer, source and agent, skips, refinements, each per week (`guardloop stats --json`). */
export { stats } from './learn/stats.js';
/** What {@link stats} is asked: the directory, the notes ref, `since` (a date, date-time or duration). */
export type { StatsOptions } from './learn/stats.js';
/** What {@link stats} answers (its zod schema is `statsSchema` in src/learn/insight-schemas.ts). */
export type { Stats } from './learn/insight-schemas.js';
/** The constraint log: each guard's date in the config's history, its catches, recurrence after the grace period and verdict (`guardloop constraints --json`). */
export { constraints } from './learn/constraints.js';
/** What {@link constraints} answers: the grace and idle settings and one {@link Constraint} row per guard. */
export type { Constraints, Constraint } from './learn/insight-schemas.js';
/** Loop health: new constraints and recurrences per week, catch spans, and the warning signs of constraint explosion (`guardloop health --json`). */
export { health } from './learn/health.js';
/** What {@link health} is asked: the directory and the notes ref. */
export type { HealthOptions } from './learn/health.js';
/** What {@link health} answers: healthy or not, the weeks, and each warning sign with its figure and threshold. */
export type { Health } from './learn/insight-schemas.js';
/** Writes one self-contained HTML report of ℛ (charts, the constraint log, flaky guards, loop health, escalated chains). */
export { report } from './learn/report.js';
/** What {@link report} is asked (directory, notes ref, `since`, output file) and what it answers (path, bytes, url, counts, warnings). */
export type { ReportOptions, ReportResult } from './learn/report.js';

/** Reads, validates and resolves a repository's .loop/config.yaml, returning every problem found at once. */
export { loadConfig } from './config/load.js';
/** Where {@link loadConfig} reads: the repository root and the config file. */
export type { LoadConfigOptions } from './config/load.js';
/** What {@link loadConfig} answers: the resolved config (null on any error), its warnings and errors. */
export type { LoadConfigResult } from './config/load.js';
/** A problem found in the config, with where it is and how to fix it. */
export type { Diagnostic } from './config/load.js';
/** A resolved config: its guards with `extends` applied, the agent settings, limits and redaction patterns. */
export type { Config } from './config/schema.js';
/** One guard of a resolved {@link Config}: its id, command, invariant, layer, hooks, files and timeout in ms. */
export type { ResolvedGuard } from './config/schema.js';

/** Installs guardloop in a repository: the git hooks, a starter .loop/config.yaml, and optionally agents' hooks. */
export { init } from './setup/init.js';
/** What {@link init} is asked: the directory and the agents whose hook configs get guardloop's hooks. */
export type { InitOptions } from './setup/init.js';
/** What {@link init} did, step by step, whether the git hook is live, and what a person still has to do. */
export type { InitResult } from './setup/init.js';

/** Answers one agent hook (stop, pre-tool, turn-start) from the agent's payload, in that agent's protocol. */
export { agentHook } from './agents/dispatch.js';
/** What {@link agentHook} is given: the agent, the hook, the payload read from stdin, the directory and environment. */
export type { AgentHookOptions } from './agents/dispatch.js';
/** The agent hooks guardloop answers: 'stop', 'pre-tool' and 'turn-start'. */
export type { AgentHookName } from './agents/dispatch.js';
/** The agents guardloop has adapters for: 'claude', 'codex', 'cursor', 'gemini', 'copilot', 'qwen'. */
export type { AgentName } from './agents/types.js';
/** What {@link agentHook} answers: the agent's stdout and stderr and the exit code to end with. */
export type { HookReply } from './agents/types.js';

/** The base of every error guardloop throws on purpose: a stable `code`, structured `data` and the CLI's exit code. */
export { GuardloopError } from './errors/guardloop-error.js';
/** The config can't be used (code CONFIG_INVALID): `data.errors` holds every {@link Diagnostic}; {@link run} throws it. */
export { ConfigError } from './errors/config-error.js';

/** The version of this guardloop package. */
export { VERSION } from './version.js';
