// The throwaway repositories of the commit benchmark (bench/commit.mjs) and how each tool is installed
// in them: husky and lint-staged as this project's node_modules copies (husky's bin run to set
// core.hooksPath), guardloop from a snapshot of this package — installed the way a user does it,
// `guardloop init` (lean or husky mode, as init chooses) and, in lean mode, `guardloop install` as a fresh
// clone's prepare script runs it — plus the prepare scripts hyperfine runs before every timed commit.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NM = join(PROJECT, 'node_modules');

// A command that must succeed: its result, or an Error with its output.
export function sh(cmd, args, opts) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status ?? res.signal}): ${res.stderr}${res.stdout}`);
  return res;
}

// A new repository under `root`: git set up as a person's (no gc, no signing), with helpers.
export function makeRepo(root, name, env) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const git = (...args) => sh('git', args, { cwd: dir, env }).stdout.trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench User');
  git('config', 'user.email', 'bench@example.com');
  git('config', 'gc.auto', '0');
  git('config', 'commit.gpgsign', 'false');
  const write = (path, content) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  return { dir, name, git, write };
}

// The first commit (file.txt and whatever the setup wrote), made without hooks.
export function seed(repo) {
  repo.write('file.txt', 'initial\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'initial');
}

// How many records ℛ holds in `dir`.
export function notesCount(dir, env) {
  const res = spawnSync('git', ['notes', '--ref=guardloop', 'list'], { cwd: dir, env, encoding: 'utf8' });
  return res.status === 0 ? res.stdout.split('\n').filter(Boolean).length : 0;
}

// A copy of the package as npm would install it (its `files` and package.json), taken once: other
// engineers rebuild dist/ while the bench runs, and a hook must not see it half-written.
export function snapshotPackage(work) {
  const dest = join(work, 'guardloop-pkg');
  const { files = [] } = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8'));
  for (const f of ['package.json', ...files]) if (existsSync(join(PROJECT, f))) cpSync(join(PROJECT, f), join(dest, f), { recursive: true });
  return { dir: dest, cli: join(dest, 'dist', 'cli.cjs') };
}

const targets = (glPkg) => ({ guardloop: glPkg?.dir, husky: join(NM, 'husky'), 'lint-staged': join(NM, 'lint-staged') });
const bins = (glPkg) => ({ guardloop: glPkg?.cli, 'lint-staged': join(NM, 'lint-staged', 'bin', 'lint-staged.js') });

// node_modules/<name> linked to the package snapshot or this project's copy, its bin in node_modules/.bin.
function linkPackages(repo, names, glPkg) {
  mkdirSync(join(repo.dir, 'node_modules', '.bin'), { recursive: true });
  for (const name of names) {
    symlinkSync(targets(glPkg)[name], join(repo.dir, 'node_modules', name), 'dir');
    if (bins(glPkg)[name]) symlinkSync(bins(glPkg)[name], join(repo.dir, 'node_modules', '.bin', name));
  }
  repo.write('.gitignore', 'node_modules/\nnode_modules\n');
}

// husky with `hook` as .husky/pre-commit (and `packages` beside it): package.json, node_modules, husky's bin.
export function installHusky(repo, env, { hook, pkg = {}, packages = [], glPkg }) {
  repo.write('package.json', JSON.stringify({ name: `bench-${repo.name}`, private: true, ...pkg }, null, 2));
  linkPackages(repo, ['husky', ...packages], glPkg);
  sh(process.execPath, [join(NM, 'husky', 'bin.js')], { cwd: repo.dir, env });
  repo.write('.husky/pre-commit', `${hook}\n`);
}

export const GUARD_CONFIG = `guards:
  - id: trivial
    run: "true"
    invariant: "In this codebase, a commit that fails the trivial check must never happen, because it causes a broken build."
`;

// guardloop as a user installs it: package.json (with husky as a devDependency in husky mode, which is
// how init tells a husky project), node_modules, the trivial guard, `guardloop init [--agent …]`; in lean
// mode core.hooksPath is then unset and set again by `guardloop install` (a fresh clone's prepare script).
// Returns what init and install printed; throws when the hooks aren't where the mode puts them.
export function installGuardloop(repo, env, { mode, glPkg, agents = [] }) {
  const husky = mode === 'husky';
  repo.write('package.json', JSON.stringify({ name: `bench-${repo.name}`, private: true, ...(husky ? { devDependencies: { husky: '^9.1.7' } } : {}) }, null, 2));
  linkPackages(repo, husky ? ['husky', 'guardloop'] : ['guardloop'], glPkg);
  repo.write('.loop/config.yaml', GUARD_CONFIG);
  const cli = (...args) => sh(process.execPath, [glPkg.cli, ...args], { cwd: repo.dir, env }).stdout;
  const init = cli('init', ...(agents.length ? ['--agent', agents.join(',')] : []));
  const hooksPath = () => spawnSync('git', ['config', '--get', 'core.hooksPath'], { cwd: repo.dir, env, encoding: 'utf8' }).stdout.trim();
  let install = '';
  if (husky) {
    if (hooksPath() !== '.husky/_') throw new Error(`guardloop init chose no husky mode in ${repo.dir} (core.hooksPath ${hooksPath() || 'unset'}):\n${init}`);
  } else {
    repo.git('config', '--unset', 'core.hooksPath');
    install = cli('install');
    if (hooksPath() !== '.loop/hooks') throw new Error(`guardloop install left core.hooksPath ${hooksPath() || 'unset'} in ${repo.dir}:\n${init}\n${install}`);
  }
  const hook = join(repo.dir, husky ? '.husky' : '.loop/hooks', 'pre-commit');
  if (!/run --hook pre-commit/.test(readFileSync(hook, 'utf8'))) throw new Error(`${hook} does not run guardloop`);
  return { init: init.split('\n').find((l) => l.startsWith('Hook mode:')) ?? '', install: install.trim() };
}

// A prepare script: run with the repository as $1, after `stamp` is set to something new each time.
export function writePrepare(root, name, body) {
  const file = join(root, `prepare-${name}.sh`);
  writeFileSync(file, `#!/bin/sh\nset -e\ncd "$1"\nstamp="$(date +%s%N)-$$"\n${body}\n`);
  return file;
}

// Stages new content in file.txt (so every timed commit is real and of a new tree).
export const STAGE_ONE = 'echo "change $stamp" > file.txt\ngit add file.txt';
// The same, then the staged tree's ACCEPTED record written by guardloop itself (the commit then hits the cache).
export const stageAndRecord = (cli) => `${STAGE_ONE}\n"${process.execPath}" "${cli}" run --hook pre-commit >/dev/null 2>&1`;
