import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GitError } from '../errors/git-error.js';
import { gitEnv } from './git.js';
import type { RefStorage } from './repo.js';
import { RefFile, type RefUpdate } from './ref-lock.js';

function runGit(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8' });
  return { status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? String(res.error ?? '') };
}

// A ref in a backend guardloop doesn't read or write itself (reftable, and whatever comes after):
// read with `git rev-parse`, swapped with `git update-ref <ref> <new> <old>`, git's own
// compare-and-swap, which also writes the reflog as the repository's settings say. guardloop's
// writers still exclude each other with a lock file of their own (under .git/guardloop/locks: the
// backend's lock is git's business), so the holder protocol — dead-holder takeover, `doctor
// --unlock` — is the same as with the files backend. Synchronous, because a tip is read where no
// await fits; it runs only in such repositories.
export class NativeRef extends RefFile {
  constructor(
    commonDir: string,
    name: string,
    private readonly cwd: string,
    private readonly hexLen: number,
  ) {
    super(commonDir, name, join(commonDir, 'guardloop', 'locks', `${name}.lock`));
  }

  override read(): string | null {
    const res = runGit(this.cwd, ['rev-parse', '--verify', '-q', '--end-of-options', this.name]);
    if (res.status === 1) return null;
    const oid = res.stdout.trim();
    if (res.status !== 0 || !/^[0-9a-f]{40,64}$/.test(oid)) throw new GitError(['rev-parse', '--verify', '-q', this.name], res.status, res.stderr);
    return oid;
  }

  override async swap(next: string, expected: string | null, update: RefUpdate): Promise<boolean> {
    const args = ['update-ref', '-m', update.message, '--end-of-options', this.name, next, expected ?? '0'.repeat(this.hexLen)];
    const res = runGit(this.cwd, args);
    if (res.status === 0) return true;
    // Refused because the ref no longer names `expected` (a writer that ignores our lock): rebuild on it.
    if (this.read() !== expected) return false;
    throw new GitError(args, res.status, res.stderr);
  }
}

// The ref object for `name` in a repository with this ref backend: in-process for files, git's otherwise.
export function openRef(commonDir: string, name: string, storage: RefStorage, cwd: string, hexLen: number): RefFile {
  return storage === 'files' ? new RefFile(commonDir, name) : new NativeRef(commonDir, name, cwd, hexLen);
}
