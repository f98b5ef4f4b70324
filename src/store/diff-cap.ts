import { truncatedDiff } from '../messages/store.js';
import type { RecordDraft, RecordV1 } from './record.js';

// The default cap on a record's diff (config can change it).
export const DEFAULT_MAX_DIFF_BYTES = 1024 * 1024;

// Cuts a diff above `maxBytes` at a line boundary with a marker; the file list stays complete.
export function capDiff<T extends RecordDraft | RecordV1>(draft: T, maxBytes = DEFAULT_MAX_DIFF_BYTES): T {
  const size = Buffer.byteLength(draft.artifact.diff);
  if (size <= maxBytes) return draft;
  let cut = Buffer.from(draft.artifact.diff).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  const nl = cut.lastIndexOf('\n');
  if (nl > 0) cut = cut.slice(0, nl + 1);
  return { ...draft, artifact: { ...draft.artifact, diff: cut + truncatedDiff(maxBytes, size), truncated: true } };
}
