import type { Verdict } from '../store/record.js';

// The run's verdict: ACCEPTED when no guard failed, errored or timed out.
export function decide(verdicts: Pick<Verdict, 'status'>[]): 'ACCEPTED' | 'REJECTED' {
  return verdicts.some((v) => v.status === 'fail' || v.status === 'error' || v.status === 'timeout') ? 'REJECTED' : 'ACCEPTED';
}
