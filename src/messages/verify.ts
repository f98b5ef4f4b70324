// The wording of `guardloop verify` and `guardloop ci`: one line per commit, the failed guards under it.
import type { RunResult } from '../engine/run-types.js';
import type { RecordV1 } from '../store/record.js';
import { failureDetail } from './run.js';

const short = (sha: string) => sha.slice(0, 12);

// The diagnostic of a commit no config judges (it and every commit before it have no .loop/config.yaml).
export function noConfigAtCommit(commit: string): string {
  return `commit ${short(commit)} and the commits before it (first parents) have no .loop/config.yaml: it predates guardloop, so no guard can verify it. Verify a later commit, or commit a config first (\`npx guardloop init\`).`;
}

// Appended to a fix guard's feedback when, run again on a committed tree, it changed files: the commit isn't what its guards produce.
export function fixChangedCommit(files: string[]): string {
  return `\n[guardloop verify: this fix guard changed ${files.join(', ')} of the committed tree, so the commit is not what its guards produce. Run \`guardloop run --hook pre-commit\` on it, commit the fixes, and verify again]`;
}

// Said when a REV given to verify (or a RANGE to ci) names no commit.
export function unknownRevision(rev: string): string {
  return `guardloop: "${rev}" is not a commit or a range of commits in this repository. Pass a commit (HEAD, a sha, a branch) or a range (A..B); \`git log --oneline\` lists them.`;
}

// What verify found for one commit: the outcome in words, with the fix where one is needed.
function outcomeWords(result: RunResult): string {
  const r = result.reproduced;
  const id = result.record ? short(result.record.id) : '';
  const against = r?.against.length ? short(r.against[r.against.length - 1]) : '';
  if (r?.outcome === 'not-reproducible') {
    const accepted = (r.acceptedAll?.length ? r.acceptedAll : r.accepted ? [r.accepted] : []).map(short);
    const shown = accepted.length > 3 ? [...accepted.slice(0, 2), `… ${accepted[accepted.length - 1]}`] : accepted;
    return (
      `REJECTED, NOT REPRODUCIBLE — ℛ holds ${accepted.length === 1 ? 'an ACCEPTED record' : `${accepted.length} ACCEPTED records`} for this tree (${shown.join(', ')}), but its guards fail now. ` +
      'Causes: a nondeterministic guard; a record judged against another base (the commit was amended or squashed after it was checked); ' +
      'a guard that needs files this clean checkout lacks (ignored folders are linked in by the `link:` setting of .loop/config.yaml, e.g. `link: [node_modules, packages/*/node_modules]`); ' +
      `or a record that doesn't match the content (one written by hand with \`git notes\`). Compare \`guardloop show ${accepted[accepted.length - 1] ?? against}\` with \`guardloop show ${id}\``
    );
  }
  if (result.status === 'ACCEPTED') {
    if (r?.outcome === 'new') return `ACCEPTED (new: no earlier verdict for this tree) · recorded ${id}`;
    if (r?.previous === 'REJECTED') return `ACCEPTED, verified (it was REJECTED before, ${against}; its guards pass now) · recorded ${id}`;
    return `ACCEPTED, verified (agrees with record ${against}) · recorded ${id}`;
  }
  const how = r?.outcome === 'new' ? 'new: no earlier verdict for this tree' : `verified: agrees with record ${against}`;
  return `REJECTED (${how}) · recorded ${id}. Fix what the failed guards report in a new commit (or \`git commit --amend\`) and verify again`;
}

// One commit's line, then each failed guard with its invariant and the tail of its output.
export function verifyLine(commit: string, subject: string, result: RunResult): string {
  const lines = [`${short(commit)} ${subject} — ${outcomeWords(result)}`];
  for (const v of result.record?.verdicts ?? []) {
    if (v.status !== 'fail' && v.status !== 'error' && v.status !== 'timeout') continue;
    const guard = result.guards.find((g) => g.guard.id === v.guard)?.guard;
    if (guard) lines.push(failureDetail(v, guard, 10));
  }
  if (!result.recorded) lines.push('  warning: this verdict is NOT recorded in ℛ (see the warning below).');
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

// A commit no config judges (see noConfigAtCommit): listed, not failed.
export function noConfigLine(commit: string, subject: string): string {
  return `${short(commit)} ${subject} — nothing to verify: neither it nor an earlier commit has .loop/config.yaml (it predates guardloop)`;
}

// A commit whose config can't be loaded: listed with the loader's problems.
export function configErrorLine(commit: string, subject: string, detail: string): string {
  return `${short(commit)} ${subject} — its .loop/config.yaml can't be loaded, so it was not verified:\n${detail}\nFix the config in a new commit and verify that commit.`;
}

// The closing line of verify or ci: the counts, and what the exit code means.
export function verifySummary(command: 'verify' | 'ci', counts: { accepted: number; rejected: number; notReproducible: number; trusted?: number; skipped?: number }): string {
  const parts = [`${counts.accepted} ACCEPTED`, `${counts.rejected} REJECTED`, `${counts.notReproducible} not reproducible`];
  if (counts.trusted !== undefined) parts.push(`${counts.trusted} trusted by record`);
  if (counts.skipped) parts.push(`${counts.skipped} not verified (no config, or merges skipped)`);
  const end = counts.notReproducible
    ? ' — exit 4: a recorded ACCEPTED verdict did not reproduce; find out why before trusting ℛ for those trees.'
    : counts.rejected
      ? ' — exit 1: fix the rejected commits.'
      : '';
  return `guardloop ${command}: ${parts.join(', ')}${end}`;
}

// A commit ci trusts without running its guards: it has an ACCEPTED record (--verify-all re-runs them).
export function trustedLine(commit: string, subject: string, record: RecordV1): string {
  return `${short(commit)} ${subject} — trusted by record ${short(record.id)} (ACCEPTED ${record.ts}, ${record.source}${record.host ? ` on ${record.host}` : ''}); \`guardloop ci --verify-all\` re-runs its guards`;
}

// A merge commit ci leaves alone because `audit.merges: skip`.
export function mergeSkippedLine(commit: string, subject: string): string {
  return `${short(commit)} ${subject} — merge commit, not verified (audit.merges: skip in .loop/config.yaml)`;
}

// The line that opens ci: which commits it looks at.
export function ciHeader(range: string, count: number): string {
  return `guardloop ci: ${count} commit${count === 1 ? '' : 's'} in ${range}`;
}

// Said when ci's range holds no commit.
export function ciNothing(range: string): string {
  return `guardloop ci: no commit in ${range}; nothing to audit. Pass a range (\`guardloop ci BASE..HEAD\`) to check others.`;
}

// ci's range for a new branch (a base of all zeros, or an upstream that is the tip itself): the
// commits of the branch on no other remote-tracking ref.
export function ciNotOnRemotes(tip: string, refs: string[]): string {
  const shown = refs.length > 3 ? `${refs.slice(0, 3).join(', ')} and ${refs.length - 3} more` : refs.join(', ');
  return `${tip}, not on ${shown}`;
}

// ci's range for a new branch when no other remote-tracking ref exists: every commit of the branch.
export function ciWholeBranch(tip: string): string {
  return `${tip} (a new branch, and no other remote-tracking ref: every commit of the branch)`;
}
