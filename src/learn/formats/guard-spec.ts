import type { RecordV1 } from '../../store/record.js';

type SpecGuard = RecordV1['spec']['guards'][number];

// What a guard protects and its layer, as a record's spec names it: the first of the given records
// (the attempt's own, then the chain's final) whose spec has the guard; null when none has (a check
// guardloop made that passed, a record older than its guard).
export function guardSpec(guard: string, ...records: Array<RecordV1 | null | undefined>): SpecGuard | null {
  for (const r of records) {
    const found = r?.spec.guards.find((g) => g.id === guard);
    if (found) return found;
  }
  return null;
}
