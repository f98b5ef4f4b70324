// Commit benchmark: what one real `git commit` of one staged file costs under no hook, husky alone,
// husky + lint-staged 16 (the peer), and husky + guardloop (cache miss, cache hit, and the temporary
// checkout of a partially staged file in a 5,000-file repository), measured side by side in one run.
//
// Over 300 lines on purpose: the setups, the hyperfine runs and the report are one measurement that
// must stay side by side (a split would let the peer and guardloop drift into different runs).
//
// Every setup lives in its own throwaway repository and is "installed" the way test/helpers/git-repo.ts
// installs guardloop (node_modules symlinks into this project, husky's bin run to set core.hooksPath).
// Each timed commit is real: hyperfine's --prepare stages new content before every run.
// Usage: node bench/commit.mjs [runs=18]   (or import { benchCommits } from './commit.mjs')
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(PROJECT, 'dist', 'cli.cjs');
const NM = join(PROJECT, 'node_modules');

// The environment of everything measured: the caller's minus NODE_EXTRA_CA_CERTS (it adds ~30 ms to
// every Node start), minus what would point git elsewhere or make the run look like an agent's, and
// minus what `npm run` adds (npm_* variables, node_modules/.bin on PATH), so commits run as from a shell.
export function benchEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'NODE_EXTRA_CA_CERTS') continue;
    if (/^(GIT_|GUARDLOOP|HUSKY|CLAUDE|CODEX|CURSOR|GEMINI|COPILOT|npm_|INIT_CWD$|NODE$)/i.test(k) && k !== 'GIT_SSL_CAINFO') continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((p) => p && !/node_modules[\\/]\.bin$/.test(p) && !/node-gyp-bin$/.test(p))
    .join(':');
  env.GIT_CONFIG_NOSYSTEM = '1';
  return env;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function sh(cmd, args, opts) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}${res.stdout}`);
  return res;
}

// BENCH_NO_HYPERFINE=1 forces the fallback timer (to test it).
export function hasHyperfine() {
  if (process.env.BENCH_NO_HYPERFINE === '1') return false;
  return spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).status === 0;
}

// ---------------------------------------------------------------------------------------------
// Repositories

function makeRepo(root, name, env) {
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

// A copy of the package as npm would install it (its `files` and package.json), taken once: other
// engineers rebuild dist/ while the bench runs, and a hook must not see it half-written.
function snapshotPackage(work) {
  const dest = join(work, 'guardloop-pkg');
  const { files = [] } = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8'));
  for (const f of ['package.json', ...files]) if (existsSync(join(PROJECT, f))) cpSync(join(PROJECT, f), join(dest, f), { recursive: true });
  return { dir: dest, cli: join(dest, 'dist', 'cli.cjs') };
}

// package.json, node_modules/{guardloop,husky,lint-staged} symlinked to the package snapshot and this
// project's copies, their bins in node_modules/.bin, husky's hooks installed and .husky/pre-commit written.
function install(repo, env, { hook, pkg = {}, packages = [], glPkg }) {
  const { dir } = repo;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `bench-${repo.name}`, private: true, ...pkg }, null, 2));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  const targets = { guardloop: glPkg?.dir, husky: join(NM, 'husky'), 'lint-staged': join(NM, 'lint-staged') };
  const bins = { guardloop: glPkg?.cli, 'lint-staged': join(NM, 'lint-staged', 'bin', 'lint-staged.js') };
  for (const name of ['husky', ...packages]) {
    symlinkSync(targets[name], join(dir, 'node_modules', name), 'dir');
    if (bins[name]) symlinkSync(bins[name], join(dir, 'node_modules', '.bin', name));
  }
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\nnode_modules\n');
  sh(process.execPath, [join(NM, 'husky', 'bin.js')], { cwd: dir, env });
  repo.write('.husky/pre-commit', `${hook}\n`);
}

const GUARD_CONFIG = `guards:
  - id: trivial
    run: "true"
    invariant: "In this codebase, a commit that fails the trivial check must never happen, because it causes a broken build."
`;

// A prepare script: stages new content in file.txt (so every timed commit is real and a new tree).
function writePrepare(root, name, body) {
  const file = join(root, `prepare-${name}.sh`);
  writeFileSync(file, `#!/bin/sh\nset -e\ncd "$1"\nstamp="$(date +%s%N)-$$"\n${body}\n`);
  return file;
}

const STAGE_ONE = 'echo "change $stamp" > file.txt\ngit add file.txt';

// ---------------------------------------------------------------------------------------------
// Timing

function stats(times) {
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const stddev = Math.sqrt(times.reduce((a, t) => a + (t - mean) ** 2, 0) / Math.max(1, times.length - 1));
  return { median: median(times), mean, stddev, min: Math.min(...times), max: Math.max(...times), runs: times.length };
}

// Runs hyperfine over the given benchmarks (each: name, cmd argv, prepare script + repo dir) and
// returns { name -> { median, mean, stddev, min, max, runs } } in ms. The runs are split into
// `rounds` hyperfine invocations (warm-ups in the first, one in each later round) whose times are
// pooled: on a shared machine, load that comes and goes then falls on every row alike.
function measure(benches, { runs, warmup, rounds, env, work, cwd, label }) {
  const times = Object.fromEntries(benches.map((b) => [b.name, []]));
  const perRound = Math.ceil(runs / rounds);
  for (let round = 0; round < rounds; round++) {
    const n = Math.min(perRound, runs - round * perRound);
    if (n <= 0) break;
    const w = round === 0 ? warmup : Math.min(1, warmup);
    if (hasHyperfine()) {
      const json = join(work, `hyperfine-${label}-${round}.json`);
      const args = ['-N', '--style', 'none', '--warmup', String(w), '--runs', String(n), '--export-json', json];
      for (const b of benches) args.push('--prepare', `sh ${b.prepare} ${b.dir}`);
      for (const b of benches) args.push('--command-name', b.name);
      for (const b of benches) args.push(b.cmd.join(' '));
      const res = spawnSync('hyperfine', args, { cwd, env, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`hyperfine failed (${res.status}):\n${res.stderr}${res.stdout}`);
      const { results } = JSON.parse(readFileSync(json, 'utf8'));
      results.forEach((r, i) => times[benches[i].name].push(...r.times.map((t) => t * 1000)));
      continue;
    }
    // Fallback: prepare, then time the command with a monotonic clock; median of N runs.
    for (const b of benches) {
      for (let i = 0; i < w + n; i++) {
        sh('sh', [b.prepare, b.dir], { cwd, env });
        const t0 = process.hrtime.bigint();
        const res = spawnSync(b.cmd[0], b.cmd.slice(1), { cwd, env, stdio: 'ignore' });
        const t = Number(process.hrtime.bigint() - t0) / 1e6;
        if (res.status !== 0) throw new Error(`${b.name}: ${b.cmd.join(' ')} exited ${res.status}`);
        if (i >= w) times[b.name].push(t);
      }
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, ts]) => [name, stats(ts)]));
}

// ---------------------------------------------------------------------------------------------
// The benchmark

export async function benchCommits({ runs = 18, warmup = 3, rounds = 3, bigRuns = Math.max(rounds, Math.round(runs / 3)), log = (s) => process.stdout.write(`${s}\n`) } = {}) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const env = benchEnv();
  const work = mkdtempSync(join(tmpdir(), 'guardloop-bench-'));
  const notes = [];
  try {
    const git = (dir, ...args) => sh('git', args, { cwd: dir, env }).stdout.trim();
    const commitOnce = (repo) => sh('git', ['commit', '-m', 'smoke'], { cwd: repo.dir, env });
    const seed = (repo) => {
      repo.write('file.txt', 'initial\n');
      git(repo.dir, 'add', '-A');
      git(repo.dir, 'commit', '-q', '--no-verify', '-m', 'initial');
    };
    const notesCount = (dir) => {
      const res = spawnSync('git', ['notes', '--ref=guardloop', 'list'], { cwd: dir, env, encoding: 'utf8' });
      return res.status === 0 ? res.stdout.split('\n').filter(Boolean).length : 0;
    };
    const smoke = (repo, check, what) => {
      sh('sh', [writePrepare(work, `smoke-${repo.name}`, STAGE_ONE), repo.dir], { env });
      const res = commitOnce(repo);
      const text = res.stdout + res.stderr;
      if (!check(text)) throw new Error(`smoke commit in ${repo.name} did not ${what}:\n${text}`);
    };

    const t0 = performance.now();
    const at = () => `[${((performance.now() - t0) / 1000).toFixed(0)} s]`;
    log(`${at()} setting up repositories…`);
    const pkgSnap = snapshotPackage(work);
    const CLI_RUN = pkgSnap.cli;
    // 1. bare: no hook at all.
    const bare = makeRepo(work, 'bare', env);
    seed(bare);
    // husky alone running `true`: what the hook shell costs before any Node starts.
    const husky = makeRepo(work, 'husky', env);
    install(husky, env, { hook: 'true' });
    seed(husky);
    // 2. the peer: husky 9 + lint-staged 16 running `true` on `*`.
    const ls = makeRepo(work, 'lint-staged', env);
    install(ls, env, { hook: 'lint-staged', packages: ['lint-staged'], pkg: { 'lint-staged': { '*': 'true' } } });
    seed(ls);
    smoke(ls, (t) => /Running tasks|true/.test(t), 'run lint-staged');
    // 3. husky + guardloop, one guard `true`, new content each commit (cache miss).
    const gl = makeRepo(work, 'guardloop', env);
    install(gl, env, { hook: 'guardloop run --hook pre-commit', packages: ['guardloop'], glPkg: pkgSnap });
    gl.write('.loop/config.yaml', GUARD_CONFIG);
    seed(gl);
    const before = notesCount(gl.dir);
    smoke(gl, (t) => /trivial/.test(t) && !/cached/i.test(t), 'run the guard');
    if (notesCount(gl.dir) !== before + 1) throw new Error('guardloop smoke commit wrote no record');
    // 4. cache hit: the staged tree already has an ACCEPTED record for the same guards.
    const hit = makeRepo(work, 'guardloop-cached', env);
    install(hit, env, { hook: 'guardloop run --hook pre-commit', packages: ['guardloop'], glPkg: pkgSnap });
    hit.write('.loop/config.yaml', GUARD_CONFIG);
    seed(hit);
    const STAGE_AND_RECORD = `${STAGE_ONE}\n"${process.execPath}" "${CLI_RUN}" run --hook pre-commit >/dev/null`;
    {
      sh('sh', [writePrepare(work, 'smoke-hit', STAGE_AND_RECORD), hit.dir], { env });
      const res = commitOnce(hit);
      if (!/cached/i.test(res.stdout + res.stderr)) throw new Error(`cache-hit smoke commit did not hit the cache:\n${res.stdout}${res.stderr}`);
    }
    // 5. 5,000 files: a partially staged file (temporary checkout) vs the same commit fully staged.
    const big = makeRepo(work, 'files-5000', env);
    install(big, env, { hook: 'guardloop run --hook pre-commit', packages: ['guardloop'], glPkg: pkgSnap });
    big.write('.loop/config.yaml', GUARD_CONFIG);
    const body = Array.from({ length: 30 }, (_, i) => `export const value${i} = ${i}; // a line of ordinary source text\n`).join('');
    for (let d = 0; d < 50; d++) for (let f = 0; f < 100; f++) big.write(`src/m${d}/f${f}.ts`, `// module ${d}/${f}\n${body}`);
    big.write('partial.txt', `top base\n${Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join('')}bottom base\n`);
    big.write('file.txt', 'initial\n');
    git(big.dir, 'add', '-A');
    git(big.dir, 'commit', '-q', '--no-verify', '-m', 'initial');
    // Packed, as a cloned repository is.
    git(big.dir, 'repack', '-adq');
    git(big.dir, 'prune-packed');
    const fileCount = Number(git(big.dir, 'ls-files').split('\n').length);
    const mid = 'i=0; while [ $i -lt 40 ]; do echo "line $i"; i=$((i+1)); done';
    const STAGE_CLEAN = `{ echo "top $stamp"; ${mid}; echo "bottom base"; } > partial.txt\ngit add partial.txt`;
    const STAGE_PARTIAL = `${STAGE_CLEAN}\n{ echo "top $stamp"; ${mid}; echo "bottom unstaged $stamp"; } > partial.txt`;
    {
      sh('sh', [writePrepare(work, 'smoke-partial', STAGE_PARTIAL), big.dir], { env });
      commitOnce(big);
      const rec = JSON.parse(git(big.dir, 'notes', '--ref=guardloop', 'show', 'HEAD^{tree}').split('\n').filter(Boolean).pop());
      if (rec.isolated !== true) throw new Error('partially staged smoke commit did not use a temporary checkout');
      if (!/bottom unstaged/.test(readFileSync(join(big.dir, 'partial.txt'), 'utf8'))) throw new Error('unstaged hunk lost');
      sh('sh', [writePrepare(work, 'smoke-clean', STAGE_CLEAN), big.dir], { env });
      commitOnce(big);
      const rec2 = JSON.parse(git(big.dir, 'notes', '--ref=guardloop', 'show', 'HEAD^{tree}').split('\n').filter(Boolean).pop());
      if (rec2.isolated !== false) throw new Error('fully staged smoke commit used a temporary checkout');
    }
    // Phases (outside git): Node's start, the CLI's start, and `guardloop run` called directly.
    const phase = makeRepo(work, 'phases', env);
    install(phase, env, { hook: 'guardloop run --hook pre-commit', packages: ['guardloop'], glPkg: pkgSnap });
    phase.write('.loop/config.yaml', GUARD_CONFIG);
    seed(phase);

    const prep = {
      one: writePrepare(work, 'one', STAGE_ONE),
      record: writePrepare(work, 'record', STAGE_AND_RECORD),
      clean: writePrepare(work, 'clean', STAGE_CLEAN),
      partial: writePrepare(work, 'partial', STAGE_PARTIAL),
      none: writePrepare(work, 'none', ':'),
      // A fresh directory and index for a plain `git checkout-index -a` of the same tree, removed again
      // afterwards: the floor of any full temporary checkout on this file system.
      floor: writePrepare(work, 'floor', `rm -rf "${work}/co"; mkdir -p "${work}/co/tree"; GIT_INDEX_FILE="${work}/co/idx" git read-tree HEAD`),
    };
    const floorRun = join(work, 'floor-run.sh');
    writeFileSync(floorRun, `GIT_INDEX_FILE="${work}/co/idx" git --git-dir="${big.dir}/.git" --work-tree="${work}/co/tree" checkout-index -a -u\nrm -rf "${work}/co/tree"\n`);
    const shm = (() => {
      try {
        return readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === '/dev/shm' && l.split(' ')[2] === 'tmpfs') ? '/dev/shm' : null;
      } catch {
        return null;
      }
    })();
    const COMMIT = ['git', 'commit', '-q', '-m', 'bench'];
    const node = process.execPath;
    const main = [
      { key: 'bare', name: 'git commit, no hook', dir: bare.dir, prepare: prep.one, cmd: COMMIT },
      { key: 'husky', name: 'husky 9, pre-commit = true', dir: husky.dir, prepare: prep.one, cmd: COMMIT },
      { key: 'lintStaged', name: 'husky + lint-staged 16 (true on *)', dir: ls.dir, prepare: prep.one, cmd: COMMIT },
      { key: 'guardloop', name: 'husky + guardloop (true, cache miss)', dir: gl.dir, prepare: prep.one, cmd: COMMIT },
      { key: 'cached', name: 'husky + guardloop (cache hit)', dir: hit.dir, prepare: prep.record, cmd: COMMIT },
    ];
    const files = [
      { key: 'bigBare', name: `${fileCount} files: git commit --no-verify`, dir: big.dir, prepare: prep.clean, cmd: [...COMMIT, '--no-verify'] },
      { key: 'bigClean', name: `${fileCount} files: guardloop, all staged`, dir: big.dir, prepare: prep.clean, cmd: COMMIT },
      { key: 'bigPartial', name: `${fileCount} files: guardloop, partially staged`, dir: big.dir, prepare: prep.partial, cmd: COMMIT },
      ...(shm ? [{ key: 'bigPartialShm', name: `  same, TMPDIR=${shm} (tmpfs checkout)`, dir: big.dir, prepare: prep.partial, cmd: ['env', `TMPDIR=${shm}`, 'git', '-C', big.dir, ...COMMIT.slice(1)] }] : []),
    ];
    const floor = [
      { key: 'checkoutFloor', name: `  git checkout-index -a + rm -rf, ${fileCount} files`, dir: big.dir, prepare: prep.floor, cmd: ['sh', floorRun] },
    ];
    const phases = [
      { key: 'nodeE0', name: 'node -e 0', dir: phase.dir, prepare: prep.none, cmd: [node, '-e', '0'] },
      { key: 'version', name: 'guardloop --version', dir: phase.dir, prepare: prep.none, cmd: [node, CLI_RUN, '--version'] },
      { key: 'runDirect', name: 'guardloop run --no-cache (no git commit)', dir: phase.dir, prepare: prep.one, cmd: [node, CLI_RUN, 'run', '--hook', 'pre-commit', '--no-cache'] },
      { key: 'runCached', name: 'guardloop run, cache hit (no git commit)', dir: phase.dir, prepare: prep.none, cmd: [node, CLI_RUN, 'run', '--hook', 'pre-commit'] },
    ];
    // hyperfine runs `cmd` in its own cwd: give each command its repository with `git -C` / cwd.
    const inDir = (b) => (b.cmd[0] === 'git' ? { ...b, cmd: ['git', '-C', b.dir, ...b.cmd.slice(1)] } : b);
    const results = {};
    const loadStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const plan = [
      ['commits', main, { runs, warmup, rounds }],
      ['files', files, { runs: bigRuns, warmup: Math.min(warmup, 1), rounds }],
      ['floor', floor, { runs: 3, warmup: 0, rounds: 1 }],
      ['phases', phases, { runs, warmup, rounds }],
    ];
    for (const [label, group, counts] of plan) {
      log(`${at()} measuring ${label}: ${group.map((b) => b.name.trim()).join(' | ')}`);
      try {
        const byName = measure(group.map(inDir), { ...counts, env, work, cwd: group[0].cmd[0] === 'node' || group[0].cmd[0] === process.execPath ? group[0].dir : work, label });
        for (const b of group) results[b.key] = { ...byName[b.name], name: b.name };
      } catch (e) {
        // Report which command failed and how, then go on with the other groups.
        notes.push(`${label}: ${e.message.split('\n')[0]}`);
        for (const b of group) {
          sh('sh', [b.prepare, b.dir], { env });
          const r = spawnSync(b.cmd[0], b.cmd.slice(1), { cwd: b.dir, env, encoding: 'utf8' });
          if (r.status !== 0) notes.push(`${b.name}: exit ${r.status}: ${(r.stderr + r.stdout).trim().slice(-600)}`);
        }
      }
    }
    log(`${at()} done`);
    const records = notesCount(gl.dir);
    const commits = Number(git(gl.dir, 'rev-list', '--count', 'HEAD'));
    if (records < commits - 1) notes.push(`guardloop repo: ${records} records for ${commits} commits`);
    const hitRecords = notesCount(hit.dir);
    const hitCommits = Number(git(hit.dir, 'rev-list', '--count', 'HEAD'));
    notes.push(`cache-hit repo: ${hitCommits - 1} commits, ${hitRecords} records (all written by --prepare; the commits reused them)`);
    return { results, fileCount, loadStart, notes, tool: hasHyperfine() ? 'hyperfine' : 'fallback timer' };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const res = await benchCommits({ runs: Number(process.argv[2] ?? 18) });
  console.log(JSON.stringify(res, null, 2));
}
