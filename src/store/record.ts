import { createHash } from 'node:crypto';
import { canonicalJson } from '../config/config-hash.js';
import type { GuardStatus, RecordV1, Verdict } from './record-schema.js';

export { canonicalJson };
export type { GuardStatus, RecordV1, Verdict };

export { RECORD_VERSION } from './record-version.js';

export type RecordDraft = Omit<RecordV1, 'id'>;

// The record id: a hash of everything else in the record.
export function recordId(draft: RecordDraft): string {
  return createHash('sha256').update(canonicalJson(draft)).digest('hex').slice(0, 32);
}

// The one line a record is stored as: `v` and `id` first so `git notes show` reads well, the rest in a stable order.
export function recordLine(record: RecordV1): string {
  const { v, id, ...rest } = record;
  return JSON.stringify({ v, id, ...JSON.parse(canonicalJson(rest)) });
}

// Gives a draft its id and turns it into the one line stored in the note.
export function finishRecord(draft: RecordDraft): { record: RecordV1; line: string } {
  const record = { ...draft, id: recordId(draft) } as RecordV1;
  return { record, line: recordLine(record) };
}

