// The real project of the session benchmark (bench/session.mjs): MiniSearch 7.2.0, a full-text search
// engine in TypeScript (src/*.ts, ~2,900 lines) whose npm tarball ships its sources and its jest test
// suite (src/**/*.test.js, 165 tests run through ts-jest). Fetched from the npm registry with npm once,
// its integrity checked against the sha512 pinned here, and kept with the tools its two guards need
// (installed once, exact versions within the project's own devDependencies ranges) in
// ~/.cache/guardloop-bench/minisearch-7.2.0 (GUARDLOOP_BENCH_CACHE overrides the parent folder); after
// that the bench runs offline.
//
// What the tarball lacks and the bench writes: tsconfig.json (the project's own settings, which its
// repository has but its tarball doesn't ship), .gitignore, and node_modules (a link per package).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const NAME = 'minisearch';
export const VERSION = '7.2.0';
// The registry's dist.integrity of minisearch-7.2.0.tgz.
const INTEGRITY = 'sha512-dqT2XBYUOZOiC5t2HRnwADjhNS2cecp9u+TJRiJ1Qp/f5qjkeT5APcGPjHw+bz89Ms8Jp+cG4AlE+QZ/QnDglg==';
// What the guards run: tsc, jest with ts-jest (the project's jest config in package.json), and
// fast-check (SearchableMap.test.js imports it). The project's ranges: ^5.2.2, ^29.3.1, ^29.0.3, ^3.0.0.
// Its other devDependencies (eslint, rollup, typedoc, …) build and lint; no guard here runs them.
const TOOLS = { typescript: '5.9.3', jest: '29.7.0', 'ts-jest': '29.4.15', 'fast-check': '3.23.2' };

// The settings of the project's own tsconfig.json (its repository's; the tarball has none): ts-jest
// reads it too (allowJs: the tests are .js files with ES imports).
const TSCONFIG = {
  compilerOptions: {
    target: 'es2015',
    module: 'ESNext',
    allowJs: true,
    checkJs: false,
    sourceMap: true,
    downlevelIteration: true,
    strict: true,
    moduleResolution: 'node',
    esModuleInterop: true,
    skipLibCheck: true,
    forceConsistentCasingInFileNames: true,
  },
  include: ['./src/**/*.ts', './src/**/*.js'],
  exclude: ['node_modules', './src/**/*.test.ts', './src/**/*.test.js', './src/testSetup/**/*'],
};

// A failure to obtain the project: the bench prints its message and skips the session benchmark.
export class ProjectUnavailable extends Error {}

export function cacheDir() {
  return join(process.env.GUARDLOOP_BENCH_CACHE || join(homedir(), '.cache', 'guardloop-bench'), `${NAME}-${VERSION}`);
}

const integrityOf = (file) => `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;

function npm(args, cwd, env) {
  return spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 600_000 });
}

function unavailable(what, res) {
  // npm's first error lines name the cause (code, and the request that failed); its stack and log path don't.
  const lines = `${res.error?.message ?? ''}\n${res.stderr ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const said = lines.filter((l) => !/^npm error\s*(at |\{|\}|[a-z]+: |syscall |errno |A complete log|$)/.test(l)).slice(0, 3).join('\n    ');
  return new ProjectUnavailable(
    `could not ${what} (npm exited ${res.status ?? res.signal}${said ? `:\n    ${said}` : ''}).\n` +
      `  The session benchmark needs the npm registry once; after that it runs offline from ${cacheDir()}.\n` +
      '  Check the network or the npm config (`npm config get registry`), then run `npm run bench` again.',
  );
}

// The project's folder (the tarball's package/) and its tools' node_modules, fetched and installed on
// first use. `log` tells what is being downloaded. Throws ProjectUnavailable when npm can't get them.
export function ensureProject({ env, log }) {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const tgz = join(dir, `${NAME}-${VERSION}.tgz`);
  const pkg = join(dir, 'package');
  if (!existsSync(join(pkg, 'package.json'))) {
    if (!existsSync(tgz) || integrityOf(tgz) !== INTEGRITY) {
      log(`downloading ${NAME}@${VERSION} from the npm registry (once) into ${dir}`);
      rmSync(tgz, { force: true });
      const res = npm(['pack', `${NAME}@${VERSION}`, '--pack-destination', dir, '--loglevel=error'], dir, env);
      if (res.status !== 0 || !existsSync(tgz)) throw unavailable(`download ${NAME}@${VERSION}`, res);
    }
    const got = integrityOf(tgz);
    if (got !== INTEGRITY) {
      rmSync(tgz, { force: true });
      throw new ProjectUnavailable(`${NAME}-${VERSION}.tgz has integrity ${got}, not the pinned ${INTEGRITY}: removed; run the bench again to download it anew.`);
    }
    const tmp = join(dir, 'extracting');
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    const tar = spawnSync('tar', ['-xzf', tgz, '-C', tmp], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`tar -xzf ${tgz} failed: ${tar.stderr}`);
    renameSync(join(tmp, 'package'), pkg);
    rmSync(tmp, { recursive: true, force: true });
  }
  const deps = join(dir, 'tools');
  const stamp = join(deps, 'installed.json');
  const want = JSON.stringify(TOOLS);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== want || !existsSync(join(deps, 'node_modules', '.bin', 'jest'))) {
    mkdirSync(deps, { recursive: true });
    writeFileSync(join(deps, 'package.json'), `${JSON.stringify({ name: 'guardloop-bench-tools', private: true, devDependencies: TOOLS }, null, 2)}\n`);
    const lock = existsSync(join(deps, 'package-lock.json'));
    log(`installing ${Object.entries(TOOLS).map(([n, v]) => `${n}@${v}`).join(', ')} (once) into ${deps}`);
    const res = npm([lock ? 'ci' : 'install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], deps, env);
    if (res.status !== 0) throw unavailable(`install ${NAME}'s test tools`, res);
    writeFileSync(stamp, want);
  }
  return { pkg, nodeModules: join(deps, 'node_modules') };
}

// node_modules in `repo` as an install leaves it, each package a link into the cache (so a guard's
// `npx --no -- tsc` finds it), plus guardloop when `guardloop` (its package folder) is given.
function linkNodeModules(repo, nodeModules, guardloop) {
  const nm = join(repo, 'node_modules');
  mkdirSync(join(nm, '.bin'), { recursive: true });
  for (const name of readdirSync(nodeModules)) {
    if (name === '.bin' || name.startsWith('.package-lock')) continue;
    symlinkSync(join(nodeModules, name), join(nm, name));
  }
  for (const bin of readdirSync(join(nodeModules, '.bin'))) symlinkSync(join(nodeModules, '.bin', bin), join(nm, '.bin', bin));
  if (guardloop) {
    symlinkSync(guardloop, join(nm, 'guardloop'));
    symlinkSync(join(guardloop, 'dist', 'cli.cjs'), join(nm, '.bin', 'guardloop'));
  }
}

// A working copy of the project in `repo` (new), ready for `git init`: the tarball's files, the
// project's tsconfig.json, a .gitignore and node_modules.
export function projectCopy(project, repo, guardloop) {
  mkdirSync(dirname(repo), { recursive: true });
  cpSync(project.pkg, repo, { recursive: true });
  writeFileSync(join(repo, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\ncoverage/\n');
  linkNodeModules(repo, project.nodeModules, guardloop);
}
