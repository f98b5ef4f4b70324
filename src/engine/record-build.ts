import { configHash } from '../config/config-hash.js';
import type { Config } from '../config/schema.js';
import type { TreeChange } from '../git/candidate.js';
import { finishRecord, type RecordDraft, type RecordV1, type Verdict } from '../store/record.js';
import { redactDraft } from '../store/redact.js';
import { recordOrigin } from '../store/identity.js';
import type { Source } from '../store/record-values.js';
import { VERSION } from '../version.js';
import type { Baseline } from './baseline.js';
import type { ChainState } from './chain.js';
import type { OwnSpec } from './own-checks.js';
import type { RunHook, SelectedGuard } from './select.js';

// Everything a record says about one run.
export interface RecordInput {
  hook: RunHook;
  who: { source: Source; agent: string | null; session: string | null };
  base: string | null;
  // The candidate after fixes, and its change against the base.
  tree: string;
  change: Pick<TreeChange, 'diff' | 'truncated' | 'paths'>;
  status: 'ACCEPTED' | 'REJECTED';
  escalated: boolean;
  config: Config;
  setHash: string;
  selected: SelectedGuard[];
  // The specs of guardloop's own checks that failed (recorded after the guards').
  ownSpecs: OwnSpec[];
  verdicts: Verdict[];
  chain: ChainState;
  isolated: boolean;
  drifted: string[];
  baseline: Baseline | null;
  task?: string | null;
  lastMessage?: string | null;
}

// What every record of a run starts with: its time, hook, who produced it, the base and the tree.
function head(input: Pick<RecordInput, 'hook' | 'who' | 'base' | 'tree'>): Pick<RecordDraft, 'v' | 'ts' | 'hook' | 'source' | 'agent' | 'session' | 'base' | 'tree'> {
  return { v: 1, ts: new Date().toISOString(), hook: input.hook, source: input.who.source, agent: input.who.agent, session: input.who.session, base: input.base, tree: input.tree };
}

// What every record of a run ends with: the trusted base (unless plain HEAD), the tool, where it was written.
function tail(baseline: Baseline | null): Pick<RecordDraft, 'baseline' | 'tool' | 'host' | 'user'> {
  return { ...(baseline && baseline.how !== 'head' ? { baseline: { how: baseline.how, commits: baseline.commits } } : {}), tool: { name: 'guardloop', version: VERSION }, ...recordOrigin() };
}

// The draft redacted (built-in patterns and the config's `redact`) and given its id.
function finish(draft: RecordDraft, config: Config): RecordV1 {
  return finishRecord(redactDraft(draft, config.redact.map((p) => new RegExp(p, 'g')))).record;
}

// Assembles the run's record, redacted (built-in patterns and the config's `redact`), with its id.
export function buildRecord(input: RecordInput): RecordV1 {
  const { status, chain, baseline, config } = input;
  const draft: RecordDraft = {
    ...head(input),
    status,
    reward: status === 'ACCEPTED' ? 1 : -1,
    spec: {
      configHash: configHash(config),
      guardSetHash: input.setHash,
      guards: [...input.selected.map(({ guard }) => ({ id: guard.id, invariant: guard.invariant, layer: guard.layer, run: guard.run })), ...input.ownSpecs],
      task: input.task ?? null,
    },
    artifact: { diff: input.change.diff, files: input.change.paths, truncated: input.change.truncated },
    verdicts: input.verdicts,
    history: chain.history,
    provenance: chain.provenance,
    retry: chain.retry,
    ...(input.escalated ? { escalated: true } : {}),
    ...(input.lastMessage ? { lastMessage: input.lastMessage } : {}),
    isolated: input.isolated,
    ...(input.drifted.length ? { drifted: input.drifted } : {}),
    ...tail(baseline),
  };
  return finish(draft, config);
}

// What a light record says: the stop it answers, the ACCEPTED record whose verdicts stand for it, and
// whether the candidate is the base's own tree (an empty change) or that record's change from the base.
export interface LightInput {
  hook: RunHook;
  who: RecordInput['who'];
  base: string | null;
  tree: string;
  from: RecordV1;
  sameAsBase: boolean;
  config: Config;
  baseline: Baseline | null;
  task?: string | null;
  lastMessage?: string | null;
}

// The record of a stop that changed nothing ("nothing changed, nothing runs"): ACCEPTED, no guard run,
// no diff read again. It carries the verdicts and guard set of the record that judged the tree
// (`from`: each verdict `reused` from it, `ms` 0), that record's id as `reused`, and this turn's own
// session, task and last message; its change is empty (the base's own tree) or `from`'s, which was
// judged against the same base. A chain is never open here, so it has no history.
export function lightRecord(input: LightInput): RecordV1 {
  const { from, baseline } = input;
  const draft: RecordDraft = {
    ...head(input),
    status: 'ACCEPTED',
    reward: 1,
    spec: { ...from.spec, task: input.task ?? null },
    artifact: input.sameAsBase ? { diff: '', files: [], truncated: false } : from.artifact,
    verdicts: from.verdicts.map((v) => ({ ...v, ms: 0, reused: v.reused ?? from.id })),
    history: [],
    provenance: [],
    retry: 0,
    ...(input.lastMessage ? { lastMessage: input.lastMessage } : {}),
    isolated: false,
    ...tail(baseline),
    reused: from.reused ?? from.id,
  };
  return finish(draft, input.config);
}
