import { durationToMs } from './duration.js';
import type { MergedGuard } from './merge-guards.js';
import type { Config, ConfigFile } from './schema.js';

// Turns the validated, merged config into what the engine consumes: durations in milliseconds,
// disabled guards dropped, each guard tagged with the file its final declaration came from.
export function normalizeConfig(parsed: ConfigFile, merged: MergedGuard[], root: string, files: string[]): Config {
  const { guards, extends: _extends, $schema: _schema, ...rest } = parsed;
  return {
    ...rest,
    guards: guards.flatMap((guard, index) => {
      if (!guard.enabled) return [];
      const origins = merged[index].origins;
      return [{ ...guard, timeout: durationToMs(guard.timeout), source: origins[origins.length - 1].file.rel }];
    }),
    files,
    root,
  };
}
