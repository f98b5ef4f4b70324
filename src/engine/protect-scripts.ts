import type { Config } from '../config/schema.js';
import { gitRaw } from '../git/git.js';
import type { RepoInfo } from '../git/repo.js';

// The package.json scripts a guard runs (`npm test`, `npm run --silent lint`, `pnpm lint`, `yarn run
// build`), with their npm pre/post hooks: changing one of them changes what the guard checks.
export function guardScripts(config: Config): string[] {
  return scriptsNamedIn(config.guards.map((g) => (typeof g.run === 'string' ? g.run : g.run.join(' '))));
}

// The script names that commands run through npm/pnpm/yarn, with their pre/post scripts.
function scriptsNamedIn(commands: string[]): string[] {
  const names = new Set<string>();
  for (const text of commands) {
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

// Which of the scripts guards run differ between two blobs of a package.json (a package.json an
// agent edits for a new dependency is fine; one whose `scripts.lint` became `true` is a protected
// change). Scripts those scripts run (`"lint": "npm run lint:core"`) count too. Any package.json
// of the repository is compared (a guard may run in a sub-package through `cwd`, `--prefix` or `cd`).
export async function changedGuardScripts(repo: RepoInfo, config: Config, before: string | null, after: string | null): Promise<string[]> {
  const [a, b] = await Promise.all([scriptsAt(repo, before), scriptsAt(repo, after)]);
  const names = new Set(guardScripts(config));
  if (!names.size) return [];
  // The closure over what the named scripts run, at the base and in the candidate.
  for (let grown = true; grown; ) {
    grown = false;
    const bodies = [...names].flatMap((n) => [a[n], b[n]]).filter((v): v is string => typeof v === 'string');
    for (const n of scriptsNamedIn(bodies)) if (!names.has(n)) grown = names.add(n) !== null;
  }
  return [...names].filter((n) => JSON.stringify(a[n] ?? null) !== JSON.stringify(b[n] ?? null));
}
