import type { Verdict } from '../store/record.js';

// The run's verdict: ACCEPTED when no guard failed, errored or timed out (a failure whose every failure
// the turn's base already had, `tolerated`, doesn't count: see base-verdicts.ts).
export function decide(verdicts: Pick<Verdict, 'status' | 'tolerated'>[]): 'ACCEPTED' | 'REJECTED' {
  return verdicts.some((v) => (v.status === 'fail' && !v.tolerated) || v.status === 'error' || v.status === 'timeout') ? 'REJECTED' : 'ACCEPTED';
}

// What a run's decision needs: every verdict (guards', then guardloop's own checks), who produced
// the candidate, how many attempts its chain has had, and how many it may have.
export interface DecisionInput {
  verdicts: Pick<Verdict, 'status' | 'tolerated'>[];
  source: 'HUMAN' | 'GENERATOR';
  retry: number;
  maxAttempts: number;
}

// The verdict, and whether it escalates: an agent's rejection at its last allowed attempt goes to a person.
export function decideRun({ verdicts, source, retry, maxAttempts }: DecisionInput): { status: 'ACCEPTED' | 'REJECTED'; escalated: boolean } {
  const status = decide(verdicts);
  return { status, escalated: source === 'GENERATOR' && status === 'REJECTED' && retry + 1 >= maxAttempts };
}
