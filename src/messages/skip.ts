// What the post-commit hook says about a commit no guard judged.
import type { SkipHow } from '../store/record-values.js';

// Why a commit is unverified, in words (the skip record's `how`).
export function skipHowText(how: SkipHow): string {
  return how === 'GUARDLOOP=0' ? 'committed with GUARDLOOP=0' : 'no pre-commit ran (git commit --no-verify, or the hook is not installed)';
}

// Printed by the post-commit hook after noting a skip record: the one line a person sees.
export function commitUnverified(sha: string, how: SkipHow, recorded: boolean): string {
  const note = recorded ? 'noted in ℛ' : 'not noted: ℛ could not be written';
  return `guardloop: commit ${sha.slice(0, 12)} is unverified (${skipHowText(how)}; ${note}). Verify it: guardloop verify ${sha.slice(0, 12)}`;
}

// Printed by the post-commit hook when it could not even look (a damaged ℛ, git failing).
export function postCommitFailed(sha: string, detail: string): string {
  return `guardloop: could not check whether commit ${sha.slice(0, 12)} was verified (${detail}). Check it later: guardloop audit`;
}
