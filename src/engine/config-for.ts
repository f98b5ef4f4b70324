import { join } from 'node:path';
import type { Diagnostic } from '../config/diagnostic.js';
import { loadConfigCached } from '../config/load-cached.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors/config-error.js';
import type { RepoInfo } from '../git/repo.js';
import type { Baseline } from './baseline.js';

// Loads the config (from a cache keyed by the files' content, so a hook skips YAML and schema work
// when nothing changed) or throws a ConfigError carrying every problem found.
// A GENERATOR run uses the config committed at its trusted base, never the agent's edited copy.
export async function configFor(repo: RepoInfo, given: Config | undefined, baseline: Baseline | null): Promise<{ config: Config; warnings: Diagnostic[] }> {
  if (given) return { config: given, warnings: [] };
  if (baseline) return (await import('../config/committed.js')).loadCommittedConfig(repo, baseline.commit);
  // Per worktree (its own git dir): the entry is keyed by the worktree's root, so one file shared by
  // the worktrees would miss on every switch between them and load the full bundle each time.
  const cacheFile = join(repo.gitDir, 'guardloop', 'config-cache.json');
  const { config, errors, warnings } = await loadConfigCached({ root: repo.root, cacheFile });
  if (!config || errors.length) throw new ConfigError(errors);
  return { config, warnings };
}
