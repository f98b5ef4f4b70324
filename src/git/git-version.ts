import { git } from './git.js';

let known: Promise<number[] | null> | null = null;

// The version of the git on PATH as numbers (2.39.5 → [2, 39, 5]), asked once per process; null
// when git doesn't say. For what older gits lack (guardloop runs on git ≥ 2.30).
export function gitVersion(cwd: string): Promise<number[] | null> {
  known ??= git(['version'], { cwd }).then(
    (out) => /(\d+)\.(\d+)(?:\.(\d+))?/.exec(out)?.slice(1).map((n) => Number(n ?? 0)) ?? null,
    () => null,
  );
  return known;
}

// Whether the git on PATH is at least `want` (e.g. [2, 32]).
export async function gitAtLeast(cwd: string, want: number[]): Promise<boolean> {
  const have = await gitVersion(cwd);
  if (!have) return false;
  for (let i = 0; i < want.length; i++) if ((have[i] ?? 0) !== want[i]) return (have[i] ?? 0) > want[i];
  return true;
}
