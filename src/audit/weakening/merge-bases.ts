import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitRaw } from '../../git/git.js';
import type { CandidateSides } from './read-diff.js';

async function commitOf(rev: string, cwd: string): Promise<string | null> {
  const res = await gitRaw(['rev-parse', '--verify', '-q', `${rev}^{commit}`], { cwd, okCodes: [1, 128] });
  return res.code === 0 ? res.stdout.toString('utf8').trim() : null;
}

// The bases a candidate is judged against: its base alone, or for a merge every parent, the base first.
// The parents come from GUARDLOOP_PARENTS (space-separated, set for a commit), else — the base being HEAD
// and a merge under way (MERGE_HEAD: a merge's pre-commit) — HEAD and MERGE_HEAD's commits.
export async function mergeBases(sides: CandidateSides, given: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  let parents = (env.GUARDLOOP_PARENTS ?? '').split(/\s+/).filter(Boolean);
  if (parents.length < 2) {
    const mergeHead = join(sides.gitDir, 'MERGE_HEAD');
    if (!sides.head || !existsSync(mergeHead)) return [given];
    if ((await commitOf(given, sides.cwd)) !== sides.head) return [given];
    parents = [sides.head, ...readFileSync(mergeHead, 'utf8').split(/\s+/).filter(Boolean)];
  }
  if (parents.length < 2) return [given];
  const base = (await commitOf(given, sides.cwd)) ?? given;
  const others: string[] = [];
  for (const parent of parents) {
    const commit = (await commitOf(parent, sides.cwd)) ?? parent;
    if (commit !== base && !others.includes(commit)) others.push(commit);
  }
  return [given, ...others];
}
