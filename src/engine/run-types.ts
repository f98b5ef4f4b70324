// What a run is asked and what it answers: the engine's public shapes, apart from run.ts so
// wording (src/messages) can name them without importing the engine.
import type { Diagnostic } from '../config/diagnostic.js';
import type { Config } from '../config/schema.js';
import type { FixReport } from '../git/fix.js';
import type { RecordV1, Verdict } from '../store/record.js';
import type { RecordHook, Source } from '../store/record-values.js';
import type { GitNotesRepository } from '../store/repository.js';
import type { Baseline } from './baseline.js';
import type { Reproduction } from './reproduce.js';
import type { RunHook, SelectedGuard } from './select.js';

export interface RunOptions {
  cwd?: string;
  // Which hook is running: its guards are selected. 'run' (the default) selects every guard.
  hook?: RunHook;
  noCache?: boolean;
  // Match `files` globs against every file of the candidate instead of the changed ones.
  allFiles?: boolean;
  // Who produced the candidate; by default detected from the environment (an agent's shell → GENERATOR).
  // CI: a CI job re-judging a commit (with `commit`).
  source?: Source;
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
  // A GENERATOR run's trusted base, when the caller already found it (else found here).
  baseline?: Baseline;
  // ℛ of this repository when the caller has it open (an agent's stop read it for the baseline): the
  // run reads and writes through it, one git reader fewer, and closes it when it ends.
  store?: GitNotesRepository;
  // Judge this commit again instead of the staged content: its tree in a temporary checkout (the
  // user's index and work tree untouched), its first parent as the base, the guards of its own
  // config selected by `hook` (default pre-commit), never the cache; the verdict is compared with
  // the tree's earlier records (RunResult.reproduced) and recorded with `recordHook`.
  commit?: string;
  // The hook a commit's record is written under (default verify; ci for `guardloop ci`).
  recordHook?: RecordHook;
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
  // Whether the record reached ℛ (false: a stuck lock, a full disk; the chain advanced all the same).
  recorded: boolean;
  // What the config loader warned about (printed, never fatal).
  configWarnings: Diagnostic[];
  // A commit's run (RunOptions.commit): how its verdict compares with the tree's earlier records.
  reproduced?: Reproduction;
}
