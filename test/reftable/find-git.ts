import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

// The oldest git that writes reftable repositories (`git init --ref-format=reftable`).
export const MIN_GIT = [2, 45] as const;

// The version of a git binary, or null when it doesn't run.
export function gitVersion(bin: string): [number, number, string] | null {
  const res = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const m = res.status === 0 ? /git version (\d+)\.(\d+)\S*/.exec(res.stdout) : null;
  return m ? [Number(m[1]), Number(m[2]), m[0]] : null;
}

function recentEnough(v: [number, number, string] | null): boolean {
  return v !== null && (v[0] > MIN_GIT[0] || (v[0] === MIN_GIT[0] && v[1] >= MIN_GIT[1]));
}

// Where scripts/build-git.sh caches its build.
export function cachePrefix(env: NodeJS.ProcessEnv = process.env): string {
  return env.GUARDLOOP_GIT_PREFIX ?? join(homedir(), '.cache', 'guardloop-git');
}

// A git >= 2.45: $GUARDLOOP_TEST_GIT, the one on PATH, the cached build — or, unless
// GUARDLOOP_NO_GIT_BUILD=1, one built now by scripts/build-git.sh (once; it caches). Else why not.
export function findReftableGit(project: string, env: NodeJS.ProcessEnv = process.env): { bin: string; version: string } | { reason: string } {
  const prefix = cachePrefix(env);
  const candidates = [env.GUARDLOOP_TEST_GIT, 'git', join(prefix, 'bin', 'git')].filter((c): c is string => Boolean(c));
  const seen: string[] = [];
  for (const c of candidates) {
    const v = gitVersion(c);
    seen.push(`${c}: ${v ? v[2] : 'not found'}`);
    if (recentEnough(v)) return { bin: c === 'git' ? 'git' : resolve(c), version: v![2] };
  }
  if (env.GUARDLOOP_NO_GIT_BUILD === '1') return { reason: `no git >= ${MIN_GIT.join('.')} (${seen.join('; ')}) and GUARDLOOP_NO_GIT_BUILD=1` };
  const script = join(project, 'scripts', 'build-git.sh');
  if (!existsSync(script)) return { reason: `no git >= ${MIN_GIT.join('.')} and no ${script}` };
  const started = Date.now();
  const res = spawnSync('bash', [script, prefix], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 45 * 60_000 });
  const v = gitVersion(join(prefix, 'bin', 'git'));
  if (res.status !== 0 || !recentEnough(v)) return { reason: `no git >= ${MIN_GIT.join('.')} (${seen.join('; ')}), and scripts/build-git.sh failed (exit ${res.status ?? res.signal}) after ${Math.round((Date.now() - started) / 1000)}s` };
  return { bin: join(prefix, 'bin', 'git'), version: v![2] };
}
