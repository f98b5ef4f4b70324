// The two hook managers the commit benchmark (bench/commit.mjs) measures beside guardloop and that this
// project doesn't depend on: lefthook (Go) and prek (Rust), both as their npm packages ship them (a JS
// wrapper plus the platform's native binary as an optional dependency). Each is installed once, at an
// exact version, into its own folder of ~/.cache/guardloop-bench (GUARDLOOP_BENCH_CACHE overrides the
// parent folder) with `npm install --ignore-scripts` (lefthook's postinstall would run `lefthook install`
// in whatever repository npm was started from); after that the bench runs offline. A repository is set up
// the way each tool's README says: its config file, node_modules, then its own `install` command, which
// writes .git/hooks/pre-commit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// What is installed: npm package, exact version, its bin, and how its version is asked.
export const PEERS = {
  lefthook: { pkg: 'lefthook', version: '2.2.1', bin: 'lefthook', versionArgs: ['version'] },
  prek: { pkg: '@j178/prek', version: '0.5.3', bin: 'prek', versionArgs: ['--version'] },
};

// A peer that couldn't be installed or doesn't run here: the bench prints why and goes on without it.
export class PeerUnavailable extends Error {}

// The folder one peer is installed into.
export function peerDir(name) {
  const { version } = PEERS[name];
  return join(process.env.GUARDLOOP_BENCH_CACHE || join(homedir(), '.cache', 'guardloop-bench'), `${name}-${version}`);
}

// npm's first error lines (code, the request that failed), without its stack and log path.
function npmSaid(res) {
  const lines = `${res.error?.message ?? ''}\n${res.stderr ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.filter((l) => !/^npm error\s*(at |\{|\}|[a-z]+: |syscall |errno |A complete log|$)/.test(l)).slice(0, 3).join(' / ');
}

// The peer's bin, installed on first use (npm, once) and checked to run and report its pinned version.
// Throws PeerUnavailable with the cause and the fix.
export function ensurePeer(name, { env, log }) {
  const peer = PEERS[name];
  const dir = peerDir(name);
  const bin = join(dir, 'node_modules', '.bin', peer.bin);
  const stamp = join(dir, 'installed.json');
  const want = JSON.stringify({ [peer.pkg]: peer.version });
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== want || !existsSync(bin)) {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `guardloop-bench-${name}`, private: true, devDependencies: { [peer.pkg]: peer.version } }, null, 2)}\n`);
    } catch (e) {
      throw new PeerUnavailable(`${dir} can't be written (${e.code ?? e.message}): set GUARDLOOP_BENCH_CACHE to a folder you can write, then run the bench again.`);
    }
    log(`installing ${peer.pkg}@${peer.version} (once) into ${dir}`);
    const res = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', '--fetch-retries=1', '--fetch-retry-mintimeout=2000', '--fetch-retry-maxtimeout=5000'], { cwd: dir, env, encoding: 'utf8', timeout: 300_000 });
    if (res.status !== 0 || !existsSync(bin)) {
      throw new PeerUnavailable(`${peer.pkg}@${peer.version} could not be installed (npm exited ${res.status ?? res.signal}${npmSaid(res) ? `: ${npmSaid(res)}` : ''}); it needs the npm registry once, then runs offline from ${dir}: check the network or \`npm config get registry\`, then run the bench again.`);
    }
    writeFileSync(stamp, want);
  }
  const v = spawnSync(bin, peer.versionArgs, { env, encoding: 'utf8' });
  if (v.status !== 0 || !v.stdout.includes(peer.version)) {
    throw new PeerUnavailable(`${bin} ${peer.versionArgs.join(' ')} did not report ${peer.version} (exit ${v.status ?? v.error?.code}: ${`${v.stdout}${v.stderr}`.trim().slice(0, 200)}); its native binary may be missing for this platform: remove ${dir} and run the bench again.`);
  }
  return { name, dir, bin, nodeModules: join(dir, 'node_modules'), version: peer.version };
}

// The configs that run the trivial check `true` as the one pre-commit command of each tool.
const CONFIGS = {
  lefthook: { file: 'lefthook.yml', text: 'pre-commit:\n  commands:\n    trivial:\n      run: "true"\n' },
  prek: {
    file: '.pre-commit-config.yaml',
    text: 'repos:\n  - repo: local\n    hooks:\n      - id: trivial\n        name: trivial\n        entry: "true"\n        language: system\n        pass_filenames: false\n',
  },
};

// Sets up `repo` (bench/commit.mjs's makeRepo) for the peer: its config, node_modules (a link into the
// cache, as an install leaves the packages), and `<tool> install`, which writes .git/hooks/pre-commit.
export function setupPeer(repo, peer, env) {
  const { file, text } = CONFIGS[peer.name];
  repo.write(file, text);
  repo.write('.gitignore', 'node_modules\n');
  symlinkSync(peer.nodeModules, join(repo.dir, 'node_modules'), 'dir');
  const res = spawnSync(join(repo.dir, 'node_modules', '.bin', PEERS[peer.name].bin), ['install'], { cwd: repo.dir, env, encoding: 'utf8' });
  const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
  if (res.status !== 0 || !existsSync(hook)) {
    throw new PeerUnavailable(`\`${peer.name} install\` did not write ${hook} (exit ${res.status}: ${`${res.stdout}${res.stderr}`.trim().slice(0, 300)})`);
  }
}

// What a peer's commit prints when its hook ran the trivial check (the bench's smoke commit looks for it).
export const RAN_TRIVIAL = {
  lefthook: /trivial/,
  prek: /trivial\.*\s*Passed/,
};
