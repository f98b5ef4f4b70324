import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, exec, PROJECT } from '../helpers/git-repo.js';

// `npm pack` of this checkout (dist/ as last built) into a fresh temp dir, as a user would get it
// from the registry; the caller removes `dir`. Packing takes under a second, so each e2e file packs
// its own rather than coordinating one tarball across test workers.
export async function packTarball(): Promise<{ dir: string; tarball: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-pack-'));
  const res = await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: PROJECT, env: cleanEnv() });
  if (res.code !== 0) throw new Error(`npm pack failed: ${res.stderr}`);
  return { dir, tarball: join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!) };
}

// npm's environment for installing a tarball in a test: no audit, funding or update notices.
export const npmEnv = () => cleanEnv({ npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
