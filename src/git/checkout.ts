import { spawn } from 'node:child_process';
import { constants, existsSync, readdirSync } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { git, gitRaw } from './git.js';
import { processAlive, startToken } from './process-alive.js';
import type { RepoInfo } from './repo.js';

// A private copy of the candidate outside the work tree: guards run here when the work tree
// holds unstaged changes, so the user's files, index and untracked work are never moved.
export interface TempCheckout {
  dir: string;
  indexFile: string;
  remove(): Promise<void>;
}

// core.* settings a temporary checkout copies from the repository (they change what `git diff` and
// `git status` report inside it).
const WORKTREE_SETTINGS = '^core\\.(autocrlf|eol|safecrlf|symlinks|ignorecase|filemode|precomposeunicode|checkstat|trustctime)$';

// A private git dir for the checkout: HEAD at the base commit, the candidate as its index, objects
// borrowed from the repository (alternates, read-only). `git` run by a guard inside the checkout
// finds it through the checkout's `.git` file, sees the candidate (`git diff --cached` = the staged
// change), and can't reach the user's refs, index or config.
async function privateGitDir(base: string, repo: RepoInfo, dir: string, head: string | null): Promise<string> {
  const gitDir = join(base, 'git');
  await mkdir(join(gitDir, 'objects', 'info'), { recursive: true });
  await mkdir(join(gitDir, 'refs', 'heads'), { recursive: true });
  await mkdir(join(gitDir, 'refs', 'tags'), { recursive: true });
  await writeFile(join(gitDir, 'objects', 'info', 'alternates'), `${repo.objectsDir}\n`);
  await writeFile(join(gitDir, 'HEAD'), head ? `${head}\n` : 'ref: refs/heads/main\n');
  // The settings that decide how files look in a work tree (line endings, links, case) are the repository's.
  const inherited = (await gitRaw(['config', '--get-regexp', WORKTREE_SETTINGS], { cwd: repo.root, okCodes: [1] })).stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => /^core\.\w+ \S+$/.test(l))
    .map((l) => `\t${l.slice(5).replace(' ', ' = ')}\n`)
    .join('');
  await writeFile(
    join(gitDir, 'config'),
    `[core]\n\trepositoryformatversion = ${repo.objectFormat === 'sha256' ? '1' : '0'}\n\tbare = false\n${inherited.includes('\tfilemode') ? '' : '\tfilemode = true\n'}${inherited}${repo.objectFormat === 'sha256' ? '[extensions]\n\tobjectformat = sha256\n' : ''}`,
  );
  await writeFile(join(dir, '.git'), `gitdir: ${gitDir}\n`);
  return gitDir;
}

// Where temporary checkouts of this user live, best first: GUARDLOOP_TMPDIR, then memory (/dev/shm:
// writing 5,000 files there took 0.08 s against 1.5–4 s on this disk), then the system temp dir.
// Leftovers of killed runs are swept from all of them by owner.
export function checkoutRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  const bases = [env.GUARDLOOP_TMPDIR, process.platform === 'linux' && existsSync('/dev/shm') ? '/dev/shm' : undefined, tmpdir()];
  // Absolute: git is handed the checkout from inside it, and its detached `rm -rf` runs from beside it.
  return [...new Set(bases.filter((b): b is string => Boolean(b)).map((b) => resolve(b)))].map((b) => join(b, `guardloop-${uid}`));
}

// Deletes a checkout without making the run wait for it (50,000 files take `rm -rf` about 0.4 s of
// system time): its `owner` file goes first, so the checkout is no run's any more, then a detached
// `rm -rf` (about five times faster than Node's recursive rm on many files) removes the rest, also
// after guardloop has exited. `<checkout>.rm` beside it names that process, so no sweep starts a second
// removal while it works; a removal that died is finished by the next sweep.
function removeTree(path: string): Promise<void> {
  const fallback = () => rm(path, { recursive: true, force: true }).catch(() => undefined);
  return rm(join(path, 'owner'), { force: true })
    .catch(() => undefined)
    .then(
      () =>
        new Promise<void>((done) => {
          const child = spawn('rm', ['-rf', '--', path], { stdio: 'ignore', detached: true, cwd: dirname(path) });
          child.on('error', () => fallback().then(done));
          child.on('spawn', () => {
            const pid = child.pid!;
            writeFile(`${path}.rm`, `${pid}\n${startToken(pid) ?? ''}\n`).then(done, done);
            child.unref();
          });
        }),
    );
}

// Removes checkouts whose owning process is gone (a run killed with SIGKILL leaves one behind).
export async function sweepStaleCheckouts(): Promise<void> {
  await Promise.all(checkoutRoots().map(sweepRoot));
}

// The process removing a checkout (from its `.rm` file), if it still runs.
async function removerAlive(marker: string): Promise<boolean> {
  const lines = await readFile(marker, 'utf8').then((t) => t.split('\n'), () => null);
  return lines !== null && processAlive(Number(lines[0]), lines[1] || undefined);
}

async function sweepRoot(root: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return;
  }
  const present = new Set(names);
  await Promise.all(
    names.map(async (name) => {
      const m = /^(\d+)-/.exec(name);
      if (!m) return;
      const path = join(root, name);
      if (name.endsWith('.rm')) {
        // A removal's marker outlives it: it goes once its checkout is gone.
        if (!present.has(name.slice(0, -3))) await rm(path, { force: true });
        return;
      }
      if (present.has(`${name}.rm`) && (await removerAlive(`${path}.rm`))) return;
      const token = await readFile(join(path, 'owner'), 'utf8').then((t) => t.split('\n')[2], () => undefined);
      if (!processAlive(Number(m[1]), token)) await removeTree(path);
    }),
  );
}

// Expands `link` entries (plain paths or globs such as packages/*/node_modules) against the work tree.
async function linkTargets(root: string, patterns: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    if (!/[*?[{]/.test(pattern)) {
      if (existsSync(join(root, pattern))) found.add(pattern);
      continue;
    }
    const isMatch = (await import('picomatch')).default(pattern, { dot: true });
    const walk = (rel: string, depth: number) => {
      if (depth > 4) return;
      let entries;
      try {
        entries = readdirSync(join(root, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (!e.isDirectory() || e.name === '.git') continue;
        const path = rel ? `${rel}/${e.name}` : e.name;
        if (isMatch(path)) found.add(path);
        else if (e.name !== 'node_modules') walk(path, depth + 1);
      }
    };
    walk('', 0);
  }
  return [...found];
}

// Writes `tree` into a fresh directory with its own index, and links dependency folders into it;
// tries the next place when one is full or unwritable. The checkout's HEAD is `head` (by default the
// repository's HEAD; a verified commit's first parent, so `git diff --cached` there is that commit's change).
export async function createTempCheckout(repo: RepoInfo, tree: string, link: string[], head: string | null = repo.head): Promise<TempCheckout> {
  const roots = checkoutRoots();
  for (let i = 0; ; i++) {
    try {
      if (i < roots.length - 1 && !(await runsPrograms(roots[i]))) continue;
      return await checkoutIn(roots[i], repo, { tree, link, head });
    } catch (e) {
      if (i === roots.length - 1) throw e;
    }
  }
}

// Whether a program in `root` can run: a guard runs the candidate's own scripts there, and a file
// system mounted `noexec` refuses them (Docker's /dev/shm is, and hardening guides ask for it). The
// kernel answers access(X_OK) with EACCES for any file on such a mount, even for root. The probe file
// stays (no sweep touches a name without a pid), so a run asks once and writes nothing.
async function runsPrograms(root: string): Promise<boolean> {
  const probe = join(root, 'exec-probe');
  try {
    await mkdir(root, { recursive: true, mode: 0o700 });
    await writeFile(probe, '#!/bin/sh\n', { mode: 0o700, flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await access(probe, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function checkoutIn(root: string, repo: RepoInfo, { tree, link, head }: { tree: string; link: string[]; head: string | null }): Promise<TempCheckout> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const base = await mkdtemp(join(root, `${process.pid}-`));
  const dir = join(base, 'tree');
  await mkdir(dir);
  const indexFile = join(await privateGitDir(base, repo, dir, head), 'index');
  await writeFile(join(base, 'owner'), `${process.pid}\n${repo.root}\n${startToken(process.pid) ?? ''}\n`);
  const remove = () => removeTree(base);
  try {
    // One process reads the tree into the fresh index and writes every file, with git's parallel
    // checkout (a worker per core; git before 2.32 ignores the setting). All of the candidate, whatever
    // sparse checkout or submodule.recurse say, as `read-tree` + `checkout-index -a` wrote it.
    await git([`--git-dir=${repo.gitDir}`, `--work-tree=${dir}`, '-c', 'checkout.workers=0', 'read-tree', '--reset', '-u', '--no-sparse-checkout', '--no-recurse-submodules', tree], {
      cwd: dir,
      env: { GIT_INDEX_FILE: indexFile },
    });
    for (const rel of await linkTargets(repo.root, link)) {
      const target = join(dir, rel);
      if (existsSync(target)) continue;
      await mkdir(dirname(target), { recursive: true });
      await symlink(join(repo.root, rel), target, 'dir');
    }
  } catch (e) {
    await remove();
    throw e;
  }
  return { dir, indexFile, remove };
}
