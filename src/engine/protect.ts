import path from 'node:path';
import type { Config } from '../config/schema.js';
import { emptyTree, gitRaw } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';
import { PROTECTED_INVARIANT, protectedChanged } from '../messages/agents.js';
import type { Verdict } from '../store/record.js';
import type { Repository } from '../store/types.js';
import { changedGuardScripts } from './protect-scripts.js';

// Where tests live by convention; protected (against changes to existing files) when a guard has `layer: test`.
export const TEST_FILE_GLOBS = ['**/*.test.*', '**/*.spec.*', '**/*_test.*', '**/test_*.py', '**/__tests__/**', '**/test/**', '**/tests/**'];

// The id of the pseudo-guard whose verdict records a protected-path change.
export const PROTECTED_GUARD = 'protected-paths';

// What an agent may not change: `anyChange` globs (config `protected:`, default `.loop/**`) may not be
// added, changed or deleted; `existing` globs (test files, files named on a guard's command line) may
// not be changed or deleted — an agent may add a new test, not weaken one that exists.
export interface ProtectedRules {
  anyChange: string[];
  existing: string[];
}

// A protected path a candidate changes, with its blob in the candidate (null: deleted).
export interface ProtectedChange {
  path: string;
  blob: string | null;
  // Its blob at the base the change is judged from (null: the path is new there).
  from?: string | null;
}

function commandTokens(run: string | string[]): string[] {
  const words = typeof run === 'string' ? run.split(/\s+/) : run;
  return words
    .map((w) => w.replace(/^['"]|['"]$/g, '').replace(/^\.\//, '').replace(/\/+$/, ''))
    .filter((w) => w && w !== '.' && w !== '..' && !w.startsWith('-') && !/[{}$*?=|&;<>()`\\]/.test(w) && !path.isAbsolute(w));
}

// Which of `paths` are files (blobs) in `rev`: one `git cat-file --batch-check` for all of them.
async function filesAt(repo: RepoInfo, rev: string | null, paths: string[]): Promise<Set<string>> {
  if (!rev || !paths.length) return new Set();
  const res = await gitRaw(['cat-file', '--batch-check=%(objecttype)'], { cwd: repo.root, input: paths.map((p) => `${rev}:${p}\n`).join('') });
  const types = res.stdout.toString('utf8').split('\n');
  return new Set(paths.filter((_, i) => types[i] === 'blob'));
}

// guardloop's own folder is protected whatever a config's `protected:` says (an agent's copy of the
// config could otherwise unprotect itself before any config is committed).
// The same holds for what starts the guards: git's hooks and each agent's hook config.
export const ALWAYS_PROTECTED = ['.loop/**', '.husky/**', '.claude/settings.json', '.codex/hooks.json', '.cursor/hooks.json', '.gemini/settings.json', '.github/hooks/guardloop.json', '.qwen/settings.json'];

// The protected rules of a config, resolved against the commit the guards come from.
export async function protectedRules(repo: RepoInfo, config: Config, rev: string | null): Promise<ProtectedRules> {
  const named = [...new Set(config.guards.flatMap((g) => commandTokens(g.run)))];
  const files = await filesAt(repo, rev, named);
  const tests = config.guards.some((g) => g.layer === 'test') ? TEST_FILE_GLOBS : [];
  return { anyChange: [...new Set([...ALWAYS_PROTECTED, ...config.protected])], existing: [...tests, ...files] };
}

// A predicate over (path, existed before): whether changing that path needs a human's approval.
export async function protectedMatcher(rules: ProtectedRules): Promise<(p: string, existed: boolean) => boolean> {
  const picomatch = (await import('picomatch')).default;
  const compile = (globs: string[]) => globs.map((glob) => picomatch(glob, { dot: true, basename: !glob.includes('/') }));
  const any = compile(rules.anyChange);
  const existing = compile(rules.existing);
  return (p, existed) => any.some((m) => m(p)) || (existed && existing.some((m) => m(p)));
}

// The protected paths a candidate tree changes against the trusted base commit (HEAD by default).
export async function protectedChanges(repo: RepoInfo, config: Config, tree: string, baseCommit: string | null = repo.head): Promise<ProtectedChange[]> {
  const base = baseCommit ?? emptyTree(repo);
  const [rules, raw] = await Promise.all([
    protectedRules(repo, config, baseCommit),
    gitRaw(['diff-tree', '-r', '-z', '--no-renames', base, tree], { cwd: repo.root }),
  ]);
  const isProtected = await protectedMatcher(rules);
  const fields = raw.stdout.toString('utf8').split('\0');
  const out: ProtectedChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, , oldOid, newOid, status] = fields[i].slice(1).split(' ');
    const p = fields[i + 1];
    const existed = !/^0+$/.test(oldOid);
    const change = { path: p, blob: status === 'D' ? null : newOid, from: existed ? oldOid : null };
    if (isProtected(p, existed)) out.push(change);
    // A script a guard runs through npm/pnpm/yarn is part of that guard.
    else if ((p === 'package.json' || p.endsWith('/package.json')) && (await changedGuardScripts(repo, config, change.from, change.blob)).length) out.push(change);
  }
  return out;
}

// Whether people approved exactly this content of these paths (`guardloop approve`): an approval on
// the tree itself, or any HUMAN approval naming the same path with the same blob, made from the same
// content at the base (an approval of a change from X to Y does not cover Y once the base has moved
// on from X: a person who went back to stronger guards is not overruled by an old approval).
export async function isApproved(repository: Repository, tree: string, changes: ProtectedChange[]): Promise<boolean> {
  if (!changes.length) return true;
  const covers = (records: Array<{ source: string; approval?: { paths: ProtectedChange[] } }>) => {
    const approved = records.filter((r) => r.source === 'HUMAN' && r.approval).flatMap((r) => r.approval!.paths);
    // Approvals written before `from` was recorded match on path and blob alone.
    return changes.every((c) => approved.some((p) => p.path === c.path && p.blob === c.blob && (p.from === undefined || c.from === undefined || p.from === c.from)));
  };
  if (covers(await repository.byTree(tree))) return true;
  return covers(await repository.log({ source: 'HUMAN' }));
}

// The verdict of the protected-path check for a GENERATOR candidate: null when nothing protected
// changed or a person approved it, else a failing verdict naming the paths.
export async function protectedVerdict(repo: RepoInfo, repository: Repository, config: Config, tree: string, baseCommit: string | null = repo.head): Promise<Verdict | null> {
  const started = Date.now();
  const changes = await protectedChanges(repo, config, tree, baseCommit);
  if (await isApproved(repository, tree, changes)) return null;
  return { guard: PROTECTED_GUARD, status: 'fail', exit: null, ms: Date.now() - started, feedback: protectedChanged(changes.map((c) => c.path)) };
}

// How the protected-path check appears in a record's spec.guards.
export const PROTECTED_SPEC = { id: PROTECTED_GUARD, invariant: PROTECTED_INVARIANT, layer: 'review' as const, run: 'guardloop (protected paths)' };

// Which of the paths an agent is about to edit are protected (the pre-tool check); paths are
// repository-relative.
export async function protectedTargets(repo: RepoInfo, config: Config, paths: string[]): Promise<string[]> {
  const rules = await protectedRules(repo, config, repo.head);
  const isProtected = await protectedMatcher(rules);
  const existing = await filesAt(repo, repo.head, paths);
  return paths.filter((p) => isProtected(p, existing.has(p)));
}
