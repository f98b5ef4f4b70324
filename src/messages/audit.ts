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
  if (cause.kind === 'other-base') return `its ACCEPTED record (${cause.record.slice(0, 12)}) judged the tree against ${cause.base ? cause.base.slice(0, 12) : 'nothing'}, which is not this commit's parent nor a checked commit (an amend or squash of an unchecked commit)`;
  if (cause.kind === 'not-reproducible') return `not reproducible: ℛ holds an ACCEPTED record, but re-running the guards failed${cause.guards.length ? ` (${cause.guards.join(', ')})` : ''}; see guardloop show ${cause.record.slice(0, 12)}`;
  if (cause.kind === 'tolerated') return `its guards fail (${cause.guards.join(', ')}): the agent's ACCEPTED record ${cause.record.slice(0, 12)} only let through failures its turn's base already had, which vouches for no commit`;
  if (cause.kind === 'rejected') return cause.guards.length ? `rejected by ${cause.guards.join(', ')}` : 'rejected (no guard verdict failed: see guardloop show <sha>)';
  const how = cause.how ? HOW[cause.how] : 'recorded as SKIPPED';
  return cause.rejectedBy.length ? `${how}; rejected by ${cause.rejectedBy.join(', ')} before` : how;
}

// One unverified commit: short sha, author, subject, cause.
export function unverifiedLine(c: AuditedCommit): string {
  return `  ✗ ${c.short}  ${c.author}  ${c.subject}${c.merge ? ' (merge)' : ''}\n      ${c.cause ? causeText(c.cause) : 'unverified'}`;
}

// The command that verifies these commits (the fix for commits no guard judged: skipped, no record).
export function verifyCommand(commits: AuditedCommit[]): string {
  return `guardloop verify ${commits.map((c) => c.short).join(' ')}`;
}

// Whether re-running the guards can't clear a commit: a re-run (or the commit's own run) rejected
// its tree, so only a changed history can (a new commit that fixes it leaves this one rejected).
function historyFix(c: AuditedCommit): boolean {
  return c.cause?.kind === 'rejected' || c.cause?.kind === 'not-reproducible' || c.cause?.kind === 'tolerated';
}

// The fix for rejected commits: a new commit does not clear a rejected commit itself, so drop or amend it.
function rewriteFix(commits: AuditedCommit[], then: string): string {
  const shas = commits.map((c) => c.short).join(' ');
  const oldest = commits[commits.length - 1].short;
  return `${commits.length === 1 ? `${shas} is rejected by its guards` : `${shas} are rejected by their guards`}: fix it in a new commit and drop or amend ${shas} (git rebase -i ${oldest}^), then ${then}`;
}

// The fixes under a list of unverified commits: `guardloop verify` for the ones no guard judged,
// a rewrite for the rejected ones (`then`: what to do after, e.g. "push again").
function fixes(unverified: AuditedCommit[], verifyLead: string, then: string): string {
  const rewrite = unverified.filter(historyFix);
  const verify = unverified.filter((c) => !historyFix(c));
  const out: string[] = [];
  if (verify.length) out.push(`${verifyLead}${verifyCommand(verify)}`);
  if (rewrite.length) out.push(rewriteFix(rewrite, then));
  return out.join('\n');
}

// The commits audit left out, in parentheses: merges under `audit.merges: skip`, commits from before guardloop.
function leftOut(commits: AuditedCommit[]): string {
  const merges = commits.filter((c) => c.verdict === 'merge-skipped').length;
  const predates = commits.filter((c) => c.verdict === 'predates').length;
  const parts = [
    ...(merges ? [`${plural(merges, 'merge')} not audited: audit.merges is skip`] : []),
    ...(predates ? [`${plural(predates, 'commit')} from before guardloop was set up (no .loop/config.yaml), not audited`] : []),
  ];
  return parts.length ? ` (${parts.join('; ')})` : '';
}

// The closing line of `guardloop audit`: how many commits were checked, how many are unverified, and the fix.
export function auditSummary(report: AuditReport): string {
  const left = leftOut(report.commits);
  const n = report.commits.length;
  if (!n) return `guardloop audit: no commits in ${report.range}.`;
  if (!report.unverified.length) return `guardloop audit: ${plural(n, 'commit')} in ${report.range}, every one with an ACCEPTED record for its tree${left}.`;
  return (
    `guardloop audit: ${report.unverified.length} of ${plural(n, 'commit')} in ${report.range} unverified (no record vouches for the commit)${left}.\n` +
    `${fixes(report.unverified, 'Verify them (the guards run on each commit in a clean checkout): ', 'run guardloop audit again')}\n` +
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

// The pre-push gate refused: the unverified commits and the commands to fix them before pushing again.
export function pushRefused(remote: string, total: number, unverified: AuditedCommit[]): string {
  return (
    `guardloop pre-push: ${unverified.length} of ${plural(total, 'commit')} to push to ${remote} unverified (no record vouches for the commit):\n` +
    `${unverified.map(unverifiedLine).join('\n')}\n` +
    `Push refused. ${fixes(unverified, 'Verify them, then push again:\n  ', 'push again')}`
  );
}

// The pre-push gate let the push through: every new commit verified (or nothing new to audit), and
// the ones it left out (merges under audit.merges: skip, commits from before guardloop).
export function pushAudited(remote: string, commits: AuditedCommit[]): string {
  if (!commits.length) return `guardloop pre-push: no new commits to push to ${remote}.`;
  const audited = commits.filter((c) => c.verdict === 'verified').length;
  const left = leftOut(commits);
  return left
    ? `guardloop pre-push: ${plural(commits.length, 'commit')} to push to ${remote}, ${plural(audited, 'commit')} audited and every one verified${left}.`
    : `guardloop pre-push: ${plural(commits.length, 'commit')} to push to ${remote}, every one verified.`;
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

// sync.onPush can't push ℛ along a push to a URL that no configured remote has: a warning, the push goes on.
export function notesNotPushedToUrl(url: string): string {
  return `guardloop pre-push: warning: ℛ was not pushed to ${url} (sync.onPush works with a remote's name, and no remote of this repository has this URL); the push goes on. Push ℛ with: git push ${url} refs/notes/guardloop`;
}

// `guardloop sync <url>` where no configured remote has that URL (sync keeps a tracking ref per remote name).
export function syncUrlNotRemote(url: string, ref: string): string {
  return `"${url}" is a URL, not a remote, and no remote of this repository has it; guardloop sync takes a remote's name. Push ℛ there with: git push ${url} ${ref} (or add the remote, git remote add <name> ${url}, then guardloop sync <name>)`;
}
