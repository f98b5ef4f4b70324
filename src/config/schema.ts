// The schema of `.loop/config.yaml`. schema.json is generated from it (`npm run schema`; a test keeps it
// in sync) so editors complete and check the file once users put this first line in their config:
//   # yaml-language-server: $schema=../node_modules/guardloop/schema.json
// Import zod as a namespace (`import * as z`): `import { z }` defeats tree-shaking and doubles startup.
import * as z from 'zod';

import { HOOKS, LAYERS, type HookName } from './constants.js';
import { PERIOD_PATTERN } from './duration.js';
import { DURATION_FORMAT, GUARD_ID_FORMAT } from '../messages/config.js';
import { PERIOD_FORMAT } from '../messages/constraints.js';

export { HOOKS, LAYERS, type HookName };
// The hooks a guard can run in (see constants.ts).
export const hookSchema = z.enum(HOOKS);
// Where a constraint lives on the escalation ladder (see constants.ts).
export const layerSchema = z.enum(LAYERS);

// A duration: seconds as a number, or a string such as "90s", "5m", "1h", "500ms".
export const durationSchema = z
  .union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h)$/, DURATION_FORMAT)])
  .describe('Seconds as a number, or a string such as "30s", "5m", "1h"; from 1ms to 24h.');

const envSchema = z.record(z.string(), z.string()).describe('Extra environment variables for the guard.');

// One declared check: a command plus the invariant it encodes.
export const guardSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, GUARD_ID_FORMAT)
      .describe('Unique name of the guard.'),
    run: z
      .union([z.string().min(1), z.array(z.string()).min(1)])
      .describe('A shell command line, or an argv array run without a shell. "{files}" expands to the matched changed paths, quoted.'),
    invariant: z
      .string()
      .min(1)
      .describe('The sentence: "In this codebase, X must never happen, because it causes Y."'),
    layer: layerSchema.default('other').describe('Where the constraint lives: type, primitive, lint, test, review or other.'),
    on: z
      .array(hookSchema)
      .min(1)
      .default(['pre-commit', 'stop'])
      .describe('Hooks this guard runs in. Default: pre-commit and stop.'),
    files: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Globs: the guard runs only when a changed path matches one.'),
    inputs: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'Globs of the files whose content decides the verdict (default: the files its `files` globs match, else the whole tree). While they are unchanged, a recorded pass is reused instead of running the guard again.',
      ),
    failures: z
      .string()
      .optional()
      .describe(
        'A JavaScript regular expression whose match (or its capture groups) names one failure in the output, e.g. a test name or `file TSxxxx message`. An agent is blocked only for failures its turn\'s base does not have. Default: lines that read like failures, numbers and positions normalized.',
      ),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe('Run a failing check-only guard again up to this many times before its failure counts; a pass on a retry marks the guard flaky.'),
    timeout: durationSchema.default('5m'),
    env: envSchema.default({}),
    cwd: z.string().default('.').describe('Directory to run in, relative to the repository root.'),
    fix: z.boolean().default(false).describe('The guard may change files: its changes are staged and become part of the candidate.'),
    enabled: z.boolean().default(true).describe('Set false to switch off a guard inherited through extends.'),
  })
  .strict();

// How agent stop hooks behave when they keep rejecting or when guardloop itself fails.
export const agentSchema = z
  .object({
    maxAttempts: z.number().int().positive().default(5).describe('Consecutive rejections of one agent session before the stop is let through and the chain is escalated.'),
    onError: z.enum(['block-once', 'block', 'allow']).default('block-once').describe('What an agent hook does when guardloop itself fails.'),
  })
  .strict();

// Caps on what a record keeps, so notes stay small.
export const limitsSchema = z
  .object({
    output: z.number().int().positive().default(20_000).describe('Characters of each guard output kept in the record.'),
    diff: z.number().int().positive().default(1_048_576).describe('Bytes of the diff kept in the record.'),
  })
  .strict();

// How `guardloop audit` and the pre-push gate judge commits.
export const auditSchema = z
  .object({
    merges: z.enum(['require', 'skip']).default('require').describe('require: a merge commit needs an ACCEPTED record of its own tree (it is a new tree); skip: merges are not audited.'),
  })
  .strict();

// Sharing ℛ with the remote.
export const syncSchema = z
  .object({
    onPush: z.boolean().default(false).describe('After the pre-push gate lets a push through, push refs/notes/guardloop to the same remote.'),
  })
  .strict();

// A span of days for the constraint log: "36h", "7d", "2w" (the units of `--since`, from hours up).
export const periodSchema = z
  .string()
  .regex(PERIOD_PATTERN, PERIOD_FORMAT)
  .describe('A period such as "36h", "7d" or "2w".');

// How `guardloop constraints` judges the guards (read by the constraint log only, never by a hook).
export const constraintLogSchema = z
  .object({
    grace: periodSchema.default('7d').describe('How long a new guard is "new"; catches in chains that start later count as "Recurrence after".'),
    idle: z
      .object({
        runs: z.number().int().positive().default(50).describe('A guard that caught nothing in its last this many runs is "idle".'),
        period: periodSchema.default('30d').describe('A guard that caught nothing for this long (and has been in the config as long) is "idle".'),
      })
      .strict()
      .default({ runs: 50, period: '30d' }),
  })
  .strict();

// The whole `.loop/config.yaml` as written by the user (before extends are resolved).
export const configFileSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    extends: z
      .array(z.string().min(1))
      .default([])
      .describe('Ready-made guard files: "guardloop/<name>" from the package\'s guards/ folder, or a relative path.'),
    parallel: z.boolean().default(true).describe('Run independent guards at the same time (output and records stay in declaration order).'),
    isolation: z
      .enum(['auto', 'always'])
      .default('auto')
      .describe('auto: a temporary checkout only when tracked files differ from the candidate; always: every run.'),
    link: z
      .array(z.string())
      .default(['node_modules'])
      .describe('Ignored folders made available (symlinked, not copied) inside a temporary checkout.'),
    env: envSchema.default({}),
    guards: z.array(guardSchema).default([]),
    protected: z.array(z.string().min(1)).default(['.loop/**']).describe('Paths an agent may not change without a human approval.'),
    agent: agentSchema.default({ maxAttempts: 5, onError: 'block-once' }),
    limits: limitsSchema.default({ output: 20_000, diff: 1_048_576 }),
    audit: auditSchema.default({ merges: 'require' }),
    sync: syncSchema.default({ onPush: false }),
    // No default: a config without the key hashes as it did before the key existed.
    constraints: constraintLogSchema.optional().describe('How the constraint log (`guardloop constraints`) judges guards: the grace period, and when a guard is idle.'),
    redact: z
      .array(z.string().min(1))
      .default([])
      .describe('Extra regular expressions (JavaScript syntax) whose matches are masked in records.'),
  })
  .strict();

// A guard as written (before defaults) and as validated (after defaults, durations still as written).
export type GuardInput = z.input<typeof guardSchema>;
export type Guard = z.output<typeof guardSchema>;
// One config file as validated, before extends are resolved.
export type ConfigFile = z.output<typeof configFileSchema>;

// A resolved config: extends merged in, durations in milliseconds, disabled guards dropped.
export type ResolvedGuard = Omit<Guard, 'timeout'> & { timeout: number; source: string };
export type Config = Omit<ConfigFile, 'guards' | 'extends' | '$schema'> & {
  guards: ResolvedGuard[];
  // Files read to build this config (the config itself first), for messages and hashing.
  files: string[];
  // Root of the repository the config belongs to.
  root: string;
};
