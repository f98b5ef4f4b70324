import { emptyTree, git, gitRaw } from '../../git/git.js';
import { discoverRepo } from '../../git/repo.js';
import { parseDiff, type DiffFile } from './parse-diff.js';

// The change a check judges: the base it is judged against, the candidate's tree, and the diff between them.
export interface CandidateDiff {
  cwd: string;
  // The base commit or tree (the empty tree when there is none).
  base: string;
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

// Options that make the diff the same whatever the user's git config says: no colour, no external or
// text-converted diffs, paths from the top with the a/ and b/ prefixes, UTF-8 paths unescaped.
const DIFF_ARGS = ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', '--unified=0', '-M'];

// Reads the candidate's diff with one `git diff` between two tree-ish objects (the work tree and index
// are never touched).
export async function readCandidateDiff(source: DiffSource): Promise<CandidateDiff> {
  const repo = await discoverRepo(source.cwd, source.env);
  const cwd = repo.root;
  const baseGiven = source.base ?? source.env.GUARDLOOP_BASE;
  const base = baseGiven === undefined ? (repo.head ?? emptyTree(repo)) : baseGiven.trim() || emptyTree(repo);
  const treeGiven = source.tree ?? source.env.GUARDLOOP_TREE;
  const tree = treeGiven?.trim() || (await git(['write-tree'], { cwd }));
  const { stdout } = await gitRaw([...DIFF_ARGS, base, tree, '--'], { cwd });
  return { cwd, base, tree, files: parseDiff(stdout.toString('utf8')) };
}

// A file's content in the base or the candidate (`diff.base`, `diff.tree`); null when it is not a file there.
export async function blobAt(diff: CandidateDiff, treeish: string, path: string): Promise<string | null> {
  const res = await gitRaw(['cat-file', 'blob', `${treeish}:${path}`], { cwd: diff.cwd, okCodes: [128] });
  return res.code === 0 ? res.stdout.toString('utf8') : null;
}
