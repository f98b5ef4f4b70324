import { redactText } from '../../store/redact.js';

// Keys whose values are closed sets or typed values, never text from the user's machine: a message's
// role, the enums of the metadata and of a raw record, its timestamp, a KTO label. A mask there makes
// a line no trainer (and no schema of ours) accepts, and hides no secret. Ids stay maskable.
const STRUCTURAL = new Set(['role', 'source', 'hook', 'layer', 'status', 'ts', 'label']);

// Masks secrets in every string of a finished line, however deep (message contents, metadata,
// a raw record's fields), but the STRUCTURAL values: the built-in kinds plus `--redact` patterns.
// Keys and order are kept, so the same line redacts to the same bytes; masks already in ℛ stay as
// they are. `seen` keeps the strings already masked (the lines of one trace repeat their system
// message, a DPO prompt and its chosen side): redaction is the costly part of an export.
export function redactLine<T>(value: T, extra: RegExp[], seen: Map<string, string> = new Map(), key: string | null = null): T {
  if (key !== null && STRUCTURAL.has(key)) return value;
  if (typeof value === 'string') {
    let out = seen.get(value);
    if (out === undefined) seen.set(value, (out = redactText(value, extra)));
    return out as T;
  }
  if (Array.isArray(value)) return value.map((v) => redactLine(v, extra, seen)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactLine(v, extra, seen, k);
    return out as T;
  }
  return value;
}
