// `guardloop audit`: which commits of a range have no ACCEPTED record for their tree, and why.
// The range is listed by one `git log`; the records of all its trees are read in one batch.
import { gitRaw } from '../git/git.js';
import { openRepository, type GitNotesRepository } from '../store/repository.js';
import type { RecordV1 } from '../store/record.js';
import { auditSettings, type MergePolicy } from './settings.js';
import type { AuditedCommit, AuditReport, CommitInfo, UnverifiedCause } from './audit-types.js';
import { isRerun, judgesCommits, latest, toleratedAcceptance, trustAmong, Vouching } from './vouch.js';

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

// The record a commit's trust rests on (see vouch.ts: the records that cover the commit, then the
// latest re-run, else any ACCEPTED one). `covered` defaults to every record on the tree that judged
// commit content, without the base check judgeCommits makes.
export function trustingRecord(records: RecordV1[], covered: RecordV1[] = records.filter(judgesCommits)): RecordV1 | null {
  return trustAmong(covered);
}

// One commit's verdict from the records of its tree and those of them that cover its change
// (see vouch.ts; `predates`: the commit and its parent have no config, it comes before guardloop).
export function judgeCommit(c: CommitInfo, records: RecordV1[], merges: MergePolicy, covered: RecordV1[] = records.filter(judgesCommits), predates = false): AuditedCommit {
  const merge = c.parents.length > 1;
  if (trustAmong(covered)) return { ...c, merge, verdict: 'verified', cause: null };
  if (merge && merges === 'skip') return { ...c, merge, verdict: 'merge-skipped', cause: null };
  if (predates) return { ...c, merge, verdict: 'predates', cause: null };
  // A re-run's REJECTED outranks what was written where the change was made: not reproducible
  // where an ACCEPTED record claimed otherwise, else simply rejected by the re-run's guards.
  const lastRerun = latest(covered.filter(isRerun));
  if (lastRerun && covered.some((r) => r.status === 'ACCEPTED' && !isRerun(r))) {
    return { ...c, merge, verdict: 'unverified', cause: { kind: 'not-reproducible', record: lastRerun.id, guards: failedGuards([lastRerun]) } };
  }
  if (lastRerun) return { ...c, merge, verdict: 'unverified', cause: { kind: 'rejected', guards: failedGuards([lastRerun]) } };
  const rejected = failedGuards(records.filter((r) => r.status === 'REJECTED'));
  const skipped = records.filter((r) => r.status === 'SKIPPED');
  let cause: UnverifiedCause;
  const tolerated = latest(records.filter((r) => r.tree === c.tree && toleratedAcceptance(r)));
  if (skipped.length) {
    const own = skipped.find((r) => r.skip?.commit === c.commit) ?? latest(skipped)!;
    cause = { kind: 'skipped', how: own.skip?.how ?? null, rejectedBy: rejected };
  } else if (tolerated) cause = { kind: 'tolerated', record: tolerated.id, guards: tolerated.verdicts.filter((v) => v.tolerated).map((v) => v.guard) };
  else if (records.some((r) => r.status === 'ACCEPTED' && judgesCommits(r) && r.tree === c.tree)) {
    // ACCEPTED, but judged against a base that doesn't cover this commit (an amend or squash of an
    // unchecked commit), or the record names another tree.
    const other = records.find((r) => r.status === 'ACCEPTED' && judgesCommits(r) && r.tree === c.tree)!;
    cause = { kind: 'other-base', record: other.id, base: other.base };
  } else if (records.some((r) => r.status === 'REJECTED')) cause = { kind: 'rejected', guards: rejected };
  else cause = { kind: 'no-record' };
  return { ...c, merge, verdict: 'unverified', cause };
}

const CONFIG_FILE = '.loop/config.yaml';

// Which of these commits come before guardloop: neither the commit nor its first parent holds a
// config (a commit that deletes the config is judged by the one it deleted, so it doesn't count).
async function predating(cwd: string, commits: CommitInfo[]): Promise<Set<string>> {
  if (!commits.length) return new Set();
  const names = commits.flatMap((c) => [c.commit, ...(c.parents[0] ? [c.parents[0]] : [])].map((x) => `${x}:${CONFIG_FILE}`));
  const { stdout } = await gitRaw(['cat-file', '--batch-check=%(objectname)'], { cwd, input: `${names.join('\n')}\n`, okCodes: [128] });
  const missing = new Set(stdout.toString('utf8').split('\n').filter((l) => l.endsWith(' missing')).map((l) => l.slice(0, -' missing'.length)));
  return new Set(commits.filter((c) => missing.has(`${c.commit}:${CONFIG_FILE}`) && (!c.parents[0] || missing.has(`${c.parents[0]}:${CONFIG_FILE}`))).map((c) => c.commit));
}

// The verdicts of listed commits, their trees' records read from ℛ in one batch.
export async function judgeCommits(repo: GitNotesRepository, commits: CommitInfo[], merges: MergePolicy): Promise<AuditedCommit[]> {
  const records = await repo.byTrees([...new Set(commits.map((c) => c.tree))]);
  const vouching = new Vouching(repo.notes.cwd, repo);
  const covered = await Promise.all(commits.map((c) => vouching.covering({ tree: c.tree, parent: c.parents[0] ?? null }, records.get(c.tree) ?? [])));
  const open = commits.filter((c, i) => !trustAmong(covered[i]));
  const before = await predating(repo.notes.cwd, open);
  return commits.map((c, i) => judgeCommit(c, records.get(c.tree) ?? [], merges, covered[i], before.has(c.commit)));
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
