// `guardloop ci`: audit + verify for a CI job. The commits of a range whose tree has no trustworthy
// verdict (see trustingRecord in audit.ts) get their own guards run here, with
// records from source CI; the rest are listed as trusted by record (`verifyAll` re-runs them too).
import { gitOk, gitRaw } from '../git/git.js';
import { ciNotOnRemotes, ciWholeBranch } from '../messages/verify.js';
import type { RepoInfo } from '../git/repo.js';
import type { RecordV1 } from '../store/record.js';
import { openRepository } from '../store/repository.js';
import { auditSettings } from './settings.js';
import { judgeCommit, listCommits, trustingRecord } from './audit.js';
import { Vouching } from './vouch.js';
import { verifyCommit, type VerifyItem } from './verify.js';

// What ci did with one commit: verified (a VerifyItem), trusted by an ACCEPTED record, or a merge left out.
export type CiItem = VerifyItem | { commit: string; subject: string; kind: 'trusted'; record: RecordV1 } | { commit: string; subject: string; kind: 'merge-skipped' };

// A left side of all zeros is git's "no commit" (a brand-new branch pushed): no base given.
const NO_BASE = /^(?:0{40}|0{64})\.\.\.?/;

// The commits ci lists, as git log's revision arguments, and the range's name in ci's header.
export interface CiRange {
  revs: string[];
  label: string;
}

// The commit a revision names, or null.
async function commitSha(root: string, rev: string): Promise<string | null> {
  const { stdout, code } = await gitRaw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { cwd: root, okCodes: [1, 128] });
  return code === 0 ? stdout.toString('utf8').trim() : null;
}

// A branch new on the remote: the commits reachable from the tip and from no remote-tracking ref
// except the ones naming the tip itself (on a CI checkout the pushed branch's own ref is the tip, so
// it can't be the base); with no other ref, the whole branch.
async function newBranchRange(root: string, tip: string): Promise<CiRange> {
  const sha = await commitSha(root, tip);
  // A tip git can't read: listed as given, so git's complaint names it.
  if (!sha) return { revs: ['--end-of-options', tip], label: tip };
  const out = (await gitRaw(['for-each-ref', '--format=%(refname)%00%(refname:short)%00%(objectname)%00%(*objectname)', 'refs/remotes/'], { cwd: root })).stdout.toString('utf8');
  const others = out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\0'))
    .filter(([, , value, peeled]) => (peeled || value) !== sha);
  if (!others.length) return { revs: [sha], label: ciWholeBranch(tip) };
  return { revs: [sha, '--not', ...others.map(([ref]) => ref)], label: ciNotOnRemotes(tip, others.map(([, name]) => name)) };
}

// The range ci looks at: RANGE as given; with a base of all zeros (a new branch), see newBranchRange;
// by default the commits not on the upstream (see newBranchRange when the upstream is the tip
// itself, as on a CI checkout), else not on origin/HEAD, else the whole current branch.
export async function ciRange(repo: Pick<RepoInfo, 'root'>, range: string | undefined): Promise<CiRange> {
  if (range && !NO_BASE.test(range)) return { revs: ['--end-of-options', range], label: range };
  if (range) return newBranchRange(repo.root, range.replace(NO_BASE, '') || 'HEAD');
  const upstream = await commitSha(repo.root, '@{upstream}');
  if (upstream && upstream === (await commitSha(repo.root, 'HEAD'))) return newBranchRange(repo.root, 'HEAD');
  for (const base of ['@{upstream}', 'refs/remotes/origin/HEAD']) {
    if (await gitOk(['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: repo.root })) return { revs: [`${base}..HEAD`], label: `${base}..HEAD` };
  }
  return { revs: ['HEAD'], label: 'HEAD' };
}

// What ci needs: where, which range, whether to re-run trusted commits, and a listener per commit.
export interface CiOptions {
  cwd: string;
  range?: string;
  verifyAll?: boolean;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onStart?: (range: string, count: number) => void;
  onItem?: (item: CiItem) => void;
}

// Runs ci over a range; `bad` names a RANGE that isn't one. The range is listed and its trees'
// records read as `guardloop audit` does (audit.ts), and trusted by the same rule (trustingRecord).
export async function ci(opts: CiOptions): Promise<{ range: string; items: CiItem[] } | { bad: string }> {
  const { repo, merges } = await auditSettings(opts.cwd, opts.env);
  if (opts.range?.startsWith('-')) return { bad: opts.range };
  const { revs, label: range } = await ciRange(repo, opts.range);
  const listed = await listCommits(repo.root, revs);
  if ('error' in listed) return { bad: opts.range ?? range };
  const commits = [...listed].reverse();
  opts.onStart?.(range, commits.length);
  const store = await openRepository({ cwd: repo.root, dirs: repo });
  // Which records cover each commit (vouch.ts): the same rule as audit and the pre-push gate, so an
  // amend or squash of an unchecked commit is verified here, not trusted.
  const { byTree, covered } = await (async () => {
    const byTree = await store.byTrees([...new Set(commits.map((c) => c.tree))]);
    const vouching = new Vouching(repo.root, store);
    const covered = await Promise.all(commits.map((c) => vouching.covering({ tree: c.tree, parent: c.parents[0] ?? null }, byTree.get(c.tree) ?? [])));
    return { byTree, covered };
  })().finally(() => store.close());
  // Records are written from source CI whatever the environment says: this is the CI job's verdict.
  const source = 'CI' as const;
  const items: CiItem[] = [];
  for (const [i, c] of commits.entries()) {
    const { commit, subject } = c;
    const records = byTree.get(c.tree) ?? [];
    const record = trustingRecord(records, covered[i]);
    let item: CiItem;
    if (judgeCommit(c, records, merges, covered[i]).verdict === 'merge-skipped') item = { commit, subject, kind: 'merge-skipped' };
    else if (record && !opts.verifyAll) item = { commit, subject, kind: 'trusted', record };
    else item = await verifyCommit(commit, { repo, subject, env: opts.env, source, recordHook: 'ci', signal: opts.signal });
    opts.onItem?.(item);
    items.push(item);
  }
  return { range, items };
}
