// Wording of `guardloop audit` and the pre-push gate: each unverified commit with its cause, and the
// commands that verify it.
import type { AuditedCommit, AuditReport, UnverifiedCause } from '../audit/audit-types.js';

const HOW: Record<string, string> = {
  'GUARDLOOP=0': 'committed with GUARDLOOP=0',
  'no-pre-commit': 'no pre-commit ran: --no-verify, or hooks not installed',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// Why a commit is unverified, in a few words (the cause audit found in ℛ).
export function causeText(cause: UnverifiedCause): string {
  if (cause.kind === 'no-record') return 'no record: hooks not installed or not run';
  if (cause.kind === 'not-reproducible') return `not reproducible: ℛ holds an ACCEPTED record, but re-running the guards failed${cause.guards.length ? ` (${cause.guards.join(', ')})` : ''}; see guardloop show ${cause.record.slice(0, 12)}`;
  if (cause.kind === 'rejected') return cause.guards.length ? `rejected by ${cause.guards.join(', ')}` : 'rejected (no guard verdict failed: see guardloop show <sha>)';
  const how = cause.how ? HOW[cause.how] : 'recorded as SKIPPED';
  return cause.rejectedBy.length ? `${how}; rejected by ${cause.rejectedBy.join(', ')} before` : how;
}

// One unverified commit: short sha, author, subject, cause.
export function unverifiedLine(c: AuditedCommit): string {
  return `  ✗ ${c.short}  ${c.author}  ${c.subject}${c.merge ? ' (merge)' : ''}\n      ${c.cause ? causeText(c.cause) : 'unverified'}`;
}

// The command that verifies these commits (the fix under every list of unverified commits).
export function verifyCommand(commits: AuditedCommit[]): string {
  return `guardloop verify ${commits.map((c) => c.short).join(' ')}`;
}

// The closing line of `guardloop audit`: how many commits were checked, how many are unverified, and the fix.
export function auditSummary(report: AuditReport): string {
  const skipped = report.commits.filter((c) => c.verdict === 'merge-skipped').length;
  const merges = skipped ? ` (${plural(skipped, 'merge')} not audited: audit.merges is skip)` : '';
  const n = report.commits.length;
  if (!n) return `guardloop audit: no commits in ${report.range}.`;
  if (!report.unverified.length) return `guardloop audit: ${plural(n, 'commit')} in ${report.range}, every one with an ACCEPTED record for its tree${merges}.`;
  return (
    `guardloop audit: ${report.unverified.length} of ${plural(n, 'commit')} in ${report.range} unverified (no ACCEPTED record for the tree)${merges}.\n` +
    `Verify them (the guards run on each commit in a clean checkout): ${verifyCommand(report.unverified)}\n` +
    'In CI: guardloop ci'
  );
}

// The default range's name when the branch has no upstream (audit then checks all of it).
export function noUpstream(branch: string): string {
  return `${branch} (no upstream: every commit of the branch)`;
}

// `guardloop audit RANGE` that git can't read as revisions.
export function badRange(range: string, detail: string): string {
  return `guardloop audit: "${range}" is not a revision range git can read (${detail}). Name one such as origin/main..HEAD, HEAD~10.. or a branch; with none, audit checks the commits not yet on the upstream.`;
}

// The pre-push gate refused: the unverified commits and the commands to verify them before pushing again.
export function pushRefused(remote: string, total: number, unverified: AuditedCommit[]): string {
  return (
    `guardloop pre-push: ${unverified.length} of ${plural(total, 'commit')} to push to ${remote} unverified (no ACCEPTED record for the tree):\n` +
    `${unverified.map(unverifiedLine).join('\n')}\n` +
    `Push refused. Verify them, then push again:\n  ${verifyCommand(unverified)}`
  );
}

// The pre-push gate let the push through: every new commit verified (or nothing new to audit).
export function pushAudited(remote: string, total: number): string {
  return total ? `guardloop pre-push: ${plural(total, 'commit')} to push to ${remote}, every one verified.` : `guardloop pre-push: no new commits to push to ${remote}.`;
}

// GUARDLOOP=0 let the push through unaudited.
export const PUSH_NOT_AUDITED = 'guardloop pre-push: not audited because GUARDLOOP=0; the pushed commits stay unverified until checked: guardloop audit, then guardloop verify <sha>.';

// The pre-push stdin line git wrote that the gate can't read (the push is refused: what it would push is unknown).
export function badPushLine(line: string): string {
  return `guardloop pre-push: cannot read git's line "${line}" (expected "<local ref> <local sha> <remote ref> <remote sha>"); push refused. The gate reads what git push writes to the pre-push hook: run it through git push.`;
}

// sync.onPush pushed ℛ along with the branch.
export function notesPushed(remote: string, merged: number): string {
  return `guardloop pre-push: ℛ pushed to ${remote} (sync.onPush)${merged ? `, ${plural(merged, 'record')} from the remote merged in` : ''}.`;
}

// sync.onPush could not push ℛ: a warning, the push goes on.
export function notesPushFailed(remote: string, detail: string): string {
  return `guardloop pre-push: warning: ℛ was not pushed to ${remote} (${detail}); the push goes on. Push ℛ with: guardloop sync ${remote}`;
}

// git could not list the commits a push adds (the push is refused: what it adds is unknown).
export function commitsUnlisted(detail: string): string {
  return `guardloop pre-push: git could not list the commits this push adds (${detail}); push refused. Fetch the remote (git fetch) and push again; \`guardloop audit\` shows the unverified commits of the branch.`;
}

// Why sync.onPush can't push ℛ when the push names a URL (shown inside notesPushFailed).
export const NOT_A_REMOTE = 'the push names a URL, not a remote: add it with git remote add <name> <url> and push to that name';
