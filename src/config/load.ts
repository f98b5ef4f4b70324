import path from 'node:path';
import { configMissing, notAMapping, DEFAULT_CONFIG_FILE, describeValue } from '../messages/config.js';
import type { Diagnostic } from './diagnostic.js';
import { checkExtendedFile } from './extended-file.js';
import { isRecord } from './is-record.js';
import { locateMergedPath, mergeGuards } from './merge-guards.js';
import { normalizeConfig } from './normalize.js';
import { findPackageDir } from './package-dir.js';
import { resolveExtends } from './resolve-extends.js';
import { checkGuardRules } from './rules.js';
import { checkRuntimeValues } from './runtime-values.js';
import { configFileSchema, type Config } from './schema.js';
import { diagnosticAt, fileDiagnostic, readYamlFile, relativeToRoot } from './yaml-file.js';
import { issuesToDiagnostics } from './zod-diagnostics.js';

export { configHash } from './config-hash.js';
export type { Diagnostic } from './diagnostic.js';

// Where to read the config from.
export interface LoadConfigOptions {
  // The repository root: relative paths in the config, `cwd` and diagnostics are relative to it.
  root: string;
  // The config file, relative to root (or absolute). Default: .loop/config.yaml.
  file?: string;
  // Where the guardloop package lives (for `extends: [guardloop/<name>]`). Default: found from this module.
  packageDir?: string;
  // Reads a config file instead of the file system (the agent hooks read the committed config at HEAD);
  // throws an error with code ENOENT for a missing file.
  readText?: (abs: string) => Promise<string>;
}

// A config plus every problem found; errors non-empty ⇔ config null.
export interface LoadConfigResult {
  // The resolved config, or null when there is any error.
  config: Config | null;
  warnings: Diagnostic[];
  errors: Diagnostic[];
}

// Reads, validates and resolves a repository's guard config, reporting every problem at once:
// YAML syntax → extends → merge of overrides → schema → rules → values compiled as the engine will
// (regexes, globs, timeouts) → normalized Config. Run when the config cache misses, so it loads
// nothing beyond yaml, zod and (only when the config has globs) picomatch.
export async function loadConfig(opts: LoadConfigOptions): Promise<LoadConfigResult> {
  const root = path.resolve(opts.root);
  const configAbs = path.resolve(root, opts.file ?? DEFAULT_CONFIG_FILE);
  let packageDir = opts.packageDir === undefined ? undefined : path.resolve(opts.packageDir);
  const read = await readYamlFile(configAbs, root, opts.readText);
  if (read.missing) {
    const rel = relativeToRoot(root, configAbs);
    return result(null, [fileDiagnostic(rel, configMissing(rel))], [rel]);
  }
  const configFile = read.file;
  if (!configFile || configFile.value === undefined) return result(null, read.diagnostics, configFile ? [configFile.rel] : []);
  const diagnostics = [...read.diagnostics];
  configFile.value ??= {};
  if (!isRecord(configFile.value)) {
    diagnostics.push(diagnosticAt(configFile, [], notAMapping(describeValue(configFile.value))));
    return result(null, diagnostics, [configFile.rel]);
  }

  const graph = await resolveExtends(configFile, { root, packageDir: () => (packageDir ??= findPackageDir()), readText: opts.readText });
  diagnostics.push(...graph.diagnostics);
  const extended = graph.ordered.filter((file) => file !== configFile);
  for (const file of extended) diagnostics.push(...checkExtendedFile(file, configFile));
  const files = [configFile.rel, ...extended.map((file) => file.rel)];

  const merged = mergeGuards(graph);
  diagnostics.push(...merged.diagnostics);
  const ownGuards = configFile.value.guards;
  const input = { ...configFile.value, guards: ownGuards === undefined || Array.isArray(ownGuards) ? merged.guards.map((g) => g.value) : ownGuards };
  const parsed = configFileSchema.safeParse(input);
  if (!parsed.success) {
    const locate = (keyPath: readonly PropertyKey[]) => locateMergedPath(merged.guards, configFile, keyPath);
    diagnostics.push(...issuesToDiagnostics(parsed.error.issues, input, configFileSchema, locate));
  }
  diagnostics.push(...checkGuardRules(merged.guards, configFile, root));
  diagnostics.push(...(await checkRuntimeValues(merged.guards, configFile)));

  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  const config = parsed.success && !hasErrors ? normalizeConfig(parsed.data, merged.guards, root, files) : null;
  return result(config, diagnostics, files);
}

// Splits diagnostics by severity, ordered by file (the config first) then position.
function result(config: Config | null, diagnostics: Diagnostic[], files: string[]): LoadConfigResult {
  const rank = (file: string) => (files.includes(file) ? files.indexOf(file) : files.length);
  const sorted = [...diagnostics].sort((a, b) => rank(a.file) - rank(b.file) || a.line - b.line || a.col - b.col);
  return {
    config,
    warnings: sorted.filter((d) => d.severity === 'warning'),
    errors: sorted.filter((d) => d.severity === 'error'),
  };
}
