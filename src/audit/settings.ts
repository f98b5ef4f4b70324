import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCommittedConfig } from '../config/committed.js';
import { gitOk } from '../git/git.js';
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

// The repository around `cwd` and its audit settings, from the config committed at HEAD (an
// uncommitted edit of .loop/config.yaml can't switch the gate off); before a config is first
// committed, the working copy's; the defaults (merges required, ℛ not pushed along) when there is
// none at all. A config that can't be used is a ConfigError.
export async function auditSettings(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<AuditSettings> {
  const repo = await discoverRepo(cwd, env);
  const committed = repo.head !== null && (await gitOk(['cat-file', '-e', `${repo.head}:${DEFAULT_CONFIG_FILE}`], { cwd: repo.root }));
  if (!committed && !existsSync(join(repo.root, DEFAULT_CONFIG_FILE))) return { repo, merges: 'require', onPush: false };
  const { config } = await loadCommittedConfig(repo);
  return { repo, merges: config.audit.merges, onPush: config.sync.onPush };
}
