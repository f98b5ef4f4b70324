import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { copyFile, readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { checkoutSuspects } from './checkout-changes.js';
import { readGitConfig, type GitConfig } from './config.js';
import { emptyTree, git, gitOk, gitRaw } from './git.js';
import { readIndexFile } from './index-file.js';
import { MAX_ENTRIES, worktreeMatchesIndex } from './worktree-match.js';
import { processAlive } from './process-alive.js';
import type { RepoInfo } from './repo.js';
import { diffCut } from '../messages/git.js';

// The git environment a command needs to see one candidate: its index file and work dir.
export interface CandidateView {
  indexFile: string | undefined;
  workTree: string;
}

function viewEnv(view: CandidateView): Record<string, string | undefined> {
  return view.indexFile ? { GIT_INDEX_FILE: view.indexFile } : {};
}

function viewArgs(view: CandidateView, repo: RepoInfo): string[] {
  return view.workTree === repo.root ? [] : [`--git-dir=${repo.gitDir}`, `--work-tree=${view.workTree}`];
}

// The tree the index holds: exactly what `git commit` will record. `git write-tree` takes the
// index's lock to store its cache, so it runs on a private copy: guardloop never holds (or, killed,
// leaves) `.git/index.lock`, and never fails because an editor's git integration holds it.
export async function indexTree(repo: RepoInfo, indexFile: string | undefined): Promise<string> {
  return (await stampedIndexTree(repo, indexFile)).tree;
}

// The index file's identity (device, inode, size, change and modification times in ns), or null
// when there is none. git (and every tool that follows its lock protocol) replaces the index by
// renaming a new file over it, so the same stamp means the same file, never rewritten.
export function indexStamp(repo: RepoInfo, indexFile: string | undefined): string | null {
  const s = statSync(indexFile ?? join(repo.gitDir, 'index'), { bigint: true, throwIfNoEntry: false });
  return s ? `${s.dev}:${s.ino}:${s.size}:${s.ctimeNs}:${s.mtimeNs}` : null;
}

// indexTree with the index's stamp taken before it was read: while indexStamp still gives that
// stamp, the index holds that tree (a run checks that nothing was staged meanwhile without a
// second write-tree). With `diffFrom`, the change from that commit (or tree) to the index is diffed
// from the same copy at the same time (`git diff --cached`, what diffTrees gives for the tree
// written), so a run doesn't wait for write-tree and then for the diff.
export async function stampedIndexTree(
  repo: RepoInfo,
  indexFile: string | undefined,
  diffFrom?: { base: string; limit: number },
): Promise<{ tree: string; stamp: string | null; change: TreeChange | null }> {
  // Synchronous up to the spawns, so git's processes start at once (before the caller's others).
  const stamp = indexStamp(repo, indexFile);
  // The index names its tree itself when its cache-tree is whole (git commit writes it just before
  // the pre-commit hook): no write-tree. (With a diff asked, both still come from one copy.)
  const named = diffFrom || !stamp ? null : cachedTree(repo, indexFile, stamp);
  if (named) return { tree: named, stamp, change: null };
  const copy = join(scratchDirSync(repo), `write-tree-${process.pid}-${Date.now()}`);
  try {
    try {
      copyFileSync(indexFile ?? join(repo.gitDir, 'index'), copy);
    } catch (e) {
      // No index yet (nothing was ever staged): write-tree gives the empty tree.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const env = { GIT_INDEX_FILE: copy };
    const [tree, change] = await Promise.all([
      git(['write-tree'], { cwd: repo.root, env }),
      diffFrom ? gitRaw([...DIFF_ARGS, '--cached', diffFrom.base], { cwd: repo.root, env }).then((r) => parseDiff(r.stdout, diffFrom.limit)) : Promise.resolve(null),
    ]);
    return { tree, stamp, change };
  } finally {
    await Promise.all([rm(copy, { force: true }), rm(`${copy}.lock`, { force: true })]);
  }
}

// The root of the index's cache-tree, read while the index keeps `stamp`: what `git write-tree` gives
// for it, since git itself returns a valid root whose object it has without looking at the entries.
// Only when git has that tree as a loose object (a commit's new tree: git wrote it with the
// cache-tree) and the index has nothing write-tree would refuse or treat apart: a conflict (it fails),
// an intent-to-add entry (left out of trees), a split or sparse index (entries elsewhere or folded
// into folders). Else null, and write-tree answers.
function cachedTree(repo: RepoInfo, indexFile: string | undefined, stamp: string): string | null {
  if (!fewEntries(indexFile ?? join(repo.gitDir, 'index'))) return null;
  const index = readIndexFile(indexFile ?? join(repo.gitDir, 'index'), repo.objectFormat === 'sha256' ? 32 : 20, MAX_ENTRIES);
  const tree = index?.tree;
  if (!tree || index.extensions.includes('link') || index.extensions.includes('sdir')) return null;
  if (index.entries.some((e) => e.stage !== 0 || e.intentToAdd) || indexStamp(repo, indexFile) !== stamp) return null;
  return existsSync(join(repo.objectsDir, tree.slice(0, 2), tree.slice(2))) ? tree : null;
}

// Whether the index holds at most MAX_ENTRIES entries (read from its header, not the whole file: a
// big repository's index is megabytes): the in-process readings are for those; git answers the rest.
function fewEntries(file: string): boolean {
  const header = Buffer.alloc(12);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    return readSync(fd, header, 0, 12, 0) === 12 && header.readUInt32BE(8) <= MAX_ENTRIES;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// Removes scratch files (index copies) that a killed run left; their names carry the owner's pid.
export async function sweepScratch(repo: RepoInfo): Promise<void> {
  const dir = join(repo.commonDir, 'guardloop', 'tmp');
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      const pid = Number(/-(\d+)-\d+/.exec(name)?.[1]);
      if (pid && pid !== process.pid && !processAlive(pid)) await rm(join(dir, name), { force: true });
    }),
  );
}

// Whether tracked files in the working tree differ from the index (then guards can't run in place).
// Proven the same in-process where git's own stat rules tell (worktree-match.ts); else git's diff.
// `gitConfig`: the repository's configuration when the caller has read it already (else read here).
export async function worktreeDiffersFromIndex(repo: RepoInfo, indexFile: string | undefined, env: NodeJS.ProcessEnv = process.env, gitConfig?: GitConfig): Promise<boolean> {
  const stamp = indexStamp(repo, indexFile);
  if (stamp && fewEntries(indexFile ?? join(repo.gitDir, 'index'))) {
    const config = gitConfig ?? (await readGitConfig({ cwd: repo.root, gitDir: repo.gitDir, commonDir: repo.commonDir, env }));
    const file = indexFile ?? join(repo.gitDir, 'index');
    if (worktreeMatchesIndex({ repo, workTree: repo.root, indexFile: file, stamp, stampNow: () => indexStamp(repo, indexFile), config, env })) return false;
  }
  const same = await gitOk(['diff', '--quiet', '--ignore-submodules', '--no-ext-diff'], {
    cwd: repo.root,
    env: indexFile ? { GIT_INDEX_FILE: indexFile } : {},
  });
  return !same;
}

// Directory for guardloop's short-lived local files (temporary indexes).
export async function scratchDir(repo: RepoInfo): Promise<string> {
  return scratchDirSync(repo);
}

// The scratch folder, made synchronously (stampedIndexTree starts git without waiting on the thread
// pool); something that isn't a folder took its name: it holds nothing of guardloop's, so it goes.
function scratchDirSync(repo: RepoInfo): string {
  const dir = join(repo.commonDir, 'guardloop', 'tmp');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw e;
    rmSync(dir, { force: true, recursive: true });
    mkdirSync(dir, { recursive: true });
  }
  return dir;
}

// The working tree as an agent left it (tracked and untracked, not ignored), as a tree object,
// built in a private index so the user's index is never touched. The index file is kept for the run.
export async function worktreeCandidate(repo: RepoInfo, indexFile: string | undefined): Promise<{ tree: string; indexFile: string }> {
  const tmpIndex = join(await scratchDir(repo), `index-${process.pid}-${Date.now()}`);
  const real = indexFile ?? join(repo.gitDir, 'index');
  // The copy keeps the index's times: git takes an entry whose file changed in the index's own
  // second as "racily clean" and compares its content only when the index is no newer than the file.
  // A copy stamped now would make an edit of the same size in that second look unchanged.
  await copyFile(real, tmpIndex)
    .then(async () => {
      const st = await stat(real);
      await utimes(tmpIndex, st.atimeMs / 1000, st.mtimeMs / 1000);
    })
    .catch(() => undefined);
  const env = { GIT_INDEX_FILE: tmpIndex };
  await git(['add', '-A', '--', '.'], { cwd: repo.root, env });
  const tree = await git(['write-tree'], { cwd: repo.root, env });
  return { tree, indexFile: tmpIndex };
}

// The tree of a commit, or the empty tree when there is no commit yet. With `reader` (a warm
// `cat-file --batch-command` the caller has open anyway) it is read from the commit object there,
// one git process fewer; what the reader can't answer is asked of rev-parse, which names the failure.
export async function treeOf(repo: RepoInfo, commit: string | null, reader?: { read(name: string): Promise<{ type: string; data: Buffer } | null> }): Promise<string> {
  if (!commit) return emptyTree(repo);
  const obj = reader ? await reader.read(commit).catch(() => null) : null;
  const tree = obj?.type === 'commit' ? /^tree ([0-9a-f]{40,64})\n/.exec(obj.data.toString('latin1', 0, 80))?.[1] : undefined;
  return tree ?? git(['rev-parse', `${commit}^{tree}`], { cwd: repo.root });
}

// What changed between two trees, from one git process: the paths (what `files` globs are matched
// against), which of them the second tree no longer has (never handed to a guard as `{files}`), and
// the patch as it goes into the record, cut at `limit` bytes with a marker.
export interface TreeChange {
  paths: string[];
  deleted: Set<string>;
  diff: string;
  truncated: boolean;
}

export async function diffTrees(repo: RepoInfo, { from, to, limit }: { from: string; to: string; limit: number }): Promise<TreeChange> {
  return parseDiff((await gitRaw([...DIFF_ARGS, from, to], { cwd: repo.root })).stdout, limit);
}

// How a change is asked of git: the raw part (paths, NUL-separated) then the patch, renames found.
// The prefixes are named: `diff.mnemonicPrefix` would make `--cached` write c/ and i/, `diff.noprefix` none.
const DIFF_ARGS = ['diff', '--raw', '-p', '-z', '-M', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/'];

function parseDiff(out: Buffer, limit: number): TreeChange {
  // The raw part (NUL-separated) ends with an empty field; the patch follows.
  const split = out.indexOf('\0\0');
  const raw = split < 0 ? '' : out.subarray(0, split + 1).toString('utf8');
  const patch = split < 0 ? out : out.subarray(split + 2);
  const fields = raw.split('\0');
  const paths: string[] = [];
  const deleted = new Set<string>();
  for (let i = 0; i < fields.length - 1; ) {
    const status = fields[i].split(' ').pop() ?? '';
    if (status.startsWith('R') || status.startsWith('C')) {
      // A rename or copy names the old path, then the new one.
      if (status.startsWith('R')) deleted.add(fields[i + 1]);
      paths.push(fields[i + 1], fields[i + 2]);
      i += 3;
    } else {
      if (status === 'D') deleted.add(fields[i + 1]);
      paths.push(fields[i + 1]);
      i += 2;
    }
  }
  if (patch.length <= limit) return { paths, deleted, diff: patch.toString('utf8'), truncated: false };
  const kept = patch.subarray(0, limit).toString('utf8');
  return { paths, deleted, diff: `${kept}${diffCut(limit, patch.length)}`, truncated: true };
}

// Every file in a tree (for a run over all files).
export async function allPaths(repo: RepoInfo, tree: string): Promise<string[]> {
  const out = await gitRaw(['ls-tree', '-r', '-z', '--name-only', tree], { cwd: repo.root });
  return out.stdout.toString('utf8').split('\0').filter(Boolean);
}

// Tracked files a guard changed in the candidate's work dir: compared with the candidate's index, or
// with `tree` itself (in place, where the index is the user's and may change under the run). In a
// temporary checkout git is asked only about the files whose stat data can't vouch for them
// (checkout-changes.ts): a fresh checkout is otherwise hashed file by file.
export async function modifiedFiles(repo: RepoInfo, view: CandidateView, tree?: string): Promise<string[]> {
  const checkout = !tree && view.indexFile && view.workTree !== repo.root;
  const suspects = checkout ? checkoutSuspects(view.workTree, view.indexFile!, repo.objectFormat === 'sha256' ? 32 : 20) : null;
  if (suspects && !suspects.length) return [];
  const only = suspects && suspects.reduce((n, p) => n + p.length + 1, 0) <= MAX_PATHSPEC ? ['--', ...suspects] : [];
  const cmd = tree ? ['diff-index', '--name-only', '-z', '--ignore-submodules', tree] : ['diff', '--name-only', '-z', '--no-ext-diff', '--ignore-submodules', ...only];
  const out = await gitRaw([...(only.length ? ['--literal-pathspecs'] : []), ...viewArgs(view, repo), ...cmd], {
    cwd: view.workTree,
    env: viewEnv(view),
  });
  return out.stdout.toString('utf8').split('\0').filter(Boolean);
}

// The most path characters handed to one git command line (well below Linux's 128 KiB per argument
// list entry and 2 MiB in all); more suspects than that, and git looks at every file itself.
const MAX_PATHSPEC = 100_000;

// Stages a fix guard's changes in the candidate's index and returns the new candidate tree.
export async function stageFixes(repo: RepoInfo, view: CandidateView, paths: string[]): Promise<string> {
  const env = viewEnv(view);
  if (paths.length) await git([...viewArgs(view, repo), 'add', '-u', '--', ...paths], { cwd: view.workTree, env });
  return git([...viewArgs(view, repo), 'write-tree'], { cwd: view.workTree, env });
}

// Removes a temporary index file, ignoring one that is already gone.
export async function dropIndex(file: string | undefined): Promise<void> {
  if (file) await rm(file, { force: true });
}

// Whether a candidate's index still holds exactly `tree` (compares entries' ids, reads no object: a
// blob a guard wrote into a private checkout's own object store is never looked up).
export async function indexHolds(repo: RepoInfo, view: CandidateView, tree: string): Promise<boolean> {
  return gitOk([...viewArgs(view, repo), 'diff-index', '--cached', '--quiet', '--ignore-submodules', tree], { cwd: view.workTree, env: viewEnv(view) });
}
