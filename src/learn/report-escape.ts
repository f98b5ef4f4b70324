// The one way text enters the report's HTML and SVG: everything from ℛ (feedback, tasks, guard ids,
// invariants) is untrusted, and is escaped for both element content and quoted attribute values.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// `text` as inert HTML: no tag, entity or attribute boundary can come out of it.
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
