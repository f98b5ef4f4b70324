// Block only on new failures (issue 13): an agent's run judges each guard against the turn's base.
// A guard whose inputs are the base's own is not run (the agent changed nothing it reads: whatever it
// says, the base says too). A guard that fails is compared with the same guard on the base tree — its
// verdict there found in ℛ through the verdict index (a run of the same key), else run once in a
// private checkout of the base — and a failure whose every id the base already had doesn't block.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTempCheckout } from '../git/checkout.js';
import { FAILURES_NONE_PRINTED, FAILURES_NOT_ALL_READ, SKIPPED_SAME_AS_BASE } from '../messages/failures.js';
import type { GuardStatus, RecordV1, Verdict } from '../store/record.js';
import type { Repository } from '../store/types.js';
import type { VerdictIndex } from '../store/verdict-index.js';
import { batches, runBatch, type GuardRunContext } from './guard-batch.js';
import { contentHash, guardKey, inputGlobs, usesFiles } from './guard-key.js';
import { entriesDigests, listTree } from './guard-key-tree.js';
import type { ReusePlan } from './guard-reuse.js';
import type { SelectedGuard } from './select.js';

// What judging against the base needs: the run's context, ℛ, the guards and their reuse plan (keys and
// inputs on the candidate), the base tree and the candidate tree.
export interface BaseInput {
  ctx: GuardRunContext;
  repository: Repository;
  selected: SelectedGuard[];
  plan: ReusePlan;
  baseTree: string;
  tree: string;
}

// A guard the base is compared on: a check-only guard that runs and has a key.
const comparable = (s: SelectedGuard, plan: ReusePlan, i: number) => !s.skip && !s.guard.fix && plan.defs[i] !== undefined && plan.inputs?.[i] !== undefined;

// The inputs digests of the guards on the base tree (globbed guards only; the others' inputs are the
// whole tree). Listed once per run, and only when asked.
function baseDigests(input: BaseInput): () => Promise<Array<string | undefined>> {
  let listed: Promise<Array<string | undefined>> | null = null;
  return () =>
    (listed ??= (async () => {
      const globs = input.selected.map((s, i) => (comparable(s, input.plan, i) ? inputGlobs(s.guard) : null));
      const sets = globs.filter((g): g is string[] => g !== null);
      const digests = sets.length ? await entriesDigests(await listTree(input.ctx.repo, input.baseTree), sets) : [];
      let next = 0;
      return globs.map((g) => (g ? (digests?.[next++] ?? `tree:${input.baseTree}`) : `tree:${input.baseTree}`));
    })());
}

// The verdict of a guard not run because its inputs are the base's own.
function sameVerdict(s: SelectedGuard, baseTree: string): Verdict {
  return { guard: s.guard.id, status: 'skipped', exit: null, ms: 0, feedback: SKIPPED_SAME_AS_BASE, baseline: { tree: baseTree, same: true } };
}

// The verdicts that stand for guards whose inputs on the candidate are the base's own (undefined: the
// guard runs), with the run's keys: merged into the reuse plan, so runGuards doesn't run them.
export async function sameAsBase(input: BaseInput): Promise<ReusePlan> {
  const { plan, selected } = input;
  // The candidate is the base's own tree: the agent changed nothing any guard reads.
  if (input.baseTree === input.tree)
    return { ...plan, reusable: selected.map((s, i) => plan.reusable[i] ?? (comparable(s, plan, i) ? sameVerdict(s, input.baseTree) : undefined)) };
  if (!selected.some((s, i) => comparable(s, plan, i) && inputGlobs(s.guard))) return plan;
  try {
    const onBase = await baseDigests(input)();
    const reusable = selected.map((s, i): Verdict | undefined => {
      if (plan.reusable[i] || !comparable(s, plan, i) || !inputGlobs(s.guard) || onBase[i] !== plan.inputs![i] || plan.inputs![i]!.startsWith('tree:')) return plan.reusable[i];
      return sameVerdict(s, input.baseTree);
    });
    return { ...plan, reusable };
  } catch {
    return plan;
  }
}

// The guard's verdict on the base, as compared: its status there and the ids of its failures.
interface OnBase {
  status: GuardStatus;
  failures: string[];
  from?: string;
  ms?: number;
}

// A verdict that says what the base's content does: a pass or a failure. A timeout or an error (the stop's
// time ran out, the checkout lacked something, the run was interrupted) says nothing lasting about it, so
// it is neither indexed nor found: the next run on that base runs the guard there again.
const judged = (status: string) => status === 'pass' || status === 'fail';

// Whether a record's own verdicts saw exactly its tree: a stop's (its tree is the work tree, untracked files
// included) or a run in a private checkout. A commit hook's guards run in place see untracked files its
// tree (the index's) doesn't hold, so their verdict doesn't stand for the base: an agent's own untracked
// file would pass for a failure the base already had.
const sawItsTree = (record: RecordV1) => record.hook === 'stop' || record.isolated === true;

// A verdict of `key` in ℛ, through the index: the record's own verdict of that key (see sawItsTree), or
// the base run another record made on those inputs. Checked in ℛ (the index only finds).
async function recordedOnBase(repository: Repository, index: VerdictIndex | undefined, guard: string, key: string): Promise<OnBase | null> {
  for (const e of (index?.byKey.get(key) ?? []).filter((x) => judged(x.status)).slice(0, 3)) {
    const record: RecordV1 | undefined = (await repository.byTree(e.tree)).find((r) => r.id === e.record);
    for (const v of record?.verdicts ?? []) {
      if (v.guard !== guard) continue;
      if (v.key === key && judged(v.status) && !v.reused && sawItsTree(record!)) return { status: v.status, failures: v.failures ?? [], from: record!.id };
      if (v.baseline?.key === key && v.baseline.status && judged(v.baseline.status)) return { status: v.baseline.status, failures: v.baseline.failures ?? [], from: v.baseline.from ?? record!.id };
    }
  }
  return null;
}

// Runs guards on the base tree in a private checkout (removed after); a guard given `{files}` gets those
// of its paths the base has (none: nothing of it existed there, so it passes there).
async function runOnBase(input: BaseInput, guards: SelectedGuard[]): Promise<OnBase[]> {
  const { ctx } = input;
  const checkout = await createTempCheckout(ctx.repo, input.baseTree, ctx.config.link, ctx.base);
  try {
    const site = { tree: input.baseTree, view: { indexFile: checkout.indexFile, workTree: checkout.dir }, isolated: true, checkout };
    const onBase = guards.map((s) => (s.files && usesFiles(s.guard) ? { ...s, files: s.files.filter((f) => existsSync(join(checkout.dir, f))) } : s));
    const runnable = onBase.filter((s) => !(s.files && usesFiles(s.guard) && s.files.length === 0));
    // In the config's batches, as on the candidate: `parallel: false` guards may share a port or a folder.
    const verdicts: Verdict[] = [];
    for (const batch of batches(runnable, ctx.config.parallel)) verdicts.push(...(await runBatch({ ...ctx, onVerdict: undefined }, site, batch)));
    return onBase.map((s) => {
      const v = verdicts[runnable.indexOf(s)];
      return v ? { status: v.status, failures: v.failures ?? [], ms: v.ms } : { status: 'pass', failures: [], ms: 0 };
    });
  } finally {
    await checkout.remove().catch(() => undefined);
  }
}

// A base verdict a later run can find: the key it is of and its status (indexed with the record).
export interface BaseEntry {
  key: string;
  status: GuardStatus;
}

// Each failing guard's verdict compared with the base: `baseline` set, `tolerated` when every failure
// was already there. Verdicts are changed in place; the base runs made here are returned for the index.
// A base that can't be judged (its run errored, timed out, or the checkout failed) tolerates nothing.
export async function judgeAgainstBase(input: BaseInput, verdicts: Verdict[]): Promise<BaseEntry[]> {
  const { plan, selected } = input;
  if (input.baseTree === input.tree) return [];
  const failing = selected.map((s, i) => i).filter((i) => verdicts[i]?.status === 'fail' && !verdicts[i].reused && comparable(selected[i], plan, i));
  if (!failing.length) return [];
  const onBaseInputs = await baseDigests(input)().catch(() => null);
  if (!onBaseInputs) return [];
  const keys = failing.map((i) => guardKey(plan.defs[i]!, contentHash(selected[i], onBaseInputs[i]!)));
  const found = await Promise.all(failing.map((i, n) => recordedOnBase(input.repository, plan.index, selected[i].guard.id, keys[n]).catch(() => null)));
  const missing = failing.filter((_, n) => !found[n]);
  const ran = missing.length ? await runOnBase(input, missing.map((i) => selected[i])).catch(() => null) : [];
  const entries: BaseEntry[] = [];
  failing.forEach((i, n) => {
    const m = missing.indexOf(i);
    const base = found[n] ?? (m >= 0 && ran ? ran[m] : null);
    if (!base) return;
    if (m >= 0 && judged(base.status)) entries.push({ key: keys[n], status: base.status });
    const v = verdicts[i];
    v.baseline = { tree: input.baseTree, key: keys[n], status: base.status, failures: base.failures, ...(base.ms !== undefined ? { ms: base.ms } : {}), ...(base.from ? { from: base.from } : {}) };
    const had = new Set(base.failures);
    if (base.status === 'fail' && v.failures?.length && !v.failures.includes(FAILURES_NOT_ALL_READ) && !v.failures.includes(FAILURES_NONE_PRINTED) && v.failures.every((f) => had.has(f))) v.tolerated = true;
  });
  return entries;
}

// The guards known to be flaky, by definition: ℛ holds a pass and a failure of one of their keys (the
// same inputs, two verdicts), as the index tells. A run on an agent's base, in a private checkout, is
// left out: what differs there (an ignored folder not linked in) is the surroundings, not the guard.
export function flakyDefinitions(index: VerdictIndex | undefined): Set<string> {
  const out = new Set<string>();
  for (const [key, entries] of index?.byKey ?? []) {
    const statuses = new Set(entries.filter((e) => !e.onBase).map((e) => e.status));
    if (statuses.has('pass') && (statuses.has('fail') || statuses.has('timeout'))) out.add(key.slice(0, 16));
  }
  return out;
}
