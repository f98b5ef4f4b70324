// The exported lines, one zod schema per format (zod/mini, as the record schema is, so an export
// loads one zod). Tests validate every line against them; the line types are inferred from them.
// The shapes are TRL's conversational dataset types (prompt-completion, language modeling with
// `messages`, preference with an explicit prompt, unpaired preference) plus `metadata`, and the
// records themselves for `raw`; `alpaca`; and with --text, TRL's standard (plain string) types.
import * as z from 'zod/mini';
import { LAYERS } from '../../config/constants.js';
import { KTO_LABEL, RAW_NOT_SKIPPED, textNeedsConversational, TURNS_SHAPE } from '../../messages/learn.js';
import { guardStatusSchema, recordSchema } from '../../store/record-schema.js';
import { RECORD_HOOKS, SOURCES } from '../../store/record-values.js';

const int = z.number().check(z.int());
const content = z.string().check(z.minLength(1));

// The constraints in force (a prompt's first turn).
export const systemMessageSchema = z.strictObject({ role: z.literal('system'), content });
export type SystemMessage = z.infer<typeof systemMessageSchema>;
// The task and the feedback (a prompt's last turn), or one attempt's feedback in --turns.
export const userMessageSchema = z.strictObject({ role: z.literal('user'), content });
export type UserMessage = z.infer<typeof userMessageSchema>;
// An artifact: the completion, or a DPO pair's chosen or rejected side.
export const assistantMessageSchema = z.strictObject({ role: z.literal('assistant'), content });
// An assistant turn of `--turns`: weight 0 for an earlier (rejected) attempt, 1 for the accepted one.
export const weightedAssistantSchema = z.strictObject({ role: z.literal('assistant'), content, weight: z.union([z.literal(0), z.literal(1)]) });

// What every line carries beside TRL's columns, with the same keys and types on every line of
// every format (a JSON loader infers one schema per file): a text that is not known is "", never
// null or absent (see metadata.ts).
export const metadataSchema = z.strictObject({
  record_id: z.string(),
  chain_id: z.string(),
  // The chain's record ids, oldest first, its final record last.
  chain: z.array(z.string()).check(z.minLength(1)),
  source: z.enum(SOURCES),
  agent: z.string(),
  hook: z.enum(RECORD_HOOKS),
  retry: int.check(z.nonnegative()),
  // Sparse: +1 ACCEPTED, −1 REJECTED.
  reward: z.union([z.literal(1), z.literal(-1)]),
  // Our extension: the share of judged guards (skipped ones aside) that passed.
  reward_dense: z.number().check(z.gte(0), z.lte(1)),
  // Never empty: a record no guard judged has one placeholder, id "" (see metadata.ts).
  guards: z.array(z.strictObject({ id: z.string(), layer: z.enum(LAYERS), status: guardStatusSchema })).check(z.minLength(1)),
  ts: z.iso.datetime(),
  tree: z.string(),
  base: z.string(),
  task: z.string(),
  truncated: z.boolean(),
  // The rejected attempt of a DPO pair; "" on the lines of every other format.
  rejected_id: z.string(),
});
export type Metadata = z.infer<typeof metadataSchema>;

const promptSchema = z.tuple([systemMessageSchema, userMessageSchema]);

// `prompt-completion`: conversational prompt-completion (the loss on the completion only).
export const promptCompletionLineSchema = z.strictObject({
  prompt: promptSchema,
  completion: z.tuple([assistantMessageSchema]),
  metadata: metadataSchema,
});
export type PromptCompletionLine = z.infer<typeof promptCompletionLineSchema>;

// `--turns`: system, user (the task), then assistant (an attempt, weight 0) and user (its feedback)
// for each earlier attempt, and last the accepted artifact (weight 1).
const turnsSchema = z.array(z.union([systemMessageSchema, userMessageSchema, weightedAssistantSchema])).check(
  z.refine((m) => {
    if (m.length < 3 || m.length % 2 === 0 || m[0].role !== 'system') return false;
    return m.slice(1).every((msg, i) => {
      const last = i === m.length - 2;
      if (i % 2 === 0) return msg.role === 'user';
      return msg.role === 'assistant' && 'weight' in msg && msg.weight === (last ? 1 : 0);
    });
  }, TURNS_SHAPE),
);

// `messages`: conversational language modeling, [system, user, assistant] or --turns.
export const messagesLineSchema = z.strictObject({
  messages: z.union([z.tuple([systemMessageSchema, userMessageSchema, assistantMessageSchema]), turnsSchema]),
  metadata: metadataSchema,
});
export type MessagesLine = z.infer<typeof messagesLineSchema>;

// A DPO line's metadata describes the chosen (accepted) record and names the rejected one.
export const dpoMetadataSchema = z.extend(metadataSchema, { rejected_id: z.string().check(z.minLength(1)) });

// `dpo`: preference with an explicit prompt.
export const dpoLineSchema = z.strictObject({
  prompt: promptSchema,
  chosen: z.tuple([assistantMessageSchema]),
  rejected: z.tuple([assistantMessageSchema]),
  metadata: dpoMetadataSchema,
});
export type DpoLine = z.infer<typeof dpoLineSchema>;

// `kto`: unpaired preference.
export const ktoLineSchema = z
  .strictObject({
    prompt: promptSchema,
    completion: z.tuple([assistantMessageSchema]),
    // A JSON boolean: TRL casts any non-empty value to true, so −1 would read as true.
    label: z.boolean(),
    metadata: metadataSchema,
  })
  .check(z.refine((l) => l.label === (l.metadata.reward === 1), KTO_LABEL));
export type KtoLine = z.infer<typeof ktoLineSchema>;

// `alpaca`: instruction = the constraints and the task, input = the feedback history ("" for a
// first try), output = the accepted artifact.
export const alpacaLineSchema = z.strictObject({
  instruction: content,
  input: z.string(),
  output: content,
  metadata: metadataSchema,
});
export type AlpacaLine = z.infer<typeof alpacaLineSchema>;

// `raw`: a record as ℛ holds it (never a SKIPPED one).
export const rawLineSchema = recordSchema.check(z.refine((r) => r.status !== 'SKIPPED', RAW_NOT_SKIPPED));
export type RawLine = z.infer<typeof rawLineSchema>;

// --text: the conversational formats as TRL's standard types, every column a string (a prompt is
// the system content, a blank line, the user content); `messages` becomes language modeling's `text`.
export const promptCompletionTextLineSchema = z.strictObject({ prompt: content, completion: content, metadata: metadataSchema });
export type PromptCompletionTextLine = z.infer<typeof promptCompletionTextLineSchema>;
export const messagesTextLineSchema = z.strictObject({ text: content, metadata: metadataSchema });
export type MessagesTextLine = z.infer<typeof messagesTextLineSchema>;
export const dpoTextLineSchema = z.strictObject({ prompt: content, chosen: content, rejected: content, metadata: dpoMetadataSchema });
export type DpoTextLine = z.infer<typeof dpoTextLineSchema>;
export const ktoTextLineSchema = z
  .strictObject({ prompt: content, completion: content, label: z.boolean(), metadata: metadataSchema })
  .check(z.refine((l) => l.label === (l.metadata.reward === 1), KTO_LABEL));
export type KtoTextLine = z.infer<typeof ktoTextLineSchema>;

// The schema of a line of each format.
export const FORMAT_SCHEMAS = {
  'prompt-completion': promptCompletionLineSchema,
  messages: messagesLineSchema,
  dpo: dpoLineSchema,
  kto: ktoLineSchema,
  alpaca: alpacaLineSchema,
  raw: rawLineSchema,
} as const;

// The schema of a --text line of each format that has one.
export const TEXT_FORMAT_SCHEMAS = {
  'prompt-completion': promptCompletionTextLineSchema,
  messages: messagesTextLineSchema,
  dpo: dpoTextLineSchema,
  kto: ktoTextLineSchema,
} as const;

// A format's name, as `--format` takes it.
export type Format = keyof typeof FORMAT_SCHEMAS;
// Every format's name, in the order help lists them.
export const FORMATS = Object.keys(FORMAT_SCHEMAS) as Format[];

// A format --text takes.
export type TextFormat = keyof typeof TEXT_FORMAT_SCHEMAS;
// Every format --text takes.
export const TEXT_FORMATS = Object.keys(TEXT_FORMAT_SCHEMAS) as TextFormat[];

// The schema a line of `format` is validated against, with or without --text (tests and API callers).
export function lineSchema(format: Format, text = false) {
  if (!text) return FORMAT_SCHEMAS[format];
  if (!(TEXT_FORMATS as Format[]).includes(format)) throw new RangeError(textNeedsConversational(format));
  return TEXT_FORMAT_SCHEMAS[format as TextFormat];
}
