import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { extendsBadName, extendsCycle, extendsNotFound, type ConfigMessage } from '../messages/config.js';
import type { Diagnostic } from './diagnostic.js';
import { isRecord } from './is-record.js';
import { closestWord } from './did-you-mean.js';
import { diagnosticAt, readYamlFile, relativeToRoot, type YamlFile } from './yaml-file.js';

const PACKAGE_PREFIX = 'guardloop/';

// The files of one config in the order their guards are declared: each extended file before the
// file that extends it (depth first, in `extends` order), the config file itself last.
export interface ExtendsGraph {
  ordered: YamlFile[];
  // For each file (by absolute path), every file it extends directly or transitively.
  reaches: Map<string, Set<string>>;
  diagnostics: Diagnostic[];
}

// What resolving `guardloop/<name>` and relative paths needs; packageDir is looked up only when used.
export interface ExtendsContext {
  root: string;
  packageDir: () => string;
  // Replaces the file system when reading extended files (see LoadConfigOptions.readText).
  readText?: (abs: string) => Promise<string>;
}

// Follows `extends` from the config file: reads every file once (a file reached twice is included once),
// reports missing files and cycles at the extends entry that causes them.
export async function resolveExtends(configFile: YamlFile, ctx: ExtendsContext): Promise<ExtendsGraph> {
  const graph: ExtendsGraph = { ordered: [], reaches: new Map(), diagnostics: [] };
  const stack: YamlFile[] = [];

  const visit = async (file: YamlFile): Promise<void> => {
    stack.push(file);
    const reach = new Set<string>();
    for (const [index, spec] of extendsEntries(file.value)) {
      const at = ['extends', index];
      const target = locateSpec(spec, file, ctx);
      if ('error' in target) {
        graph.diagnostics.push(diagnosticAt(file, at, target.error));
        continue;
      }
      const cycleStart = stack.findIndex((f) => f.abs === target.abs);
      if (cycleStart >= 0) {
        const chain = [...stack.slice(cycleStart).map((f) => f.rel), relativeToRoot(ctx.root, target.abs)];
        graph.diagnostics.push(diagnosticAt(file, at, extendsCycle(chain)));
        continue;
      }
      reach.add(target.abs);
      const known = graph.reaches.get(target.abs);
      if (known) {
        for (const abs of known) reach.add(abs);
        continue;
      }
      const read = await readYamlFile(target.abs, ctx.root, ctx.readText);
      graph.diagnostics.push(...read.diagnostics);
      if (read.missing) {
        const { suggestion, available } = await alternatives(spec, ctx);
        graph.diagnostics.push(diagnosticAt(file, at, extendsNotFound(spec, relativeToRoot(ctx.root, target.abs), suggestion, available)));
        continue;
      }
      if (!read.file) continue;
      if (read.file.value === undefined) {
        // Syntax errors already reported; nothing to include from it.
        graph.reaches.set(target.abs, new Set());
        continue;
      }
      await visit(read.file);
      for (const abs of graph.reaches.get(target.abs) ?? []) reach.add(abs);
    }
    stack.pop();
    graph.reaches.set(file.abs, reach);
    graph.ordered.push(file);
  };

  await visit(configFile);
  return graph;
}

// The well-formed entries of a file's `extends` list (the schema reports malformed ones).
function extendsEntries(value: unknown): Array<[number, string]> {
  const list = isRecord(value) ? value.extends : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((spec, index): Array<[number, string]> => (typeof spec === 'string' && spec.length > 0 ? [[index, spec]] : []));
}

function locateSpec(spec: string, from: YamlFile, ctx: ExtendsContext): { abs: string } | { error: ConfigMessage } {
  if (spec.startsWith(PACKAGE_PREFIX)) {
    const name = spec.slice(PACKAGE_PREFIX.length);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return { error: extendsBadName(spec) };
    const abs = path.join(ctx.packageDir(), 'guards', `${name}.yaml`);
    return { abs };
  }
  return { abs: path.resolve(path.dirname(from.abs), spec) };
}

// For a mistyped "guardloop/<name>": the closest shipped name, and the list of all of them.
async function alternatives(spec: string, ctx: ExtendsContext): Promise<{ suggestion?: string; available: string[] | null }> {
  if (!spec.startsWith(PACKAGE_PREFIX)) return { available: null };
  const available = (await readyMadeNames(ctx.packageDir())).map((name) => PACKAGE_PREFIX + name);
  return { suggestion: closestWord(spec, available), available };
}

// Names of the ready-made guard files shipped in the package's guards/ folder.
export async function readyMadeNames(packageDir: string): Promise<string[]> {
  try {
    const entries = await readdir(path.join(packageDir, 'guards'));
    return entries.filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort();
  } catch {
    return [];
  }
}
