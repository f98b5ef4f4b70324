// The record schema, validated with zod/mini (a fraction of classic zod's load time). Loaded only where
// records are read back (log, show, extraction, a cache or chain lookup that finds a note), so a commit
// on new content never pays for it.
import * as z from 'zod/mini';
import { HOOKS, LAYERS } from '../config/constants.js';
import { RECORD_VERSION } from './record.js';

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
  verdicts: z.array(z.object({ guard: z.string(), status: guardStatusSchema, feedback: z.string() })),
});

// One attempt in ℛ: self-contained, one JSON line in the note of its candidate tree.
export const recordSchema = z.object({
  v: z.literal(RECORD_VERSION),
  id: z.string(),
  ts: z.string(),
  hook: z.enum([...HOOKS, 'run']),
  source: z.enum(['HUMAN', 'GENERATOR']),
  agent: z.nullable(z.string()),
  session: z.nullable(z.string()),
  base: z.nullable(z.string()),
  tree: z.string(),
  status: z.enum(['ACCEPTED', 'REJECTED']),
  reward: z.union([z.literal(1), z.literal(-1)]),
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
  // A person's approval of protected paths an agent changed (`guardloop approve`): each path with
  // its blob in the approved tree (null: deleted), so the same content stays approved.
  approval: z.optional(z.object({ by: z.string(), paths: z.array(z.object({ path: z.string(), blob: z.nullable(z.string()) })) })),
  tool: z.optional(z.object({ name: z.literal('guardloop'), version: z.string() })),
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
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'invalid', detail: parsed.error.issues[0]?.message ?? 'invalid record' };
  return { ok: true, record: parsed.data };
}
