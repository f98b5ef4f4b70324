import { redactText } from '../../store/redact.js';

// Masks secrets in every string of a finished line, however deep (message contents, metadata,
// a raw record's fields): the built-in kinds plus `--redact` patterns. Keys and order are kept, so
// the same line redacts to the same bytes; masks already in ℛ stay as they are. `seen` keeps the
// strings already masked (the lines of one trace repeat their system message, a DPO prompt and
// its chosen side): redaction is the costly part of an export.
export function redactLine<T>(value: T, extra: RegExp[], seen: Map<string, string> = new Map()): T {
  if (typeof value === 'string') {
    let out = seen.get(value);
    if (out === undefined) seen.set(value, (out = redactText(value, extra)));
    return out as T;
  }
  if (Array.isArray(value)) return value.map((v) => redactLine(v, extra, seen)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactLine(v, extra, seen);
    return out as T;
  }
  return value;
}
