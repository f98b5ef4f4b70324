import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readlinkSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { GitConfig } from './config.js';
import { readIndexFile, type IndexEntry, type IndexFile } from './index-file.js';
import type { RepoInfo } from './repo.js';

// Above this many entries git's own check (which stats files in parallel) is the faster one.
export const MAX_ENTRIES = 5_000;
// What the content of racily clean entries may add up to before git is asked instead.
const MAX_RACY_BYTES = 8 << 20;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFGITLINK = 0o160000;
const NS = 1_000_000_000n;

// What proving "the work tree is what the index holds" needs: the repository and its work tree, the
// index file, the stamp it must still have and how to take it now (git/candidate.ts indexStamp: the
// file the candidate's tree was read from), git's configuration and the environment git would see.
export interface WorktreeMatchInput {
  repo: RepoInfo;
  workTree: string;
  indexFile: string;
  stamp: string;
  stampNow: () => string | null;
  config: GitConfig;
  env: NodeJS.ProcessEnv;
}

const u32 = (n: bigint) => Number(BigInt.asUintN(32, n));

// Whether the file's stat data is what git recorded for the entry, field by field (git compares
// fewer of them; any difference here leaves the question to git).
function sameStat(e: IndexEntry, st: BigIntStats): boolean {
  const type = e.mode & S_IFMT;
  if (type === S_IFREG ? !st.isFile() || ((e.mode ^ Number(st.mode)) & 0o100) !== 0 : type !== S_IFLNK || !st.isSymbolicLink()) return false;
  return (
    u32(st.size) === e.size &&
    u32(st.mtimeNs / NS) === e.mtimeSec &&
    Number(st.mtimeNs % NS) === e.mtimeNsec &&
    u32(st.ctimeNs / NS) === e.ctimeSec &&
    Number(st.ctimeNs % NS) === e.ctimeNsec &&
    u32(st.ino) === e.ino &&
    u32(st.dev) === e.dev &&
    u32(st.uid) === e.uid &&
    u32(st.gid) === e.gid
  );
}

// Whether every folder on the way to `path` is a real folder, as git checks (a file under a symlinked
// folder is not the tracked file: git sees it deleted).
function realFolders(workTree: string, path: string, seen: Map<string, boolean>): boolean {
  for (let at = path.indexOf('/'); at > 0; at = path.indexOf('/', at + 1)) {
    const dir = path.slice(0, at);
    let ok = seen.get(dir);
    if (ok === undefined) {
      ok = lstatSync(join(workTree, dir), { throwIfNoEntry: false })?.isDirectory() ?? false;
      seen.set(dir, ok);
    }
    if (!ok) return false;
  }
  return true;
}

// The gitattributes files git would read besides the repository's own: the system file (of the git
// on PATH: <prefix>/etc, and /etc for a /usr install) and the user's.
function outsideAttributeFiles(config: GitConfig, env: NodeJS.ProcessEnv): string[] | null {
  if (config.has('core.attributesfile')) return null;
  const files = [env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'git', 'attributes') : join(env.HOME ?? homedir(), '.config', 'git', 'attributes')];
  if (env.GIT_ATTR_NOSYSTEM) return files;
  files.push('/etc/gitattributes');
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !existsSync(join(dir, 'git'))) continue;
    let real = dir;
    try {
      real = dirname(realpathSync(join(dir, 'git')));
    } catch {
      // an unreadable link: its folder as named
    }
    // <prefix>/bin/git and <prefix>/libexec/git-core/git both name <prefix>/etc.
    for (const d of new Set([dir, real])) files.push(join(dirname(d), 'etc', 'gitattributes'), join(dirname(dirname(d)), 'etc', 'gitattributes'));
    break;
  }
  return files;
}

// Whether git stores every file's bytes as they are (then a blob's id is the hash of the file):
// no gitattributes anywhere git reads them (in the index, info/, the user's, the system's) and no
// core.autocrlf. Anything else may convert, and git decides.
function storesBytesAsTheyAre(index: IndexFile, input: WorktreeMatchInput): boolean {
  const autocrlf = input.config.get('core.autocrlf');
  if (autocrlf !== undefined && !/^(false|no|off|0)$/i.test(autocrlf)) return false;
  if (index.entries.some((e) => e.path === '.gitattributes' || e.path.endsWith('/.gitattributes'))) return false;
  const outside = outsideAttributeFiles(input.config, input.env);
  if (!outside) return false;
  const { gitDir, commonDir } = input.repo;
  return ![...outside, join(gitDir, 'info', 'attributes'), join(commonDir, 'info', 'attributes')].some((f) => existsSync(f));
}

// Whether the racily clean entries (changed in the second the index was written, when git itself
// compares content) hold their blobs: each file hashed as git hashes a blob.
function racyContentMatches(racy: IndexEntry[], input: WorktreeMatchInput): boolean {
  const algo = input.repo.objectFormat === 'sha256' ? 'sha256' : 'sha1';
  let bytes = 0;
  for (const e of racy) {
    const file = join(input.workTree, e.path);
    const data = (e.mode & S_IFMT) === S_IFLNK ? readlinkSync(file, { encoding: 'buffer' }) : readFileSync(file);
    bytes += data.length;
    if (bytes > MAX_RACY_BYTES) return false;
    const oid = createHash(algo).update(`blob ${data.length}\0`).update(data).digest('hex');
    if (oid !== e.oid) return false;
  }
  return true;
}

// Proves, without a git process, that every tracked file of the work tree is what the index holds
// (what `git diff --quiet --ignore-submodules` and, for the tree written from that index,
// `git diff-index --quiet <tree>` answer): the index file still has its stamp, and each entry's file
// has the stat data git recorded — content compared, as git compares it, where that data can't tell
// (racily clean). false means "not proven", never "differs": the caller asks git. Submodules are
// skipped (--ignore-submodules); conflicts, assume-unchanged, skip-worktree, intent-to-add, split and
// sparse indexes, and Windows are left to git.
export function worktreeMatchesIndex(input: WorktreeMatchInput): boolean {
  if (process.platform === 'win32') return false;
  const { repo, indexFile, stamp, stampNow } = input;
  try {
    if (stampNow() !== stamp) return false;
    const indexMtime = statSync(indexFile, { bigint: true }).mtimeNs / NS;
    const index = readIndexFile(indexFile, repo.objectFormat === 'sha256' ? 32 : 20, MAX_ENTRIES);
    // Read whole and unchanged: git replaces an index by renaming a new file over it.
    if (!index || stampNow() !== stamp) return false;
    if (index.extensions.includes('link') || index.extensions.includes('sdir')) return false;
    const racy: IndexEntry[] = [];
    const folders = new Map<string, boolean>();
    for (const e of index.entries) {
      if (e.stage !== 0 || e.assumeValid || e.skipWorktree || e.intentToAdd) return false;
      if ((e.mode & S_IFMT) === S_IFGITLINK) continue;
      const st = lstatSync(join(input.workTree, e.path), { bigint: true, throwIfNoEntry: false });
      if (!st || !sameStat(e, st) || !realFolders(input.workTree, e.path, folders)) return false;
      // git's rule (whole seconds): a file changed in the index's own second may have changed again unseen.
      if (BigInt(e.mtimeSec) >= BigInt.asUintN(32, indexMtime)) racy.push(e);
    }
    return !racy.length || (storesBytesAsTheyAre(index, input) && racyContentMatches(racy, input));
  } catch {
    return false;
  }
}
