import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { IS_A_DIRECTORY, fileUnreadable, yamlSyntax, yamlWarning, type ConfigMessage } from '../messages/config.js';
import type { Diagnostic, KeyPath } from './diagnostic.js';

// One config file as read: its parsed document (for positions) and its plain value (for validation).
export interface YamlFile {
  abs: string;
  // Relative to the repository root, with forward slashes: what diagnostics and `source` show.
  rel: string;
  doc: Document;
  lines: LineCounter;
  // The plain value, or undefined when the file has syntax errors.
  value: unknown;
}

// Path of a file as shown to the user: relative to the root, forward slashes.
export function relativeToRoot(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/') || '.';
}

// Reads and parses one YAML file; every syntax error becomes a positioned diagnostic.
// Returns null (with a diagnostic) when the file is missing or unreadable.
// `readText` replaces the file system (e.g. to read the committed config at HEAD); it throws an error
// with code ENOENT for a missing file.
export async function readYamlFile(
  abs: string,
  root: string,
  readText: (abs: string) => Promise<string> = (f) => readFile(f, 'utf8'),
): Promise<{ file: YamlFile | null; diagnostics: Diagnostic[]; missing: boolean }> {
  const rel = relativeToRoot(root, abs);
  let text: string;
  try {
    text = await readText(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { file: null, diagnostics: [], missing: true };
    const reason = code === 'EISDIR' ? IS_A_DIRECTORY : (error as Error).message;
    return { file: null, diagnostics: [fileDiagnostic(rel, fileUnreadable(rel, reason))], missing: false };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const file: YamlFile = { abs, rel, doc, lines, value: undefined };
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) diagnostics.push(offsetDiagnostic(file, error.pos[0], yamlSyntax(error.code, error.message), 'error'));
  for (const warning of doc.warnings) diagnostics.push(offsetDiagnostic(file, warning.pos[0], yamlWarning(warning.message), 'warning'));
  if (doc.errors.length === 0) {
    try {
      file.value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      diagnostics.push(offsetDiagnostic(file, 0, yamlSyntax('', (error as Error).message), 'error'));
    }
  }
  return { file, diagnostics, missing: false };
}

// A diagnostic about a file as a whole (line and col 0).
export function fileDiagnostic(rel: string, msg: ConfigMessage, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return withoutUndefined({ file: rel, line: 0, col: 0, path: '', ...msg, severity });
}

// A diagnostic at a key path of a file: at the key itself when `atKey`, else at its value;
// a path that doesn't exist (a missing key) points at the nearest node that does.
export function diagnosticAt(
  file: YamlFile,
  keyPath: KeyPath,
  msg: ConfigMessage,
  severity: Diagnostic['severity'] = 'error',
  atKey = false,
): Diagnostic {
  const offset = offsetOf(file.doc, keyPath, atKey);
  const { line, col } = file.lines.linePos(offset);
  return withoutUndefined({ file: file.rel, line, col, path: keyPath.map(String).join('.'), ...msg, severity });
}

// Where a key path points in the source: the character offset of its value (or key).
function offsetOf(doc: Document, keyPath: KeyPath, atKey: boolean): number {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  let found = 0;
  for (const segment of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value ?? null;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      keyNode = undefined;
      node = node.items[segment];
    } else break;
    found++;
  }
  const complete = found === keyPath.length;
  const target = (complete && atKey) || !hasRange(node) ? (keyNode ?? node) : node;
  return hasRange(target) ? target.range[0] : 0;
}

function hasRange(node: unknown): node is { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}

function offsetDiagnostic(file: YamlFile, offset: number, msg: ConfigMessage, severity: Diagnostic['severity']): Diagnostic {
  const { line, col } = file.lines.linePos(offset);
  return withoutUndefined({ file: file.rel, line, col, path: '', ...msg, severity });
}

// Keeps diagnostics free of `hint: undefined` so they compare and serialise cleanly.
function withoutUndefined(d: Diagnostic): Diagnostic {
  for (const key of ['expected', 'hint'] as const) if (d[key] === undefined) delete d[key];
  return d;
}
