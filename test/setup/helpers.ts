import { chmodSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, exec, guardYaml, type Spawned, type TestRepo } from '../helpers/git-repo.js';

// A project after `npm install -D guardloop` and `guardloop init` (lean mode), with one guard that
// fails when a file named BAD is committed, all of it committed.
export async function leanRepo(repo: TestRepo): Promise<void> {
  repo.installPackage();
  repo.config(`guards:\n${guardYaml('no-bad', '! test -e BAD')}`);
  const init = await repo.cli(['init']);
  if (init.code !== 0) throw new Error(`guardloop init failed:\n${init.stdout}\n${init.stderr}`);
  repo.git('add', '-A');
  repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'init');
}

// Removes the guardloop binary that installPackage linked (as if node_modules were never installed).
export function removeBinary(dir: string): void {
  unlinkSync(join(dir, 'node_modules', '.bin', 'guardloop'));
}

// Puts a stand-in guardloop binary in `dir`'s node_modules/.bin: a shell script that writes its
// arguments and its stdin to `mark` (proof that a hook started it, and with what).
export function fakeBinary(dir: string, mark: string): void {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  const file = join(dir, 'node_modules', '.bin', 'guardloop');
  rmSync(file, { force: true });
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$*" > '${mark}'\ncat >> '${mark}'\n`);
  chmodSync(file, 0o755);
}

// A linked worktree of the repository on a new branch, in its own temp folder; `done()` removes it.
export function addWorktree(repo: TestRepo, branch = 'wt'): { dir: string; done(): void } {
  const parent = mkdtempSync(join(tmpdir(), 'guardloop-wt-'));
  const dir = join(parent, 'wt');
  repo.git('worktree', 'add', '-q', '-b', branch, dir);
  return { dir, done: () => rmSync(parent, { recursive: true, force: true }) };
}

// `git <args>` in a folder, with the tests' clean environment plus `env`.
export function gitIn(dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<Spawned> {
  return exec('git', args, { cwd: dir, env: cleanEnv(env) });
}
