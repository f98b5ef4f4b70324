// Whether a parsed YAML value is a mapping (a plain object), the only shape keys can be read from.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
