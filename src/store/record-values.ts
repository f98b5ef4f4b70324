// The closed sets of values a record's fields take, apart from the zod schema so the write path
// (which never loads zod) and the wording can name them.
import { HOOKS } from '../config/constants.js';

// Where a record was written: a config hook, `guardloop run` by hand, the post-commit skip check, verify, ci.
export const RECORD_HOOKS = [...HOOKS, 'run', 'post-commit', 'verify', 'ci'] as const;
export type RecordHook = (typeof RECORD_HOOKS)[number];

// Who produced the candidate: a person, a coding agent, or a CI job re-judging a commit.
export const SOURCES = ['HUMAN', 'GENERATOR', 'CI'] as const;
export type Source = (typeof SOURCES)[number];

// How a commit's guards were skipped, where the post-commit hook can tell: GUARDLOOP=0 in the
// environment, or no pre-commit ran at all (`git commit --no-verify`, hooks not run).
export const SKIP_HOWS = ['GUARDLOOP=0', 'no-pre-commit'] as const;
export type SkipHow = (typeof SKIP_HOWS)[number];
