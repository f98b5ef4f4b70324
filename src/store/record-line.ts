export { recordLine } from './record.js';

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
