// What an export selected and how it shaped the lines, as a checkpoint records it: a checkpoint
// says which chains were exported *for this selection*, so another selection (another policy, a
// --where, another format) can't resume from it. Apart from checkpoint.ts so the wording of the
// mismatch (src/messages/extract.ts) can name the shape without importing the checkpoint itself.
import * as z from 'zod/mini';

// The options that decide which chains an export takes and which lines it makes, as given (a
// duration stays "7d", so a daily `--since 7d` export resumes from yesterday's checkpoint).
export const selectionSchema = z.strictObject({
  policy: z.string(),
  minRetry: z.nullable(z.number()),
  since: z.nullable(z.string()),
  where: z.array(z.string()),
  format: z.string(),
  turns: z.boolean(),
  text: z.boolean(),
  artifact: z.string(),
});
// One export's selection.
export type ExtractSelection = z.infer<typeof selectionSchema>;

// Whether two selections select and shape the same lines.
export function sameSelection(a: ExtractSelection, b: ExtractSelection): boolean {
  return (Object.keys(selectionSchema.shape) as Array<keyof ExtractSelection>).every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}
