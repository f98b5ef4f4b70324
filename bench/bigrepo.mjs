// guardloop in big repositories and big commits (issue 14), measured side by side in one run:
// 1. 500 staged files (paths of ~250 characters, more than one argument list can hold) with a
//    `files: ['**/*.js']` guard: husky + lint-staged 16, husky + guardloop and guardloop's lean hook, each
//    running the same command on the same files — `true`, then a small Node script that records the
//    paths it is given (the smoke commits check that each tool hands it exactly the matched files);
// 2. a 50,000-file repository (generated, committed, packed): `git status`, a bare `git commit`,
//    guardloop's commit of one staged file and a partially staged commit (the temporary checkout),
//    with one traced commit of each kind showing where the time goes (GIT_TRACE2_EVENT).
// Over 300 lines on purpose: the setups, the timed runs and the report are one measurement that must
// stay side by side (split up, the peer and guardloop would drift into different runs).
// Reports; never gates: exits 0 whatever the ratios.
// Usage: node bench/bigrepo.mjs   Env: BENCH_RUNS (default 10), BENCH_WARMUP (1), BENCH_ROUNDS (2),
// BENCH_BIG_FILES (50000), BENCH_STAGED (500), BENCH_ONLY=staged|big, BENCH_TRACE=0 (no traced commits),
// BENCH_KEEP=1 (keep the repositories and print where they are), BENCH_BASELINE=<a built guardloop
// package folder> (the big repository's commits also with that guardloop, in the same runs).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchEnv, hasHyperfine, PROJECT } from './commit.mjs';

const NM = join(PROJECT, 'node_modules');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BIG = Number(process.env.BENCH_BIG_FILES ?? 50_000);
const STAGED = Number(process.env.BENCH_STAGED ?? 500);
const ONLY = process.env.BENCH_ONLY ?? '';
const BASELINE = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : '';
const out = (s = '') => process.stdout.write(`${s}\n`);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

function sh(cmd, args, opts) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}${res.stdout}`);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Repositories, installed as npm would (node_modules symlinks into this project and a snapshot of
// the package: other engineers rebuild dist/ while the bench runs).

function snapshotPackage(work, from = PROJECT, name = 'guardloop-pkg') {
  const dest = join(work, name);
  const { files = [] } = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
  for (const f of ['package.json', ...files]) if (existsSync(join(from, f))) cpSync(join(from, f), join(dest, f), { recursive: true });
  return { dir: dest, cli: join(dest, 'dist', 'cli.cjs') };
}

function makeRepo(root, name, env) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const git = (...args) => sh('git', args, { cwd: dir, env }).stdout.trim();
  git('init', '-q', '-b', 'main');
  for (const [k, v] of [['user.name', 'Bench User'], ['user.email', 'bench@example.com'], ['gc.auto', '0'], ['commit.gpgsign', 'false']]) git('config', k, v);
  const write = (path, content) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  return { dir, name, git, write };
}

// How a repository runs its pre-commit: `husky` (husky 9's chain, then `hook`), `lean` (guardloop's own
// hook script as `guardloop init` writes it, in .loop/hooks set as core.hooksPath), or none.
function install(repo, env, { mode, hook = '', pkg = {}, packages = [], gl }) {
  const { dir } = repo;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `bench-${repo.name}`, private: true, ...pkg }, null, 2));
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  const targets = { guardloop: gl?.dir, husky: join(NM, 'husky'), 'lint-staged': join(NM, 'lint-staged') };
  const bins = { guardloop: gl?.cli, 'lint-staged': join(NM, 'lint-staged', 'bin', 'lint-staged.js') };
  for (const name of [...(mode === 'husky' ? ['husky'] : []), ...packages]) {
    symlinkSync(targets[name], join(dir, 'node_modules', name), 'dir');
    if (bins[name]) symlinkSync(bins[name], join(dir, 'node_modules', '.bin', name));
  }
  if (mode === 'husky') {
    sh(process.execPath, [join(NM, 'husky', 'bin.js')], { cwd: dir, env });
    repo.write('.husky/pre-commit', `${hook}\n`);
  }
  if (mode === 'lean') {
    const script = readFileSync(join(PROJECT, 'hooks', 'pre-commit'), 'utf8').replace(/@@[A-Z_]+@@/g, "'guardloop is not installed: run npm install'");
    repo.write('.loop/hooks/pre-commit', script);
    chmodSync(join(dir, '.loop', 'hooks', 'pre-commit'), 0o755);
    repo.git('config', 'core.hooksPath', '.loop/hooks');
  }
}

const INVARIANT = 'In this codebase, a commit that fails this check must never happen, because it causes a broken build.';
const guardConfig = (run, files) =>
  `guards:\n  - id: check\n    run: ${JSON.stringify(run)}\n${files ? `    files: ${JSON.stringify(files)}\n` : ''}    invariant: "${INVARIANT}"\n`;

// A prepare script (hyperfine --prepare): makes the repository's next commit, so every timed commit is real.
function writePrepare(work, name, body) {
  const file = join(work, `prepare-${name}.sh`);
  writeFileSync(file, `#!/bin/sh\nset -e\ncd "$1"\nstamp="$(date +%s%N)-$$"\n${body}\n`);
  return file;
}

// ---------------------------------------------------------------------------------------------
// Timing: hyperfine -N over a group of commands, pooled from `rounds` invocations (warm-ups in the
// first, one per later round), so load that comes and goes falls on every row alike.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function measure(benches, { runs, warmup, rounds, env, work, label }) {
  const times = Object.fromEntries(benches.map((b) => [b.key, []]));
  const perRound = Math.ceil(runs / rounds);
  for (let round = 0; round < rounds; round++) {
    const n = Math.min(perRound, runs - round * perRound);
    if (n <= 0) break;
    const w = round === 0 ? warmup : Math.min(1, warmup);
    if (hasHyperfine()) {
      const json = join(work, `hyperfine-${label}-${round}.json`);
      const args = ['-N', '--style', 'none', '--warmup', String(w), '--runs', String(n), '--export-json', json];
      for (const b of benches) args.push('--prepare', `sh ${b.prepare} ${b.dir}`);
      for (const b of benches) args.push('--command-name', b.key, b.cmd.join(' '));
      const res = spawnSync('hyperfine', args, { cwd: work, env, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`hyperfine failed (${res.status}):\n${res.stderr}${res.stdout}`);
      JSON.parse(readFileSync(json, 'utf8')).results.forEach((r, i) => times[benches[i].key].push(...r.times.map((t) => t * 1000)));
      continue;
    }
    for (const b of benches) {
      for (let i = 0; i < w + n; i++) {
        sh('sh', [b.prepare, b.dir], { env });
        const t0 = process.hrtime.bigint();
        const res = spawnSync(b.cmd[0], b.cmd.slice(1), { cwd: work, env, stdio: 'ignore' });
        if (res.status !== 0) throw new Error(`${b.key}: ${b.cmd.join(' ')} exited ${res.status}`);
        if (i >= w) times[b.key].push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, ts]) => [k, { median: median(ts), min: Math.min(...ts), max: Math.max(...ts), runs: ts.length }]));
}

// One commit under GIT_TRACE2_EVENT: each git process's span (ms from the commit's start), longest first.
function traceCommit(repo, env, work, prepare, label) {
  sh('sh', [prepare, repo.dir], { env });
  const file = join(work, `trace-${label}.json`);
  rmSync(file, { force: true });
  sh('git', ['commit', '-q', '-m', `traced ${label}`], { cwd: repo.dir, env: { ...env, GIT_TRACE2_EVENT: file } });
  const events = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const starts = new Map();
  let t0;
  const spans = [];
  const hooks = new Set();
  for (const e of events) {
    if (e.event === 'start') {
      t0 ??= Date.parse(e.time);
      starts.set(e.sid, { at: Date.parse(e.time) - t0, argv: e.argv });
    } else if (e.event === 'exit' && starts.has(e.sid)) {
      const s = starts.get(e.sid);
      spans.push({ from: s.at, to: s.at + Math.round(e.t_abs * 1000), what: s.argv.map((a) => (/^[0-9a-f]{40,64}$/.test(a) ? a.slice(0, 8) : a)).join(' ').replace(/--(git-dir|work-tree)=\S+ /g, '').slice(0, 86) });
    } else if (e.event === 'child_start' && e.child_class === 'hook') {
      hooks.add(`${e.sid}/${e.child_id}`);
      spans.push({ hookStart: Date.parse(e.time) - t0 });
    } else if (e.event === 'child_exit' && hooks.has(`${e.sid}/${e.child_id}`)) spans.push({ hookEnd: Date.parse(e.time) - t0 });
  }
  return spans;
}

function printTrace(title, spans) {
  out(`  ${title}`);
  const hookStart = spans.find((s) => s.hookStart !== undefined)?.hookStart;
  const hookEnd = spans.find((s) => s.hookEnd !== undefined)?.hookEnd;
  if (hookStart !== undefined) out(`    ${String(hookStart).padStart(5)} → ${String(hookEnd ?? '?').padStart(5)} ms  the pre-commit hook (guardloop's part)`);
  for (const s of spans.filter((x) => x.what).sort((a, b) => a.from - b.from)) out(`    ${String(s.from).padStart(5)} → ${String(s.to).padStart(5)} ms  ${s.what}`);
}

// ---------------------------------------------------------------------------------------------
// 1. Many staged files

// A long path for file i: deep folders and a long name (about 250 characters), some with a space.
function longPath(i) {
  const dir = `packages/feature-${i % 20}-shared-presentational-components-library/src/components/deeply/nested/folder/structure/for/testing/argument/length/limits`;
  const name = `${i % 50 === 7 ? 'with space ' : ''}Component${i}WithAQuiteLongDescriptiveNameThatKeepsGoing`;
  return `${dir}/${name}${'x'.repeat(Math.max(0, 246 - dir.length - name.length))}.js`;
}

// Records the paths it is given (one file per invocation), for the smoke commits' check.
const recorderScript = (dir) => `require('node:fs').writeFileSync(require('node:path').join(${JSON.stringify(dir)}, process.pid + '-' + Date.now()), JSON.stringify(process.argv.slice(2)));\n`;

function stagedGroup(work, env, gl, log) {
  const paths = Array.from({ length: STAGED }, (_, i) => longPath(i));
  const docs = Array.from({ length: 20 }, (_, i) => `docs/page-${i}.md`);
  const recorder = join(work, 'record-args.cjs');
  const argsDir = join(work, 'args');
  writeFileSync(recorder, recorderScript(argsDir));
  const list = join(work, 'staged-paths.txt');
  writeFileSync(list, [...paths, ...docs].join('\n') + '\n');
  const prepare = writePrepare(work, 'staged', `while IFS= read -r f; do printf 'export const stamp = "%s";\\n' "$stamp" > "$f"; done < "${list}"\ngit add -A`);
  const setups = [
    { key: 'bare', name: 'git commit --no-verify', mode: 'none' },
    { key: 'lsTrue', name: 'husky + lint-staged 16: true', mode: 'husky', hook: 'lint-staged', packages: ['lint-staged'], pkg: { 'lint-staged': { '**/*.js': 'true' } } },
    { key: 'glTrue', name: 'husky + guardloop: true', mode: 'husky', hook: 'guardloop run --hook pre-commit', packages: ['guardloop'], config: guardConfig(['true', '{files}'], ['**/*.js']) },
    { key: 'leanTrue', name: 'guardloop, lean hook: true', mode: 'lean', packages: ['guardloop'], config: guardConfig(['true', '{files}'], ['**/*.js']) },
    { key: 'lsNode', name: 'husky + lint-staged 16: node script', mode: 'husky', hook: 'lint-staged', packages: ['lint-staged'], pkg: { 'lint-staged': { '**/*.js': `node ${recorder}` } } },
    { key: 'glNode', name: 'husky + guardloop: node script', mode: 'husky', hook: 'guardloop run --hook pre-commit', packages: ['guardloop'], config: guardConfig(['node', recorder, '{files}'], ['**/*.js']) },
    { key: 'leanNode', name: 'guardloop, lean hook: node script', mode: 'lean', packages: ['guardloop'], config: guardConfig(['node', recorder, '{files}'], ['**/*.js']) },
  ];
  const repos = {};
  for (const s of setups) {
    const repo = makeRepo(work, `staged-${s.key}`, env);
    if (s.mode !== 'none') install(repo, env, { ...s, gl });
    if (s.config) repo.write('.loop/config.yaml', s.config);
    for (const p of [...paths, ...docs]) repo.write(p, 'export const stamp = "initial";\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '--no-verify', '-m', 'initial');
    repos[s.key] = repo;
  }
  // Smoke: one commit each with the recorder; every matched path arrives, once, as the tool's docs say.
  const passed = {};
  for (const key of ['lsNode', 'glNode', 'leanNode']) {
    rmSync(argsDir, { recursive: true, force: true });
    mkdirSync(argsDir);
    sh('sh', [prepare, repos[key].dir], { env });
    const res = sh('git', ['commit', '-q', '-m', 'smoke'], { cwd: repos[key].dir, env });
    const calls = readdirSync(argsDir).map((f) => JSON.parse(readFileSync(join(argsDir, f), 'utf8')));
    const got = calls.flat().map((p) => (p.startsWith('/') ? relative(repos[key].dir, p) : p)).sort();
    const want = [...paths].sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${key}: the script was given ${got.length} paths (${new Set(got).size} distinct), not the ${want.length} staged .js files:\n${res.stderr}`);
    passed[key] = { calls: calls.length, longest: Math.max(...calls.map((c) => c.join(' ').length)) };
  }
  log(`smoke: each tool handed the script exactly the ${STAGED} staged .js paths (${paths.reduce((a, p) => a + p.length + 1, 0).toLocaleString('en')} characters)`);
  const benches = setups.map((s) => ({ key: s.key, name: s.name, dir: repos[s.key].dir, prepare, cmd: ['git', '-C', repos[s.key].dir, 'commit', '-q', '-m', 'bench', ...(s.mode === 'none' ? ['--no-verify'] : [])] }));
  return { benches, passed, chars: paths.reduce((a, p) => a + p.length + 1, 0) };
}

// ---------------------------------------------------------------------------------------------
// 2. A big repository

function bigGroup(work, env, gl, log) {
  const repo = makeRepo(work, `files-${BIG}`, env);
  install(repo, env, { mode: 'lean', packages: ['guardloop'], gl });
  repo.write('.loop/config.yaml', guardConfig('true'));
  const body = Array.from({ length: 12 }, (_, i) => `export const value${i} = ${i}; // a line of ordinary source text\n`).join('');
  for (let i = 0; i < BIG; i++) repo.write(`src/pkg${Math.floor(i / 100) % 25}/m${Math.floor(i / 100)}/f${i % 100}.ts`, `// module ${i}\n${body}`);
  const mid = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
  repo.write('partial.txt', `top base\n${mid}\nbottom base\n`);
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'initial');
  // Packed, as a cloned repository is, and the index's stat data fresh.
  repo.git('repack', '-adq');
  repo.git('prune-packed');
  repo.git('status', '--porcelain');
  const files = repo.git('ls-files').split('\n').length;
  log(`${files.toLocaleString('en')} files committed and packed`);
  const midSh = 'i=0; while [ $i -lt 40 ]; do echo "line $i"; i=$((i+1)); done';
  // guardloop removes a temporary checkout in the background after the commit returns: the next commit
  // starts once that removal is over, as it would after the seconds between two commits.
  const settle = `while pgrep -f 'rm -rf -- .*/guardloop-[0-9]*/' >/dev/null 2>&1; do sleep 0.05; done`;
  const clean = writePrepare(work, 'big-clean', `${settle}\n{ echo "top $stamp"; ${midSh}; echo "bottom base"; } > partial.txt\ngit add partial.txt`);
  const partial = writePrepare(work, 'big-partial', `${settle}\n{ echo "top $stamp"; ${midSh}; echo "bottom base"; } > partial.txt\ngit add partial.txt\n{ echo "top $stamp"; ${midSh}; echo "bottom unstaged $stamp"; } > partial.txt`);
  // Smoke: the partially staged commit ran in a temporary checkout and kept the unstaged line.
  sh('sh', [partial, repo.dir], { env });
  sh('git', ['commit', '-q', '-m', 'smoke'], { cwd: repo.dir, env });
  const rec = JSON.parse(repo.git('notes', '--ref=guardloop', 'show', 'HEAD^{tree}').split('\n').filter(Boolean).pop());
  if (rec.isolated !== true) throw new Error('the partially staged smoke commit did not use a temporary checkout');
  if (!/bottom unstaged/.test(readFileSync(join(repo.dir, 'partial.txt'), 'utf8'))) throw new Error('the unstaged line was lost');
  const shm = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const co = join(shm, `guardloop-bench-co-${process.pid}`);
  const floorPrep = writePrepare(work, 'floor', `rm -rf "${co}"; mkdir -p "${co}/tree"`);
  const floor = join(work, 'floor.sh');
  writeFileSync(floor, `GIT_INDEX_FILE="${co}/index" git --git-dir="${repo.dir}/.git" --work-tree="${co}/tree" read-tree --reset -u HEAD^{tree}\n`);
  const g = (...a) => ['git', '-C', repo.dir, ...a];
  const benches = [
    { key: 'status', name: 'git status', dir: repo.dir, prepare: clean, cmd: g('status') },
    { key: 'bare', name: 'git commit --no-verify, one file', dir: repo.dir, prepare: clean, cmd: g('commit', '-q', '--no-verify', '-m', 'bench') },
    { key: 'staged', name: 'guardloop (lean hook), one file staged', dir: repo.dir, prepare: clean, cmd: g('commit', '-q', '-m', 'bench') },
    { key: 'partial', name: 'guardloop, partially staged (checkout)', dir: repo.dir, prepare: partial, cmd: g('commit', '-q', '-m', 'bench') },
  ];
  // BENCH_BASELINE=<a guardloop package folder, built>: the same two commits in a clone of the repository
  // that runs that guardloop instead, measured in the same runs (before/after).
  if (BASELINE) {
    const base = join(work, `files-${BIG}-baseline`);
    sh('git', ['clone', '-q', repo.dir, base], { env });
    for (const [k, v] of [['user.name', 'Bench User'], ['user.email', 'bench@example.com'], ['gc.auto', '0'], ['commit.gpgsign', 'false'], ['core.hooksPath', '.loop/hooks']]) sh('git', ['config', k, v], { cwd: base, env });
    mkdirSync(join(base, 'node_modules', '.bin'), { recursive: true });
    const snap = snapshotPackage(work, BASELINE, 'guardloop-baseline');
    symlinkSync(snap.dir, join(base, 'node_modules', 'guardloop'), 'dir');
    symlinkSync(snap.cli, join(base, 'node_modules', '.bin', 'guardloop'));
    sh('git', ['status', '--porcelain'], { cwd: base, env });
    const gb = (...a) => ['git', '-C', base, ...a];
    benches.push(
      { key: 'stagedBase', name: 'baseline guardloop, one file staged', dir: base, prepare: clean, cmd: gb('commit', '-q', '-m', 'bench') },
      { key: 'partialBase', name: 'baseline guardloop, partially staged', dir: base, prepare: partial, cmd: gb('commit', '-q', '-m', 'bench') },
    );
  }
  const floorBench = [{ key: 'floor', name: `git read-tree -u of all ${files} files (${shm})`, dir: repo.dir, prepare: floorPrep, cmd: ['sh', floor] }];
  return { repo, files, benches, floorBench, clean, partial, cleanup: () => rmSync(co, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------

export async function benchBigRepo({ log = (s) => out(`  ${s}`) } = {}) {
  const env = benchEnv();
  const work = mkdtempSync(join(tmpdir(), 'guardloop-bigrepo-'));
  const results = {};
  const notes = [];
  const counts = { runs: RUNS, warmup: WARMUP, rounds: ROUNDS, env, work };
  let big;
  try {
    const gl = snapshotPackage(work);
    if (ONLY !== 'big') {
      log(`setting up ${STAGED} staged files in 7 repositories…`);
      const staged = stagedGroup(work, env, gl, log);
      const loadStart = load();
      log(`measuring: ${staged.benches.map((b) => b.key).join(' | ')}`);
      results.staged = { ...measure(staged.benches, { ...counts, label: 'staged' }), names: Object.fromEntries(staged.benches.map((b) => [b.key, b.name])), passed: staged.passed, chars: staged.chars, load: `${loadStart} → ${load()}` };
    }
    if (ONLY !== 'staged') {
      log(`generating a ${BIG.toLocaleString('en')}-file repository…`);
      big = bigGroup(work, env, gl, log);
      const loadStart = load();
      log(`measuring: ${big.benches.map((b) => b.key).join(' | ')}`);
      const main = measure(big.benches, { ...counts, label: 'big' });
      const floor = measure(big.floorBench, { ...counts, runs: 3, warmup: 0, rounds: 1, label: 'floor' });
      results.big = { ...main, ...floor, names: Object.fromEntries([...big.benches, ...big.floorBench].map((b) => [b.key, b.name])), files: big.files, load: `${loadStart} → ${load()}` };
      if (process.env.BENCH_TRACE !== '0') results.big.traces = { staged: traceCommit(big.repo, env, work, big.clean, 'staged'), partial: traceCommit(big.repo, env, work, big.partial, 'partial') };
    }
  } catch (e) {
    notes.push(e.stack ?? String(e));
  } finally {
    big?.cleanup();
    if (process.env.BENCH_KEEP === '1') notes.push(`repositories kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  return { results, notes };
}

function report({ results, notes }) {
  const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a').padStart(8);
  const row = (r, key, over) => out(`  ${r.names[key].padEnd(44)} ${fmt(r[key].median)} ${over === undefined ? ''.padStart(9) : fmt(r[key].median - over)} ${fmt(r[key].min)} ${fmt(r[key].max)}`);
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const s = results.staged;
  if (s) {
    out();
    out(`${STAGED} staged files, a files: ['**/*.js'] guard, ${s.chars.toLocaleString('en')} characters of paths (load ${s.load})`);
    out(`  ${''.padEnd(44)} ${'median'.padStart(8)} ${'overhead'.padStart(9)} ${'min'.padStart(8)} ${'max'.padStart(8)}  (ms)`);
    for (const key of ['bare', 'lsTrue', 'glTrue', 'leanTrue', 'lsNode', 'glNode', 'leanNode']) row(s, key, key === 'bare' ? undefined : s.bare.median);
    for (const [key, p] of Object.entries(s.passed)) out(`  ${s.names[key]}: ${p.calls} invocation(s), the longest ${p.longest.toLocaleString('en')} characters of arguments`);
    const ratio = (a, b) => s[a].median / s[b].median;
    out(`  guardloop ÷ lint-staged, commit time, true:        husky ${ratio('glTrue', 'lsTrue').toFixed(2)}, lean ${ratio('leanTrue', 'lsTrue').toFixed(2)}   (target ≤ 1)  ${verdict(ratio('glTrue', 'lsTrue') <= 1)}`);
    out(`  guardloop ÷ lint-staged, commit time, node script: husky ${ratio('glNode', 'lsNode').toFixed(2)}, lean ${ratio('leanNode', 'lsNode').toFixed(2)}   (target ≤ 1)  ${verdict(ratio('glNode', 'lsNode') <= 1)}`);
  }
  const b = results.big;
  if (b) {
    out();
    out(`a repository of ${b.files.toLocaleString('en')} files, packed (load ${b.load})`);
    out(`  ${''.padEnd(44)} ${'median'.padStart(8)} ${'over bare'.padStart(9)} ${'min'.padStart(8)} ${'max'.padStart(8)}  (ms)`);
    for (const key of ['status', 'bare', 'staged', 'partial', 'stagedBase', 'partialBase']) if (b[key]) row(b, key, key === 'status' || key === 'bare' ? undefined : b.bare.median);
    row(b, 'floor');
    const one = b.staged.median / (b.status.median + b.bare.median);
    const part = b.partial.median / b.staged.median;
    out(`  one file ÷ (git status + bare commit)   ${one.toFixed(2)}   (${b.staged.median.toFixed(0)} / ${(b.status.median + b.bare.median).toFixed(0)} ms; target ≤ 1.5)  ${verdict(one <= 1.5)}`);
    out(`  partially staged ÷ fully staged         ${part.toFixed(2)}   (${b.partial.median.toFixed(0)} / ${b.staged.median.toFixed(0)} ms; target < 3)  ${verdict(part < 3)}`);
    if (b.stagedBase) {
      out(`  baseline: one file ÷ (status + bare)    ${(b.stagedBase.median / (b.status.median + b.bare.median)).toFixed(2)}`);
      out(`  baseline: partially ÷ fully staged      ${(b.partialBase.median / b.stagedBase.median).toFixed(2)}   (${b.partialBase.median.toFixed(0)} / ${b.stagedBase.median.toFixed(0)} ms)`);
    }
    if (b.traces) {
      out();
      out('where the time goes: one traced commit of each kind (GIT_TRACE2_EVENT; ms from the start of `git commit`)');
      printTrace('one file staged', b.traces.staged);
      printTrace('partially staged', b.traces.partial);
    }
  }
  for (const n of notes) out(`note: ${n}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  out('guardloop in big repositories and big commits');
  out('=============================================');
  out(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}; node ${process.version}; ${spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim()}; ${hasHyperfine() ? spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).stdout.trim() : 'hyperfine absent: fallback timer'}`);
  out(`lint-staged ${JSON.parse(readFileSync(join(NM, 'lint-staged', 'package.json'), 'utf8')).version}, husky ${JSON.parse(readFileSync(join(NM, 'husky', 'package.json'), 'utf8')).version}; NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set in the caller, removed for everything measured' : 'unset'}`);
  out(`runs: ${RUNS} per row from ${ROUNDS} round(s), ${WARMUP} warm-up(s); load average at start ${load()}`);
  const started = performance.now();
  report(await benchBigRepo());
  out(`load average at end ${load()}; took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.exit(0);
}
