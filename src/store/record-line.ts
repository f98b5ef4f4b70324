import { canonicalJson, type RecordV1 } from './record.js';

// The one line a record is stored as (the same layout finishRecord produces: `v` and `id` first).
export function recordLine(record: RecordV1): string {
  const { v, id, ...rest } = record;
  return JSON.stringify({ v, id, ...JSON.parse(canonicalJson(rest)) });
}

// The ids of the record lines in a note's text, without validating them (for "already stored?").
export function lineIds(text: string): Set<string> {
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = /^\{"v":\d+,"id":"([^"]+)"/.exec(line);
    if (m) {
      ids.add(m[1]);
      continue;
    }
    try {
      const v = JSON.parse(line) as { id?: unknown };
      if (typeof v?.id === 'string') ids.add(v.id);
    } catch {
      // not a record line
    }
  }
  return ids;
}
