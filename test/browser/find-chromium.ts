import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// A Chromium the browser suite can drive: $GUARDLOOP_CHROMIUM, Debian's /usr/bin/chromium, or one
// installed now by scripts/install-chromium.sh (root and apt-get; unless GUARDLOOP_NO_CHROMIUM_INSTALL=1);
// and playwright-core to drive it. Else why not, for the skip message.
export function findChromium(project: string, env: NodeJS.ProcessEnv = process.env): { bin: string; version: string } | { reason: string } {
  try {
    createRequire(join(project, 'package.json')).resolve('playwright-core');
  } catch {
    return { reason: 'playwright-core is not installed (npm install)' };
  }
  const runs = (bin: string) => {
    const res = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    return res.status === 0 && /Chrom/.test(res.stdout) ? res.stdout.trim() : null;
  };
  const candidates = [env.GUARDLOOP_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((c): c is string => Boolean(c));
  for (const c of candidates) {
    const v = existsSync(c) ? runs(c) : null;
    if (v) return { bin: c, version: v };
  }
  if (env.GUARDLOOP_NO_CHROMIUM_INSTALL === '1') return { reason: `no chromium (${candidates.join(', ')}) and GUARDLOOP_NO_CHROMIUM_INSTALL=1` };
  const script = join(project, 'scripts', 'install-chromium.sh');
  const res = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20 * 60_000 });
  const bin = res.stdout.trim().split('\n').pop() ?? '';
  const v = res.status === 0 && bin ? runs(bin) : null;
  if (!v) return { reason: `no chromium, and scripts/install-chromium.sh failed (exit ${res.status ?? res.signal}): ${res.stderr.trim().split('\n').pop() ?? ''}` };
  return { bin, version: v };
}
