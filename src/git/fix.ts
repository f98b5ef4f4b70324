import { git, gitRaw } from './git.js';
import type { CandidateView } from './candidate.js';
import type { RepoInfo } from './repo.js';

// What happened to a fix guard's changes outside the candidate.
export interface FixReport {
  // Files whose fixed content is in the index the commit uses.
  staged: string[];
  // Files whose working copy got the same fix.
  applied: string[];
  // Files whose working copy could not take the fix (their unstaged edits were left untouched).
  notApplied: string[];
}

interface FixCandidate {
  tree: string;
  view: CandidateView;
  isolated: boolean;
  tmpIndex: string | undefined;
  userIndex: string | undefined;
}

// Fixes made on a candidate: the tree after them and the files they changed.
export interface FixesTaken {
  cand: FixCandidate;
  fixedTree: string;
  files: string[];
}

function viewGit(repo: RepoInfo, view: CandidateView): { args: string[]; env: Record<string, string | undefined> } {
  const args = view.workTree === repo.root ? [] : [`--git-dir=${repo.gitDir}`, `--work-tree=${view.workTree}`];
  return { args, env: view.indexFile ? { GIT_INDEX_FILE: view.indexFile } : {} };
}

// Puts files a check-only guard changed back to the candidate's content.
export async function restoreFiles(repo: RepoInfo, view: CandidateView, paths: string[]): Promise<void> {
  const { args, env } = viewGit(repo, view);
  await git([...args, 'checkout-index', '-f', '-z', '--stdin'], { cwd: view.workTree, env, input: paths.join('\0') });
}

// Makes the index hold `to`'s entries wherever `from` and `to` differ (one update-index process).
async function setIndexEntries(repo: RepoInfo, indexFile: string | undefined, { from, to }: { from: string; to: string }): Promise<void> {
  const raw = await gitRaw(['diff-tree', '-r', '-z', '--no-renames', from, to], { cwd: repo.root });
  const fields = raw.stdout.toString('utf8').split('\0');
  const lines: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, newMode, , newSha, status] = fields[i].replace(/^:/, '').split(' ');
    const path = fields[i + 1];
    lines.push(status === 'D' ? `0 ${'0'.repeat(newSha.length)}\t${path}` : `${newMode} ${newSha}\t${path}`);
  }
  if (!lines.length) return;
  await git(['update-index', '--index-info'], { cwd: repo.root, env: indexFile ? { GIT_INDEX_FILE: indexFile } : {}, input: lines.map((l) => `${l}\n`).join('') });
}

// Undoes staged fixes when the run is interrupted before git could commit them: the index gets the
// candidate's entries back, and the working copy loses exactly the change the fix made.
export async function revertFixes(repo: RepoInfo, { cand, fixedTree, files, report }: FixesTaken & { report: FixReport | null }): Promise<void> {
  if (cand.tmpIndex) return;
  if (!cand.isolated || report) await setIndexEntries(repo, cand.userIndex, { from: fixedTree, to: cand.tree });
  if (!cand.isolated) {
    // In place the working copy equalled the candidate before the guard ran: put those files back.
    await restoreFiles(repo, { indexFile: cand.userIndex, workTree: repo.root }, files);
    return;
  }
  for (const path of report?.applied ?? []) {
    const patch = await gitRaw(['diff', '--binary', '--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', cand.tree, fixedTree, '--', path], { cwd: repo.root });
    await gitRaw(['apply', '-R', '--whitespace=nowarn', '-'], { cwd: repo.root, input: patch.stdout, okCodes: [1] });
  }
}

// Carries fixes made in a temporary checkout over to the user: the fixed blobs into the index the
// commit uses, and the same change into the working copy where it applies cleanly.
export async function applyFixesToUser(repo: RepoInfo, { cand, files, fixedTree }: FixesTaken): Promise<FixReport> {
  if (!cand.isolated) {
    // In place, the guard edited the working copy itself; for a stop the candidate is the working tree.
    return { staged: cand.tmpIndex ? [] : files, applied: files, notApplied: [] };
  }
  // A stop's candidate is the working tree (its index is private): the fix goes to the working copy only.
  if (!cand.tmpIndex) await setIndexEntries(repo, cand.userIndex, { from: cand.tree, to: fixedTree });
  const applied: string[] = [];
  const notApplied: string[] = [];
  for (const path of files) {
    const patch = await gitRaw(['diff', '--binary', '--no-color', '--no-ext-diff', '--no-textconv', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', cand.tree, fixedTree, '--', path], { cwd: repo.root });
    const ok = await gitRaw(['apply', '--whitespace=nowarn', '-'], { cwd: repo.root, input: patch.stdout, okCodes: [1] });
    (ok.code === 0 ? applied : notApplied).push(path);
  }
  return { staged: cand.tmpIndex ? [] : files, applied, notApplied };
}

// Which of `paths` hold byte-identical content in two work dirs (one `git hash-object` each).
export async function sameContent(repo: RepoInfo, { dirs: [dirA, dirB], paths }: { dirs: [string, string]; paths: string[] }): Promise<string[]> {
  if (!paths.length) return [];
  const hash = async (dir: string) =>
    (await gitRaw(['hash-object', '--no-filters', '--stdin-paths'], { cwd: repo.root, input: paths.map((p) => `${dir}/${p}\n`).join(''), okCodes: [128] })).stdout.toString('utf8').split('\n');
  const [a, b] = await Promise.all([hash(dirA), hash(dirB)]);
  return paths.filter((_, i) => a[i] && a[i] === b[i]);
}
