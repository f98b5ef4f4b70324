// `guardloop ci`: audit + verify for a CI job. The commits of a range whose tree has no trustworthy
// verdict (see trustingRecord in audit.ts) get their own guards run here, with
// records from source CI; the rest are listed as trusted by record (`verifyAll` re-runs them too).
import { gitOk } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';
import type { RecordV1 } from '../store/record.js';
import { openRepository } from '../store/repository.js';
import { auditSettings } from './settings.js';
import { judgeCommit, listCommits, trustingRecord } from './audit.js';
import { verifyCommit, type VerifyItem } from './verify.js';

// What ci did with one commit: verified (a VerifyItem), trusted by an ACCEPTED record, or a merge left out.
export type CiItem = VerifyItem | { commit: string; subject: string; kind: 'trusted'; record: RecordV1 } | { commit: string; subject: string; kind: 'merge-skipped' };

// A left side of all zeros is git's "no commit" (a brand-new branch pushed): no base given.
const NO_BASE = /^(?:0{40}|0{64})\.\.\.?/;

// The range ci looks at, in git's words, and how to name it: RANGE as given; by default (or with no
// base) the commits not on the upstream, else not on origin/HEAD, else the whole current branch.
export async function ciRange(repo: Pick<RepoInfo, 'root'>, range: string | undefined): Promise<string> {
  if (range && !NO_BASE.test(range)) return range;
  const tip = range ? range.replace(NO_BASE, '') || 'HEAD' : 'HEAD';
  for (const base of ['@{upstream}', 'refs/remotes/origin/HEAD']) {
    if (await gitOk(['rev-parse', '--verify', '--quiet', `${base}^{commit}`], { cwd: repo.root })) return `${base}..${tip}`;
  }
  return tip;
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
  const range = await ciRange(repo, opts.range);
  if (range.startsWith('-')) return { bad: range };
  const listed = await listCommits(repo.root, ['--end-of-options', range]);
  if ('error' in listed) return { bad: range };
  const commits = [...listed].reverse();
  opts.onStart?.(range, commits.length);
  const store = await openRepository({ cwd: repo.root, dirs: repo });
  const byTree = await store.byTrees([...new Set(commits.map((c) => c.tree))]).finally(() => store.close());
  // Records are written from source CI whatever the environment says: this is the CI job's verdict.
  const source = 'CI' as const;
  const items: CiItem[] = [];
  for (const c of commits) {
    const { commit, subject } = c;
    const records = byTree.get(c.tree) ?? [];
    const record = trustingRecord(records);
    let item: CiItem;
    if (judgeCommit(c, records, merges).verdict === 'merge-skipped') item = { commit, subject, kind: 'merge-skipped' };
    else if (record && !opts.verifyAll) item = { commit, subject, kind: 'trusted', record };
    else item = await verifyCommit(commit, { repo, subject, env: opts.env, source, recordHook: 'ci', signal: opts.signal });
    opts.onItem?.(item);
    items.push(item);
  }
  return { range, items };
}
