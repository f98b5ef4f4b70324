// `guardloop audit`: which commits of a range have no ACCEPTED record for their tree, and why.
// The range is listed by one `git log`; the records of all its trees are read in one batch.
import { gitRaw } from '../git/git.js';
import { openRepository, type GitNotesRepository } from '../store/repository.js';
import type { RecordV1 } from '../store/record.js';
import { auditSettings, type MergePolicy } from './settings.js';
import type { AuditedCommit, AuditReport, CommitInfo, UnverifiedCause } from './audit-types.js';

export type { AuditedCommit, AuditReport, CommitInfo, CommitVerdict, UnverifiedCause } from './audit-types.js';
import { noUpstream } from '../messages/audit.js';

const FORMAT = '--format=%H%x00%h%x00%T%x00%P%x00%an%x00%s';

// The commits `revs` name (git log's revision arguments, options such as `--not` included), newest
// first; `{ error }` with git's complaint when git can't read them as revisions.
export async function listCommits(cwd: string, revs: string[]): Promise<CommitInfo[] | { error: string }> {
  const { stdout, stderr, code } = await gitRaw(['log', '--no-color', FORMAT, ...revs, '--'], { cwd, okCodes: [128] });
  if (code !== 0) return { error: stderr.trim().split('\n')[0] ?? '' };
  const out: CommitInfo[] = [];
  for (const line of stdout.toString('utf8').split('\n')) {
    if (!line) continue;
    const [commit, short, tree, parents, author, subject] = line.split('\0');
    out.push({ commit, short, tree, parents: parents ? parents.split(' ') : [], author, subject: subject ?? '' });
  }
  return out;
}

const FAILED = new Set(['fail', 'error', 'timeout']);

// The guards that failed in these records, each once, in the order first seen.
function failedGuards(records: RecordV1[]): string[] {
  return [...new Set(records.flatMap((r) => r.verdicts.filter((v) => FAILED.has(v.status)).map((v) => v.guard)))];
}

// The record a tree's trust rests on, one rule for audit, the pre-push gate and ci: a verdict from
// re-running the guards (`verify`, `ci`) outranks the ones written where the change was made, so
// the latest re-run decides when there is one (a forged or nondeterministic ACCEPTED that a re-run
// failed to reproduce is trusted no more); otherwise any ACCEPTED record does. Records are in note
// order, oldest first.
export function trustingRecord(records: RecordV1[]): RecordV1 | null {
  const rerun = records.filter((r) => (r.hook === 'verify' || r.hook === 'ci') && r.status !== 'SKIPPED');
  if (rerun.length) {
    const latest = rerun[rerun.length - 1];
    return latest.status === 'ACCEPTED' ? latest : null;
  }
  return records.findLast((r) => r.status === 'ACCEPTED') ?? null;
}

// One commit's verdict from the records of its tree.
export function judgeCommit(c: CommitInfo, records: RecordV1[], merges: MergePolicy): AuditedCommit {
  const merge = c.parents.length > 1;
  if (trustingRecord(records)) return { ...c, merge, verdict: 'verified', cause: null };
  if (merge && merges === 'skip') return { ...c, merge, verdict: 'merge-skipped', cause: null };
  const rerun = records.filter((r) => (r.hook === 'verify' || r.hook === 'ci') && r.status === 'REJECTED');
  const lastRerun = rerun[rerun.length - 1];
  if (lastRerun && records.some((r) => r.status === 'ACCEPTED')) {
    return { ...c, merge, verdict: 'unverified', cause: { kind: 'not-reproducible', record: lastRerun.id, guards: failedGuards([lastRerun]) } };
  }
  const rejected = failedGuards(records.filter((r) => r.status === 'REJECTED'));
  const skipped = records.filter((r) => r.status === 'SKIPPED');
  let cause: UnverifiedCause;
  if (skipped.length) {
    const own = skipped.find((r) => r.skip?.commit === c.commit) ?? skipped[skipped.length - 1];
    cause = { kind: 'skipped', how: own.skip?.how ?? null, rejectedBy: rejected };
  } else if (records.some((r) => r.status === 'REJECTED')) cause = { kind: 'rejected', guards: rejected };
  else cause = { kind: 'no-record' };
  return { ...c, merge, verdict: 'unverified', cause };
}

// The verdicts of listed commits, their trees' records read from ℛ in one batch.
export async function judgeCommits(repo: GitNotesRepository, commits: CommitInfo[], merges: MergePolicy): Promise<AuditedCommit[]> {
  const records = await repo.byTrees([...new Set(commits.map((c) => c.tree))]);
  return commits.map((c) => judgeCommit(c, records.get(c.tree) ?? [], merges));
}

// The range audited when none is named: the commits not yet on the current branch's upstream, or
// with no upstream every commit of the current branch (none on an unborn branch).
export async function defaultRange(cwd: string): Promise<{ revs: string[]; label: string }> {
  const up = await gitRaw(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'], { cwd, okCodes: [128] });
  const upstream = up.code === 0 ? up.stdout.toString('utf8').trim() : '';
  if (upstream) return { revs: ['@{upstream}..HEAD'], label: `${upstream}..HEAD` };
  const head = await gitRaw(['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd, okCodes: [1, 128] });
  const branch = await gitRaw(['symbolic-ref', '--short', '--quiet', 'HEAD'], { cwd, okCodes: [1, 128] });
  return { revs: head.code === 0 ? ['HEAD'] : [], label: noUpstream(branch.code === 0 ? branch.stdout.toString('utf8').trim() : 'HEAD') };
}

export interface AuditOptions {
  cwd: string;
  // git revision arguments (`origin/main..HEAD`, `HEAD~10..`, `A ^B`); default: see defaultRange.
  range?: string[];
  env?: NodeJS.ProcessEnv;
}

// Audits a range: `{ error }` when git can't read it as revisions; a config that can't be used
// throws a ConfigError.
export async function audit(opts: AuditOptions): Promise<AuditReport | { error: string }> {
  const settings = await auditSettings(opts.cwd, opts.env);
  const cwd = settings.repo.root;
  const given = (opts.range ?? []).filter((r) => r.trim());
  const { revs, label } = given.length ? { revs: ['--end-of-options', ...given], label: given.join(' ') } : await defaultRange(cwd);
  const listed = revs.length ? await listCommits(cwd, revs) : [];
  if ('error' in listed) return listed;
  const repo = await openRepository({ cwd });
  try {
    const commits = await judgeCommits(repo, listed, settings.merges);
    return { range: label, merges: settings.merges, commits, unverified: commits.filter((c) => c.verdict === 'unverified') };
  } finally {
    await repo.close();
  }
}
