import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gitRaw } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';
import type { Repository } from '../store/types.js';

// The base a GENERATOR run is judged against: its guards, its protected-path rules and its diff
// come from `commit`, which the agent cannot move by committing (with or without --no-verify).
export interface Baseline {
  commit: string | null;
  // turn-start: HEAD when the agent's turn began; accepted: the newest commit whose tree holds an
  // ACCEPTED record; head: HEAD itself is trusted; unverified: nothing trusted found, HEAD is used.
  how: 'head' | 'turn-start' | 'accepted' | 'unverified';
  // Commits after `commit` up to HEAD, newest first: part of the candidate's diff.
  commits: string[];
}

// Commits of HEAD's first-parent history searched for an ACCEPTED record when no turn start is known.
export const ANCESTOR_SEARCH_LIMIT = 200;

// A subagent's session (`<session>/<agent id>`) shares its parent's turn.
function turnFile(commonDir: string, agent: string | null, session: string | null): string {
  const root = session?.split('/')[0] ?? null;
  return join(commonDir, 'guardloop', 'turns', createHash('sha256').update(`${agent}:${root}`).digest('hex').slice(0, 24));
}

// Whether a commit's tree was checked by someone the run can trust: a person (an ACCEPTED record of
// theirs, or their approval), or the same kind of agent run judged against the base trusted so far.
// An agent's record from another hook (a pre-commit has other guards than a stop) or against another
// base moves nothing.
// A person's record counts only for a commit made on the base it was given on (its parent): the
// same tree committed again elsewhere (a revert to a state a person once accepted) is not checked.
// (or on the commit itself: a person's `guardloop run` on what HEAD holds).
async function trusts(repository: Repository, c: { commit: string; tree: string; parent: string | null }, { trusted, hook }: { trusted: string | null; hook: string | null }): Promise<boolean> {
  return (await repository.byTree(c.tree)).some(
    (r) =>
      (r.source === 'HUMAN' && (r.status === 'ACCEPTED' || r.approval) && (r.base === c.parent || r.base === c.commit)) ||
      (r.status === 'ACCEPTED' && r.source === 'GENERATOR' && hook !== null && r.hook === hook && r.base === trusted),
  );
}

// Commits on the first-parent line from `from` (exclusive) to HEAD, oldest first (or newest first),
// with their trees; at most ANCESTOR_SEARCH_LIMIT.
async function commitsSince(repo: RepoInfo, from: string | null, newestFirst = false): Promise<Array<{ commit: string; tree: string; parent: string | null }>> {
  const limit = ANCESTOR_SEARCH_LIMIT;
  const range = from ? [`${from}..${repo.head}`] : [repo.head!];
  const out = await gitRaw(['rev-list', '--first-parent', `--max-count=${limit}`, '--format=%T %P', ...range], { cwd: repo.root });
  const lines = out.stdout.toString('utf8').split('\n').filter(Boolean);
  const list: Array<{ commit: string; tree: string; parent: string | null }> = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [tree, parent] = lines[i + 1].split(' ');
    list.push({ commit: lines[i].replace(/^commit /, ''), tree, parent: parent || null });
  }
  return newestFirst ? list : list.reverse();
}

// Walks forward from a trusted commit to HEAD: each commit checked by someone trusted becomes the base.
async function walkForward(repo: RepoInfo, repository: Repository, { from, hook }: { from: string; hook: string | null }): Promise<{ commit: string; commits: string[] }> {
  let trusted = from;
  let unverified: string[] = [];
  for (const c of await commitsSince(repo, from)) {
    if (await trusts(repository, c, { trusted, hook })) {
      trusted = c.commit;
      unverified = [];
    } else unverified.unshift(c.commit);
  }
  return { commit: trusted, commits: unverified };
}

async function isAncestor(repo: RepoInfo, a: string, b: string): Promise<boolean> {
  return (await gitRaw(['merge-base', '--is-ancestor', a, b], { cwd: repo.root, okCodes: [1, 128] })).code === 0;
}

async function readTurn(commonDir: string, agent: string | null, session: string | null): Promise<string | null> {
  if (!session) return null;
  const text = await readFile(turnFile(commonDir, agent, session), 'utf8').catch(() => null);
  if (!text) return null;
  let head: unknown;
  try {
    head = (JSON.parse(text) as { head?: unknown } | null)?.head;
  } catch {
    // A torn turn file: no turn start is known (the ancestor search decides).
    return null;
  }
  return typeof head === 'string' && /^[0-9a-f]{40,64}$/.test(head) ? head : null;
}

// The trusted base of a GENERATOR run (`who.hook`: the run's own hook, 'stop' unless told). With a recorded turn start: that
// commit, moved up along HEAD's first-parent line to each later commit checked by a person or by the
// same hook against the base so far; if HEAD no longer descends from it (reset, checkout, amend),
// the turn start itself. Without one: the newest of HEAD's last ANCESTOR_SEARCH_LIMIT commits a
// person checked or approved, moved up the same way. Commits after the base are returned: the run
// checks them as part of its diff.
export async function trustedBaseline(repo: RepoInfo, repository: Repository, who: { agent: string | null; session: string | null; hook?: string | null }): Promise<Baseline> {
  const hook = who.hook === undefined ? 'stop' : who.hook;
  if (!repo.head) return { commit: null, how: 'head', commits: [] };
  const turn = await readTurn(repo.commonDir, who.agent, who.session);
  if (turn === repo.head) return { commit: turn, how: 'turn-start', commits: [] };
  if (turn !== null) {
    if (await isAncestor(repo, turn, repo.head)) {
      const moved = await walkForward(repo, repository, { from: turn, hook });
      return { commit: moved.commit, how: moved.commit === turn ? 'turn-start' : moved.commits.length ? 'accepted' : 'head', commits: moved.commits };
    }
    // HEAD left the turn's line: the turn's start stays the base; HEAD's own commits are named.
    const away = (await commitsSince(repo, turn, true)).map((c) => c.commit);
    return { commit: turn, how: 'turn-start', commits: away };
  }
  for (const c of await commitsSince(repo, null, true)) {
    if (!(await trusts(repository, c, { trusted: null, hook: null }))) continue;
    const moved = await walkForward(repo, repository, { from: c.commit, hook });
    return { commit: moved.commit, how: moved.commit === repo.head ? 'head' : 'accepted', commits: moved.commits };
  }
  // Nothing in reach was checked by a person (guardloop is new here): HEAD is all there is.
  return { commit: repo.head, how: 'unverified', commits: [] };
}

// Records where an agent's turn begins (its prompt-submit hook): the session's trusted base at that
// moment, so an agent's unchecked commits stay unchecked from one turn (or session) to the next.
export async function recordTurnStart(repo: RepoInfo, repository: Repository, who: { agent: string | null; session: string | null }): Promise<Baseline | null> {
  if (!who.session || !repo.head) return null;
  // A session's first turn starts from what a person last checked (HEAD when nothing was ever
  // checked); a later turn carries the earlier turn's base over.
  const base = await trustedBaseline(repo, repository, { agent: who.agent, session: who.session });
  const file = turnFile(repo.commonDir, who.agent, who.session);
  await mkdir(join(repo.commonDir, 'guardloop', 'turns'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ head: base.commit, ts: new Date().toISOString(), agent: who.agent, session: who.session }));
  await rename(tmp, file);
  return base;
}
