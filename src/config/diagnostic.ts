import * as z from 'zod';

// One problem found in a config file, positioned so an editor or a person can jump to it.
// line and col are 1-based; 0 means the problem concerns the file as a whole (e.g. it is missing).
export const diagnosticSchema = z.object({
  file: z.string().describe('Path of the file, relative to the repository root.'),
  line: z.number().int().nonnegative(),
  col: z.number().int().nonnegative(),
  path: z.string().describe('Dot path of the key inside that file, e.g. guards.2.invariant; empty for the whole file.'),
  message: z.string(),
  expected: z.string().optional(),
  hint: z.string().optional(),
  severity: z.enum(['error', 'warning']),
});
export type Diagnostic = z.infer<typeof diagnosticSchema>;

// A path into a parsed YAML value, as zod reports it.
export type KeyPath = readonly PropertyKey[];
