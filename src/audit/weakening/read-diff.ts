import { emptyTree, git, gitRaw } from '../../git/git.js';
import { discoverRepo } from '../../git/repo.js';
import { parseDiff, type DiffFile } from './parse-diff.js';

// The change a check judges: the base it is judged against, the candidate's tree, and the diff between them.
export interface CandidateDiff {
  cwd: string;
  // The base commit or tree (the empty tree when there is none: then `hasBase` is false).
  base: string;
  hasBase: boolean;
  tree: string;
  files: DiffFile[];
}

// Where the base and the candidate come from: flags first, then the guard environment guardloop gives
// every guard (GUARDLOOP_BASE, empty when there is none; GUARDLOOP_TREE), and by hand HEAD and the index.
export interface DiffSource {
  cwd: string;
  base?: string;
  tree?: string;
  env: NodeJS.ProcessEnv;
}

// Options that make the diff the same whatever the user's git config and attributes say: no colour, no
// external or text-converted diffs, every file's lines as text (`-diff`/`binary` attributes can't hide a
// file; parseDiff tells binary files by their NUL bytes), paths from the top with the a/ and b/ prefixes,
// UTF-8 paths unescaped.
const DIFF_ARGS = ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--text', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', '--unified=0', '-M'];

// The two sides of the change, resolved: the repository's top, the base (null when there is none: a
// first commit, or GUARDLOOP_BASE given empty), the candidate's tree, and HEAD.
export interface CandidateSides {
  cwd: string;
  base: string | null;
  tree: string;
  head: string | null;
  gitDir: string;
  emptyTree: string;
}

// Resolves where the base and the candidate come from (flags, then GUARDLOOP_BASE/GUARDLOOP_TREE, then
// HEAD and the index).
export async function resolveSides(source: DiffSource): Promise<CandidateSides> {
  const repo = await discoverRepo(source.cwd, source.env);
  const cwd = repo.root;
  const baseGiven = source.base ?? source.env.GUARDLOOP_BASE;
  const base = baseGiven === undefined ? repo.head : baseGiven.trim() || null;
  const treeGiven = source.tree ?? source.env.GUARDLOOP_TREE;
  const tree = treeGiven?.trim() || (await git(['write-tree'], { cwd }));
  return { cwd, base, tree, head: repo.head, gitDir: repo.gitDir, emptyTree: emptyTree(repo) };
}

// Reads the candidate's diff with one `git diff` between two tree-ish objects (the work tree and index
// are never touched); `base` overrides the sides' base (a merge's other parents).
export async function readCandidateDiff(source: DiffSource | CandidateSides, base?: string): Promise<CandidateDiff> {
  const sides = 'emptyTree' in source ? source : await resolveSides(source);
  const from = base ?? sides.base ?? sides.emptyTree;
  const { stdout } = await gitRaw([...DIFF_ARGS, from, sides.tree, '--'], { cwd: sides.cwd });
  return { cwd: sides.cwd, base: from, hasBase: base !== undefined || sides.base !== null, tree: sides.tree, files: parseDiff(stdout.toString('utf8')) };
}

// A file's content in the base or the candidate (`diff.base`, `diff.tree`); null when it is not a file there.
export async function blobAt(diff: CandidateDiff, treeish: string, path: string): Promise<string | null> {
  const res = await gitRaw(['cat-file', 'blob', `${treeish}:${path}`], { cwd: diff.cwd, okCodes: [128] });
  return res.code === 0 ? res.stdout.toString('utf8') : null;
}
