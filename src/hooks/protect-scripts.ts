import type { Config } from '../config/schema.js';
import { gitRaw } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';

// The package.json scripts a guard runs (`npm test`, `npm run --silent lint`, `pnpm lint`, `yarn run
// build`), with their npm pre/post hooks: changing one of them changes what the guard checks.
export function guardScripts(config: Config): string[] {
  const names = new Set<string>();
  for (const g of config.guards) {
    const text = typeof g.run === 'string' ? g.run : g.run.join(' ');
    for (const m of text.matchAll(/\b(?:npm|pnpm|yarn)((?:\s+-{1,2}[\w-]+)*)\s+(run(?:-script)?\s+(?:-{1,2}[\w-]+\s+)*)?([\w:.-]+)/g)) {
      const name = m[2] ? m[3] : ['test', 't', 'start', 'stop', 'restart'].includes(m[3]) ? (m[3] === 't' ? 'test' : m[3]) : m[3];
      if (!m[2] && ['install', 'ci', 'exec', 'x', 'i', 'add', 'dlx'].includes(m[3])) continue;
      for (const n of [name, `pre${name}`, `post${name}`]) names.add(n);
    }
  }
  return [...names];
}

async function scriptsAt(repo: RepoInfo, blob: string | null): Promise<Record<string, unknown>> {
  if (!blob) return {};
  const res = await gitRaw(['cat-file', 'blob', blob], { cwd: repo.root, okCodes: [128] });
  try {
    const pkg = JSON.parse(res.stdout.toString('utf8')) as { scripts?: Record<string, unknown> };
    return pkg && typeof pkg.scripts === 'object' && pkg.scripts ? pkg.scripts : {};
  } catch {
    return {};
  }
}

// Which of the scripts guards run differ between two blobs of package.json (a package.json an agent
// edits for a new dependency is fine; one whose `scripts.lint` became `true` is a protected change).
export async function changedGuardScripts(repo: RepoInfo, config: Config, before: string | null, after: string | null): Promise<string[]> {
  const names = guardScripts(config);
  if (!names.length) return [];
  const [a, b] = await Promise.all([scriptsAt(repo, before), scriptsAt(repo, after)]);
  return names.filter((n) => JSON.stringify(a[n] ?? null) !== JSON.stringify(b[n] ?? null));
}
