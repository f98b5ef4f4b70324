import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(PROJECT, 'dist', 'cli.cjs');

// The environment tests give git and the CLI: the caller's, minus anything that would point
// git at another repository or make the run look like an agent's (tests may run inside a hook).
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(GIT_|GUARDLOOP|HUSKY|CLAUDE|CODEX|CURSOR|GEMINI|COPILOT|QWEN)/.test(k) && k !== 'GIT_SSL_CAINFO') continue;
    env[k] = v;
  }
  env.GIT_CONFIG_NOSYSTEM = '1';
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// Runs a command to completion and captures its output (never throws on a non-zero exit).
export function exec(file: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<Spawned> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env ?? cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    // A command that exits without reading its stdin closes the pipe first (EPIPE is not a failure).
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

export interface TestRepo {
  dir: string;
  // Runs git synchronously and returns trimmed stdout; throws with stderr on failure.
  git(...args: string[]): string;
  write(path: string, content: string): void;
  read(path: string): string;
  // Spawns the built CLI in the repository.
  cli(args: string[], opts?: { env?: Record<string, string | undefined>; input?: string }): Promise<Spawned>;
  // `git commit` through the installed hook.
  commit(message: string, args?: string[], env?: Record<string, string | undefined>): Promise<Spawned>;
  // Makes `guardloop` and `husky` resolvable as if installed with npm, and a package.json.
  installPackage(pkg?: Record<string, unknown>): void;
  // installPackage + husky's hooks + a pre-commit hook calling guardloop.
  installHook(): void;
  // Writes .loop/config.yaml.
  config(yaml: string): void;
}

// `git init -b main` in the object format asked for, with an identity, no auto gc and no signing.
function initRepo(git: (...args: string[]) => string, objectFormat: 'sha1' | 'sha256' = 'sha1'): void {
  git('init', '-q', `--object-format=${objectFormat}`, '-b', 'main');
  git('config', 'user.name', 'Test User');
  git('config', 'user.email', 'test@example.com');
  git('config', 'gc.auto', '0');
  git('config', 'commit.gpgsign', 'false');
}

// Makes a test repository over again as a SHA-256 one (git's default from 3.0 on), set up the same way.
export function reinitAsSha256(repo: TestRepo): void {
  rmSync(join(repo.dir, '.git'), { recursive: true, force: true });
  initRepo(repo.git, 'sha256');
}

// Creates a throwaway repository (`git init -b main`, an identity, no auto gc), runs the test in
// it, and removes it afterwards.
export async function withGitRepo<T>(fn: (repo: TestRepo) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-test-'));
  const env = cleanEnv();
  const gitSync = (...args: string[]) => {
    const res = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr}`);
    return res.stdout.trim();
  };
  initRepo(gitSync);
  const repo: TestRepo = {
    dir,
    git: gitSync,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    cli: (args, opts = {}) => exec(process.execPath, [CLI, ...args], { cwd: dir, env: cleanEnv(opts.env), input: opts.input }),
    commit: (message, args = [], extra = {}) => exec('git', ['commit', '-m', message, ...args], { cwd: dir, env: cleanEnv(extra) }),
    installPackage(pkg = {}) {
      if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', private: true, ...pkg }, null, 2));
      mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
      for (const [name, target] of [
        ['guardloop', PROJECT],
        ['husky', join(PROJECT, 'node_modules', 'husky')],
      ]) {
        if (!existsSync(join(dir, 'node_modules', name))) symlinkSync(target, join(dir, 'node_modules', name), 'dir');
      }
      if (!existsSync(join(dir, 'node_modules', '.bin', 'guardloop'))) symlinkSync(CLI, join(dir, 'node_modules', '.bin', 'guardloop'));
      writeFileSync(join(dir, '.gitignore'), 'node_modules/\nnode_modules\n');
    },
    installHook() {
      repo.installPackage();
      const res = spawnSync(process.execPath, [join(PROJECT, 'node_modules', 'husky', 'bin.js')], { cwd: dir, env, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`husky failed: ${res.stderr}`);
      repo.write('.husky/pre-commit', 'guardloop run --hook pre-commit\n');
    },
    config(yaml) {
      repo.write('.loop/config.yaml', yaml);
    },
  };
  try {
    return await fn(repo);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Notes of guardloop's ref on an object, as plain git shows them (the interoperability contract).
export function notesOf(repo: TestRepo, rev: string): Array<Record<string, unknown>> {
  const res = spawnSync('git', ['notes', '--ref=guardloop', 'show', rev], { cwd: repo.dir, env: cleanEnv(), encoding: 'utf8' });
  if (res.status !== 0) return [];
  return res.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

// A guard definition in YAML with a valid invariant, for test configs.
export function guardYaml(id: string, run: string, extra = ''): string {
  return `  - id: ${id}\n    run: ${JSON.stringify(run)}\n    invariant: "In this codebase, ${id} must never fail, because it causes broken builds."\n${extra}`;
}
