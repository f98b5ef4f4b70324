import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigCached } from '../config/load-cached.js';
import { ConfigError } from '../errors/config-error.js';
import { discoverRepo, type RepoInfo } from '../git/repo.js';
import { DEFAULT_CONFIG_FILE } from '../messages/config.js';

// How audit treats merge commits: `require` an ACCEPTED record for a merge's tree too (it is a new
// tree), or `skip` merges.
export type MergePolicy = 'require' | 'skip';

// What audit and the pre-push gate read from the config (`audit.merges`, `sync.onPush`).
export interface AuditSettings {
  repo: RepoInfo;
  merges: MergePolicy;
  onPush: boolean;
}

// The repository around `cwd` and its audit settings: the defaults (merges required, ℛ not pushed
// along) when there is no .loop/config.yaml; a config that can't be used is a ConfigError.
export async function auditSettings(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<AuditSettings> {
  const repo = await discoverRepo(cwd, env);
  if (!existsSync(join(repo.root, DEFAULT_CONFIG_FILE))) return { repo, merges: 'require', onPush: false };
  const { config, errors } = await loadConfigCached({ root: repo.root, cacheFile: join(repo.commonDir, 'guardloop', 'config-cache.json') });
  if (!config || errors.length) throw new ConfigError(errors);
  return { repo, merges: config.audit.merges, onPush: config.sync.onPush };
}
