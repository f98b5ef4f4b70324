import { spawn } from 'node:child_process';
import { GitError } from '../errors/git-error.js';
import { gitNotStarted } from '../messages/git.js';

export interface GitOptions {
  cwd: string;
  // Extra variables on top of the process environment (a value of undefined removes one).
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  // Exit codes that are answers rather than failures (e.g. 1 for `diff --quiet`).
  okCodes?: number[];
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

// Variables that make git behave the same whoever calls it: no pager, no prompts, no colour,
// and never an editor or a locale that changes its messages.
const STABLE_ENV = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
  GIT_OPTIONAL_LOCKS: '0',
  LC_ALL: 'C',
  LANGUAGE: 'C',
};

export function gitEnv(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...STABLE_ENV };
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

// The one way guardloop runs git: argv only (no shell), output as bytes, failures as GitError.
export function gitRaw(args: string[], opts: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    // No input: git's stdin is /dev/null (one pipe less to set up per process on the hook's path).
    const child = spawn('git', args, { cwd: opts.cwd, env: gitEnv(opts.env), stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new GitError(args, null, gitNotStarted(e.message))));
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 };
      if (code === 0 || (code !== null && opts.okCodes?.includes(code))) resolve(result);
      else reject(new GitError(args, code, result.stderr));
    });
    if (child.stdin) {
      child.stdin.on('error', () => {});
      child.stdin.end(opts.input);
    }
  });
}

// Runs git and returns stdout as text with the trailing newline removed.
export async function git(args: string[], opts: GitOptions): Promise<string> {
  const { stdout } = await gitRaw(args, opts);
  return stdout.toString('utf8').replace(/\n$/, '');
}

// Runs git and reports only whether it exited 0 (for questions such as `diff --quiet`).
export async function gitOk(args: string[], opts: GitOptions): Promise<boolean> {
  const { code } = await gitRaw(args, { ...opts, okCodes: [...(opts.okCodes ?? []), 1, 128] });
  return code === 0;
}

// The hash a repository names objects with (`extensions.objectformat`; sha1 when unset).
export type ObjectFormat = 'sha1' | 'sha256';

// The object id git gives the empty tree, per hash: a diff against "no commit yet" starts from it.
export const EMPTY_TREES: Readonly<Record<ObjectFormat, string>> = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};

// The empty tree of a repository's hash (a RepoInfo, or anything that tells its object format).
export function emptyTree(repo: { objectFormat?: ObjectFormat }): string {
  return EMPTY_TREES[repo.objectFormat ?? 'sha1'];
}

