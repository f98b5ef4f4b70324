import { extendedKeyIgnored, notAMapping, wrongType, describeType, describeValue } from '../messages/config.js';
import type { Diagnostic } from './diagnostic.js';
import { isRecord } from './is-record.js';
import { configFileSchema } from './schema.js';
import { diagnosticAt, type YamlFile } from './yaml-file.js';
import { issuesToDiagnostics } from './zod-diagnostics.js';

// Keys an extended file may set that are not merely ignored.
const CONTRIBUTED_KEYS = new Set(['$schema', 'version', 'extends', 'guards']);

// Validates the top level of a file reached through `extends` (its guards are validated once merged):
// it must be a config file itself; settings other than guards are ignored, with a warning saying so.
// Uses the config file schema itself (already compiled by the first parse) rather than a variant of it.
export function checkExtendedFile(file: YamlFile, configFile: YamlFile): Diagnostic[] {
  const value = file.value ?? {};
  if (!isRecord(value)) return [diagnosticAt(file, [], notAMapping(describeValue(value)))];
  const diagnostics: Diagnostic[] = [];
  if (value.guards !== undefined && !Array.isArray(value.guards)) {
    diagnostics.push(diagnosticAt(file, ['guards'], wrongType(describeType('array'), describeValue(value.guards))));
  }
  const topLevel = { ...value, guards: [] };
  const parsed = configFileSchema.safeParse(topLevel);
  if (!parsed.success) diagnostics.push(...issuesToDiagnostics(parsed.error.issues, topLevel, configFileSchema, (path) => ({ file, path })));
  for (const key of Object.keys(value)) {
    if (!CONTRIBUTED_KEYS.has(key) && key in configFileSchema.shape) {
      diagnostics.push(diagnosticAt(file, [key], extendedKeyIgnored(key, configFile.rel), 'warning', true));
    }
  }
  return diagnostics;
}
