import type { RecordV1 } from '../../store/record.js';
import type { Trace } from '../trace.js';
import { guardSpec } from './guard-spec.js';
import type { Metadata } from './schemas.js';

// The share of judged guards that passed (skipped guards were not judged); a record no guard judged
// counts by its status. Our extension beside the sparse ±1 reward.
export function denseReward(record: RecordV1): number {
  const judged = record.verdicts.filter((v) => v.status !== 'skipped');
  if (!judged.length) return record.status === 'ACCEPTED' ? 1 : 0;
  return judged.filter((v) => v.status === 'pass').length / judged.length;
}

// The `guards` of a record no guard judged (no verdicts): one placeholder, never []. `datasets`' JSON
// loader types a column from the file's first 10 MiB, and a list column that is empty on every line
// there is typed null and fails on a later line's guards ("Couldn't cast … struct … to null").
const NO_GUARD: Metadata['guards'][number] = { id: '', layer: 'other', status: 'skipped' };

function guardsOf(record: RecordV1, trace: Trace): Metadata['guards'] {
  if (!record.verdicts.length) return [{ ...NO_GUARD }];
  return record.verdicts.map((v) => ({ id: v.guard, layer: guardSpec(v.guard, record, trace.final)?.layer ?? 'other', status: v.status }));
}

// The metadata of a line about `record` (one of the trace's records), the same keys on every line of
// every format; `rejectedId` names the rejected attempt of a DPO pair. A text that is not known is
// "" (not null): `datasets`' JSON loader types a column from the file's first 10 MiB, and a column
// that is null there and a string later fails to load (measured with datasets 5.0.1).
export function metadataOf(record: RecordV1, trace: Trace, rejectedId: string | null = null): Metadata {
  return {
    record_id: record.id,
    chain_id: trace.chainId,
    chain: [...trace.chain],
    source: record.source,
    agent: record.agent ?? '',
    hook: record.hook,
    retry: record.retry,
    reward: record.status === 'ACCEPTED' ? 1 : -1,
    reward_dense: denseReward(record),
    guards: guardsOf(record, trace),
    ts: record.ts,
    tree: record.tree,
    base: record.base ?? '',
    task: record.spec.task ?? '',
    truncated: record.artifact.truncated,
    rejected_id: rejectedId ?? '',
  };
}
