// What a failing verdict is told with besides its output: whether its guard is known to be flaky, and
// whether it names the same failures as the chain's previous attempt (said once, not sent again).
import { FAILURES_NOT_ALL_READ } from '../messages/failures.js';
import type { Verdict } from '../store/record.js';
import type { VerdictIndex } from '../store/verdict-index.js';
import { flakyDefinitions } from './base-verdicts.js';
import type { ChainState } from './chain.js';

const failed = (v: Verdict) => v.status === 'fail' || v.status === 'timeout';

// Marks failures of guards ℛ knows as flaky (a pass and a failure on the same inputs; see
// flakyDefinitions): the agent is told so. Read only when something failed.
export function markFlaky(verdicts: Verdict[], index: VerdictIndex | undefined, defs: Array<string | undefined>): void {
  if (!verdicts.some(failed)) return;
  const flaky = flakyDefinitions(index);
  verdicts.forEach((v, i) => {
    const def = defs[i] ?? v.key?.slice(0, 16);
    // Known before (one of its keys judged both ways), or now: this failure's inputs once passed.
    const passedBefore = v.key !== undefined && (index?.byKey.get(v.key) ?? []).some((e) => e.status === 'pass' && !e.onBase);
    if (failed(v) && ((def && flaky.has(def)) || passedBefore)) v.flaky = true;
  });
}

// Marks each failing verdict whose failures are those of the same guard in the chain's previous attempt
// (the same ids, in any order): the reason then names them in a few lines instead of the output again,
// and points to the first attempt of that run of repeats, the one whose output was sent in full.
export function markRepeats(verdicts: Verdict[], chain: ChainState): void {
  const history = chain.history;
  if (!history.length || chain.retry < 1) return;
  for (const v of verdicts) {
    if (v.status !== 'fail' || v.tolerated || !v.failures?.length || v.failures.includes(FAILURES_NOT_ALL_READ)) continue;
    const ids = new Set(v.failures);
    const same = (i: number) => {
      const before = history[i].verdicts.find((p) => p.guard === v.guard && p.status === v.status)?.failures;
      return before !== undefined && before.length === ids.size && before.every((f) => ids.has(f));
    };
    if (!same(history.length - 1)) continue;
    let first = history.length - 1;
    while (first > 0 && same(first - 1)) first--;
    v.repeat = { attempt: chain.retry - (history.length - 1 - first), record: history[first].id };
  }
}
