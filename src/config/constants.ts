// Names shared by the config schema and the record schema, kept free of zod so the commit hook's
// hot path (which reads records but not YAML) loads no schema library it doesn't need.

// The hooks a guard can run in: git's pre-commit and pre-push, an agent's stop, or by hand only.
export const HOOKS = ['pre-commit', 'pre-push', 'stop', 'manual'] as const;
export type HookName = (typeof HOOKS)[number];

// Where a constraint lives on the escalation ladder (type → primitive → lint → test → review).
export const LAYERS = ['type', 'primitive', 'lint', 'test', 'review', 'other'] as const;

// The lines earlier guardloop versions wrote into .husky/<hook>: they find guardloop on PATH only,
// so they exit 127 in a worktree without node_modules (init replaces them, status reports them).
// wording-ok: shell lines an earlier guardloop wrote, matched, not sentences
export const OLD_HUSKY_LINES: readonly string[] = ['guardloop run --hook pre-commit', 'guardloop run --hook pre-push'];
