// The wording of failures (issue 13): the problems of a guard's `failures:` pattern (config/failure-pattern.ts,
// shown by the config loader after the file, line and guard they belong to; each ends with what to change),
// and what a stop tells an agent about failures its base already had, repeated failures and flaky guards.

// A `failures:` pattern that is empty or only spaces.
export const FAILURE_PATTERN_EMPTY =
  'the `failures:` pattern is empty: write a JavaScript regular expression whose match names one failure, e.g. \'^FAILED (\\S+)\', or remove the key to let guardloop normalize the output itself';

// A `failures:` pattern JavaScript can't compile; `reason` is the engine's own words.
export function failurePatternInvalid(reason: string): string {
  return `the \`failures:\` pattern is not a valid JavaScript regular expression (${reason}): escape the characters meant literally with a backslash and single-quote the pattern in YAML so the backslashes are kept, e.g. '^FAILED (\\S+)'`;
}

// A `failures:` pattern that matches the empty string, so it names no failure or a blank one.
export const FAILURE_PATTERN_MATCHES_EMPTY =
  'the `failures:` pattern matches the empty string, so every position of the output would be a failure: make at least one part of it required, e.g. replace a trailing `*` with `+`';

// A `failures:` pattern with a repeated group that itself repeats (`(a+)+`), which can take exponential time.
export function failurePatternBacktracks(part: string): string {
  return `the \`failures:\` pattern repeats a group that itself repeats (${part}), which can take minutes on a long output: drop the outer quantifier, or end the group with a character its inner part can't match (e.g. (?:.*\\n)*)`;
}

// Put before the output of a guard that failed and then passed on a retry (`retries:`): it is flaky.
export function passedOnRetry(attempts: number, exit: number | null, firstOutput: string): string {
  const tail = firstOutput.replace(/\s+$/, '').slice(-600);
  return `guardloop: passed on try ${attempts} after failing (exit ${exit ?? 'none'}); this guard is flaky: make its check deterministic, or keep \`retries:\` and read the failure below.\n--- the first try's output (its end) ---\n${tail}\n--- the passing try's output ---\n`;
}

// The failure id added when a guard's output was longer than guardloop reads for failures (10 × limits.output):
// such a list is never taken for the base's failures nor for the previous attempt's.
export const FAILURES_NOT_ALL_READ =
  '(output longer than 10 × limits.output: not every failure was read, so none is taken for one the base already had; raise `limits.output` in .loop/config.yaml)';

// The failure id of a failing guard that printed nothing: no failure of it can be told from another, so
// none is taken for one the base already had (a new failure must not pass for the base's).
export const FAILURES_NONE_PRINTED =
  '(the guard printed nothing, so its failures can\'t be told from the base\'s and none is taken for one the base already had; a person can make its command print what fails, e.g. `grep -n` instead of `grep -q`, in .loop/config.yaml)';

// Before a failed guard's output: its failures could not be compared with the base's (`notes`: the ids
// FAILURES_NOT_ALL_READ or FAILURES_NONE_PRINTED), so the guard blocks even though the base fails too.
export function reasonNotComparable(notes: string[]): string {
  return `Not compared with the turn's base, so this guard blocks: ${notes.map((n) => n.replace(/^\(|\)$/g, '')).join('; ')}.`;
}

// The output of a guard an agent's run didn't run: its inputs are those of the turn's base.
export const SKIPPED_SAME_AS_BASE = 'not run: its inputs are those of the turn\'s base (nothing it reads changed), so it says what it says there';

// A warning of an agent's ACCEPTED run (its stop let through): guards that still fail, but only with
// failures the turn's base already had.
export function preexistingFailures(guards: Array<{ guard: string; failures: string[] }>): string {
  const list = guards.map((g) => `${g.guard} (${g.failures.length} failure${g.failures.length === 1 ? '' : 's'}: ${g.failures.slice(0, 3).join('; ')}${g.failures.length > 3 ? '; …' : ''})`).join(', ');
  return `guardloop: still failing, as on the turn's base (not this turn's doing, not blocking): ${list}. Fix them in a turn of their own, or run \`guardloop run\` to see them.`;
}

// How many failure ids a stop reason lists (the rest are counted).
const LISTED = 10;

function listed(ids: string[]): string {
  const shown = ids.slice(0, LISTED).map((id) => `  - ${id}`);
  if (ids.length > LISTED) shown.push(`  - … and ${ids.length - LISTED} more`);
  return shown.join('\n');
}

// A failed guard in a stop reason whose failures are those of the chain's previous attempt: said once.
// `attempt`/`record`: the first attempt with these failures, whose output was sent in full; `preexisting`:
// the turn's base's failures (listed apart: they don't block).
export function reasonRepeat(guard: string, ids: string[], attempt: number, record: string, preexisting: string[] = []): string {
  const n = ids.length;
  const had = new Set(preexisting);
  const fresh = ids.filter((id) => !had.has(id));
  const old = ids.filter((id) => had.has(id));
  const oldPart = old.length ? `\nAlready failing on the turn's base (not blocking; leave them unless the task is to fix them), ${old.length}:\n${listed(old)}` : '';
  return `\n\n## ${guard} failed again: the same ${n} failure${n === 1 ? '' : 's'} as attempt ${attempt}\n${listed(fresh)}${oldPart}\nIts output was sent in full with attempt ${attempt} (\`guardloop show ${record.slice(0, 12)}\` prints it): change the code ${old.length ? 'the new failures' : 'those failures'} point to, not the check.`;
}

// Before a failed guard's output: some of its failures were already there on the turn's base.
export function reasonNewAndOld(fresh: string[], old: string[]): string {
  return `New in this turn (blocking), ${fresh.length}:\n${listed(fresh)}\nAlready failing on the turn's base (not blocking; leave them unless the task is to fix them), ${old.length}:\n${listed(old)}`;
}

// Before a failed guard's output: the guard timed out or could not run on the turn's base, so nothing
// here is known to be pre-existing (the next stop runs it on the base again).
export function reasonBaseNotJudged(status: 'timeout' | 'error'): string {
  return `Not compared with the turn's base: this guard ${status === 'timeout' ? 'timed out' : 'could not run'} there, so every failure below counts as yours; the next stop runs it on the base again. If the base is slow, raise the guard's \`timeout:\` in .loop/config.yaml (a person's change).`;
}

// Before a failed guard's output: the turn's base fails too, but shares none of these failures.
export function reasonBaseFailsOtherwise(onBase: string[]): string {
  return `The turn's base fails this guard too, but with none of these failures (there: ${onBase.slice(0, 3).join('; ')}${onBase.length > 3 ? '; …' : ''}), so all of them count as new. If the base's run in a clean checkout lacked something the work tree has (ignored or generated files, a sub-package's node_modules), a person can add it to \`link:\` in .loop/config.yaml.`;
}

// Before a failed guard's output: the guard is known to be flaky.
export function reasonFlaky(attempts: number | undefined): string {
  return `This guard is flaky (ℛ holds a pass and a failure of it on the same inputs${attempts && attempts > 1 ? `; it failed ${attempts} tries here` : ''}): read the output before changing code; if it is not about your change, say so in your answer.`;
}

// The end of a stop reason: guards that fail only with failures the turn's base already had.
export function reasonTolerated(guards: Array<{ guard: string; failures: string[] }>): string {
  return `\n\n## Not blocking: failing as on the turn's base\n${guards.map((g) => `${g.guard}:\n${listed(g.failures)}`).join('\n')}`;
}
