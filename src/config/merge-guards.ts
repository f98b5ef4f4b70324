import { duplicateId } from '../messages/config.js';
import type { Diagnostic, KeyPath } from './diagnostic.js';
import { isRecord } from './is-record.js';
import type { ExtendsGraph } from './resolve-extends.js';
import { diagnosticAt, type YamlFile } from './yaml-file.js';

// Where one guard entry was written: `guards.<index>` of a file.
export interface GuardOrigin {
  file: YamlFile;
  index: number;
}

// A guard as declared across files, before validation: the shallow merge of its declarations,
// with the file that wrote each key so a problem is reported where the offending key is.
export interface MergedGuard {
  value: unknown;
  // Every declaration merged into this guard, the first (the original) to the last (the winning override).
  origins: GuardOrigin[];
  keyOrigins: Map<string, GuardOrigin>;
}

// Lays the guards of all files out in declaration order; a guard whose id is declared in a file it
// extends overrides it key by key (in place); any other repeated id is an error at the repetition.
export function mergeGuards(graph: ExtendsGraph): { guards: MergedGuard[]; diagnostics: Diagnostic[] } {
  const guards: MergedGuard[] = [];
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, MergedGuard>();
  for (const file of graph.ordered) {
    const list = isRecord(file.value) ? file.value.guards : undefined;
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, index) => {
      const origin = { file, index };
      const id = isRecord(item) && typeof item.id === 'string' ? item.id : undefined;
      const existing = id === undefined ? undefined : byId.get(id);
      if (existing && isRecord(item)) {
        const previous = existing.origins[existing.origins.length - 1];
        if (previous.file !== file && graph.reaches.get(file.abs)?.has(previous.file.abs)) {
          existing.value = { ...(existing.value as Record<string, unknown>), ...item };
          for (const key of Object.keys(item)) existing.keyOrigins.set(key, origin);
          existing.origins.push(origin);
          return;
        }
        const first = diagnosticAt(previous.file, ['guards', previous.index, 'id'], { message: '' });
        diagnostics.push(
          diagnosticAt(file, ['guards', index, 'id'], duplicateId(id!, `${first.file}:${first.line}:${first.col}`, previous.file === file)),
        );
      }
      const merged: MergedGuard = { value: item, origins: [origin], keyOrigins: new Map() };
      if (isRecord(item)) for (const key of Object.keys(item)) merged.keyOrigins.set(key, origin);
      guards.push(merged);
      if (id !== undefined && !existing) byId.set(id, merged);
    });
  }
  return { guards, diagnostics };
}

// Maps a key path into the merged config back to the file and path where that key was written.
export function locateMergedPath(guards: MergedGuard[], configFile: YamlFile, keyPath: KeyPath): { file: YamlFile; path: KeyPath } {
  const [head, index, key] = keyPath;
  const guard = head === 'guards' && typeof index === 'number' ? guards[index] : undefined;
  if (!guard) return { file: configFile, path: keyPath };
  const origin = (typeof key === 'string' ? guard.keyOrigins.get(key) : undefined) ?? guard.origins[guard.origins.length - 1];
  return { file: origin.file, path: ['guards', origin.index, ...keyPath.slice(2)] };
}
