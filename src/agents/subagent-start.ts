import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { worktreeCandidate } from '../git/candidate.js';
import type { RepoInfo } from '../git/repo.js';

// What a subagent found when it started: the work tree's content as a tree object (tracked and
// untracked files, not ignored ones: exactly what its stop would judge), HEAD, and the worktree.
interface SubagentStart {
  tree: string;
  head: string | null;
  root: string;
  ts: string;
  agent: string;
  session: string;
}

// A start nobody's stop came back for (a subagent killed, a session closed) is swept after a day.
const STALE_MS = 24 * 60 * 60_000;

// Beside the turn files (.git/guardloop/turns/, one per session), not among them: those hold a turn's base.
function startDir(commonDir: string): string {
  return join(commonDir, 'guardloop', 'subagents');
}

function startFile(commonDir: string, agent: string, session: string): string {
  return join(startDir(commonDir), createHash('sha256').update(`${agent}\0${session}`).digest('hex').slice(0, 24));
}

// The work tree as a tree object, built in a private copy of the index (git/candidate: the user's
// index is never written) that is removed at once.
async function workTreeTree(repo: RepoInfo): Promise<string> {
  const { tree, indexFile } = await worktreeCandidate(repo, undefined);
  await rm(indexFile, { force: true });
  return tree;
}

async function sweepStale(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const now = Date.now();
  await Promise.all(
    names.map(async (name) => {
      const st = await stat(join(dir, name)).catch(() => null);
      if (st && now - st.mtimeMs > STALE_MS) await rm(join(dir, name), { force: true });
    }),
  );
}

// A subagent starts (its SubagentStart/subagentStart hook): records the work tree's tree, HEAD and
// the worktree, so its stop can tell whether it changed anything.
export async function recordSubagentStart(repo: RepoInfo, agent: string, session: string): Promise<void> {
  const tree = await workTreeTree(repo);
  const dir = startDir(repo.commonDir);
  await mkdir(dir, { recursive: true });
  await sweepStale(dir);
  const file = startFile(repo.commonDir, agent, session);
  const start: SubagentStart = { tree, head: repo.head, root: repo.root, ts: new Date().toISOString(), agent, session };
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(start));
  await rename(tmp, file);
}

async function readStart(repo: RepoInfo, agent: string, session: string): Promise<SubagentStart | null> {
  const text = await readFile(startFile(repo.commonDir, agent, session), 'utf8').catch(() => null);
  if (!text) return null;
  try {
    const s = JSON.parse(text) as Partial<SubagentStart> | null;
    return s && typeof s.tree === 'string' && typeof s.root === 'string' ? (s as SubagentStart) : null;
  } catch {
    // A torn file: the start is unknown, the stop runs the guards.
    return null;
  }
}

// Whether a subagent's stop finds everything as the subagent found it: the same worktree, the same
// HEAD and the same work tree content. null: its start was not recorded (no SubagentStart hook, or
// it failed), so nothing is known and the guards run.
export async function subagentChangedNothing(repo: RepoInfo, agent: string, session: string): Promise<boolean | null> {
  const start = await readStart(repo, agent, session);
  if (!start) return null;
  if (start.root !== repo.root || start.head !== repo.head) return false;
  return (await workTreeTree(repo)) === start.tree;
}

// Forgets a subagent's start once its stop was let through (a resumed subagent starts again).
export async function forgetSubagentStart(repo: RepoInfo, agent: string, session: string): Promise<void> {
  await rm(startFile(repo.commonDir, agent, session), { force: true });
}
