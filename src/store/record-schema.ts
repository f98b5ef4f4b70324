// The record schema, validated with zod/mini (a fraction of classic zod's load time). Loaded only where
// records are read back (log, show, extraction, a cache or chain lookup that finds a note), so a commit
// on new content never pays for it.
import * as z from 'zod/mini';
import { LAYERS } from '../config/constants.js';
import { RECORD_VERSION } from './record-version.js';
import { RECORD_HOOKS, SKIP_HOWS, SOURCES } from './record-values.js';
import { recordCheck } from './record-check.js';

export const guardStatusSchema = z.enum(['pass', 'fail', 'error', 'timeout', 'skipped']);
export type GuardStatus = z.infer<typeof guardStatusSchema>;

const int = z.number().check(z.int());

export const verdictSchema = z.object({
  guard: z.string(),
  status: guardStatusSchema,
  exit: z.nullable(int),
  ms: z.number().check(z.int(), z.nonnegative()),
  feedback: z.string(),
  // Files the guard changed: a fix guard's staged fixes, or what a check-only guard changed unasked.
  modified: z.optional(z.array(z.string())),
  // The guard's key on the tree it judged (its definition and the content of its inputs), when one
  // was computed: a later run with the same key may reuse a pass instead of running the guard.
  key: z.optional(z.string()),
  // A verdict that was not run here: the id of the record whose run of the same key it repeats.
  reused: z.optional(z.string()),
  // What a failing guard's output names as its failures (see engine/failures.ts), in order.
  failures: z.optional(z.array(z.string())),
  // An agent's run: the same guard on the turn's base tree, for a failing guard (its failures there
  // decide which are the agent's), or for a guard whose inputs are the base's own (`same`: not run).
  // `from`: the record whose verdict on those inputs it is (absent: run on the base by this run).
  baseline: z.optional(
    z.object({
      tree: z.string(),
      key: z.optional(z.string()),
      status: z.optional(guardStatusSchema),
      failures: z.optional(z.array(z.string())),
      ms: z.optional(z.number().check(z.int(), z.nonnegative())),
      from: z.optional(z.string()),
      same: z.optional(z.boolean()),
    }),
  ),
  // A failure that doesn't block: every failure it names was already there on the base.
  tolerated: z.optional(z.boolean()),
  // The same failures as an earlier attempt of the chain (its 1-based number and record id).
  repeat: z.optional(z.object({ attempt: int, record: z.string() })),
  // How many times the guard ran (`retries:`), and whether it is known to be flaky (a retry passed,
  // or ℛ holds a pass and a failure of it on the same inputs).
  attempts: z.optional(int),
  flaky: z.optional(z.boolean()),
});
export type Verdict = z.infer<typeof verdictSchema>;

export const specGuardSchema = z.object({
  id: z.string(),
  invariant: z.string(),
  layer: z.enum(LAYERS),
  run: z.union([z.string(), z.array(z.string())]),
});

export const historyEntrySchema = z.object({
  id: z.string(),
  status: z.enum(['ACCEPTED', 'REJECTED']),
  verdicts: z.array(z.object({ guard: z.string(), status: guardStatusSchema, feedback: z.string(), failures: z.optional(z.array(z.string())) })),
});

// One attempt in ℛ: self-contained, one JSON line in the note of its candidate tree.
export const recordSchema = z.object({
  v: z.literal(RECORD_VERSION),
  id: z.string(),
  ts: z.string(),
  hook: z.enum(RECORD_HOOKS),
  source: z.enum(SOURCES),
  agent: z.nullable(z.string()),
  session: z.nullable(z.string()),
  base: z.nullable(z.string()),
  tree: z.string(),
  // SKIPPED: a commit no guard judged (the post-commit hook saw no ACCEPTED record for its tree).
  status: z.enum(['ACCEPTED', 'REJECTED', 'SKIPPED']),
  // +1 ACCEPTED, −1 REJECTED, 0 SKIPPED (a skip is never rewarded).
  reward: z.union([z.literal(1), z.literal(-1), z.literal(0)]),
  spec: z.object({
    configHash: z.string(),
    guardSetHash: z.string(),
    guards: z.array(specGuardSchema),
    task: z.nullable(z.string()),
  }),
  artifact: z.object({
    diff: z.string(),
    files: z.array(z.string()),
    truncated: z.boolean(),
  }),
  verdicts: z.array(verdictSchema),
  history: z.array(historyEntrySchema),
  provenance: z.array(z.string()),
  retry: z.number().check(z.int(), z.nonnegative()),
  // Extensions that later features fill in; absent means "not known".
  escalated: z.optional(z.boolean()),
  lastMessage: z.optional(z.nullable(z.string())),
  isolated: z.optional(z.boolean()),
  // Files that changed in the work tree while guards ran in place: that run was dropped and the
  // verdict comes from a private copy of the candidate (the files were left as they were saved).
  drifted: z.optional(z.array(z.string())),
  // A GENERATOR run's trusted base (record.base) and how it was found; `commits` are the commits
  // after it (to HEAD) that hold no ACCEPTED record, checked here as part of the candidate's diff.
  baseline: z.optional(z.object({ how: z.enum(['head', 'turn-start', 'accepted', 'unverified']), commits: z.array(z.string()) })),
  // A person's approval of protected paths an agent changed (`guardloop approve`): each path with
  // its blob in the approved tree (null: deleted), so the same content stays approved.
  approval: z.optional(z.object({ by: z.string(), paths: z.array(z.object({ path: z.string(), blob: z.nullable(z.string()), from: z.optional(z.nullable(z.string())) })) })),
  tool: z.optional(z.object({ name: z.literal('guardloop'), version: z.string() })),
  // Where and by whom the record was written (the machine's host name and the OS user).
  host: z.optional(z.string()),
  user: z.optional(z.string()),
  // A SKIPPED record: how the commit's guards were skipped, where that can be told, and the commit.
  skip: z.optional(z.object({ how: z.enum(SKIP_HOWS), commit: z.string() })),
  // A record of `guardloop verify` or `ci`: the commit re-judged, how the verdict compares with the
  // earlier records of the same tree (`against`: their ids), and whether it reproduced them.
  verify: z.optional(z.object({ commit: z.string(), outcome: z.enum(['verified', 'not-reproducible', 'new']), against: z.array(z.string()) })),
  // A light record (an agent's stop that changed nothing since a tree ACCEPTED for its base): no guard
  // ran; its verdicts are those of the record named here, which judged the same tree.
  reused: z.optional(z.string()),
});
export type RecordV1 = z.infer<typeof recordSchema>;
export type ParsedLine =
  | { ok: true; record: RecordV1 }
  | { ok: false; reason: 'not-json' | 'future-version' | 'invalid'; detail: string };

// Reads one note line back; never throws, so a bad line can't crash a reader.
export function parseRecordLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not-json', detail: line.slice(0, 80) };
  }
  if (value && typeof value === 'object' && typeof (value as { v?: unknown }).v === 'number' && (value as { v: number }).v > RECORD_VERSION) {
    return { ok: false, reason: 'future-version', detail: `v${(value as { v: number }).v}` };
  }
  // The schema's own verdict, fast: a value the generated check accepts is one zod returns as is.
  if (recordCheck(value)) return { ok: true, record: value as RecordV1 };
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'invalid', detail: parsed.error.issues[0]?.message ?? 'invalid record' };
  return { ok: true, record: parsed.data };
}
