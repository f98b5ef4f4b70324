import type { Spawned, TestRepo } from '../helpers/git-repo.js';

// A focus or skip marker spelled from its parts, so that this repository's own no-focused-tests
// guard (which greps test/**/*.ts) doesn't take the fixtures of these tests for the real thing.
export const call = (...parts: string[]): string => `${parts.join('.')}(`;

// Writes files (path → content; null deletes the file) into the work tree.
export function writeFiles(repo: TestRepo, files: Record<string, string | null>): void {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) repo.git('rm', '-q', '--', path);
    else repo.write(path, content);
  }
}

// Commits files as the base the candidate is judged against; returns its sha.
export function commitBase(repo: TestRepo, files: Record<string, string | null>): string {
  writeFiles(repo, files);
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'base');
  return repo.git('rev-parse', 'HEAD');
}

// Makes the candidate (the changes, staged) and runs `guardloop check <name>` on it the way a guard
// runs: GUARDLOOP_BASE the base commit ('' for none), GUARDLOOP_TREE the candidate's tree.
export async function checkCandidate(repo: TestRepo, name: string, changes: Record<string, string | null>, base?: string): Promise<Spawned> {
  writeFiles(repo, changes);
  repo.git('add', '-A');
  const tree = repo.git('write-tree');
  const baseRev = base ?? repo.git('rev-parse', 'HEAD');
  return repo.cli(['check', name], { env: { GUARDLOOP_BASE: baseRev, GUARDLOOP_TREE: tree } });
}

// The `path:line` of each finding line a check printed.
export function findingPlaces(out: Spawned): string[] {
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => /^(.+?:\d+): /.exec(l)?.[1] ?? `unparsed: ${l}`);
}
