// `npm run bench`: the commit benchmark (bench/commit.mjs: guardloop lean and through husky, cache miss and
// hit, beside no hook, husky alone, husky + lint-staged 16, lefthook and prek; the temporary checkout in a
// 5,000-file repository; guardloop's phases and an agent stop), judged against issue 14's targets
// (bench/targets.mjs), then the other benchmarks in bench/. Reports; never gates: exits 0 whatever the ratios.
// Env: BENCH_RUNS (default 18), BENCH_WARMUP (default 3), BENCH_ROUNDS (default = BENCH_RUNS: every round
// runs each command once, interleaved), BENCH_BIGREPO=0 skips bench/bigrepo.mjs (5-10 minutes: a 50,000-file
// repository), BENCH_SESSION=0 skips bench/session.mjs (a few minutes; it
// downloads its project from npm once), BENCH_COMMIT_ONLY=1 runs the commit benchmark alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchCommits, benchEnv, hasHyperfine, PROJECT } from './commit.mjs';
import { COMMIT_ROWS, fx, ISSUE_RATIOS, judge, overheads } from './targets.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 18);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? RUNS);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const started = performance.now();

const out = (s = '') => process.stdout.write(`${s}\n`);
const version = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: benchEnv() });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] : 'absent';
};
const pkgVersion = (name) => JSON.parse(readFileSync(join(PROJECT, 'node_modules', name, 'package.json'), 'utf8')).version;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const gitHere = (...args) => spawnSync('git', args, { cwd: PROJECT, encoding: 'utf8' }).stdout?.trim() ?? '';

out('guardloop commit benchmark');
out('==========================');
out(`date: ${new Date().toISOString()}`);
out(`machine: ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}`);
const built = (f) => (existsSync(join(PROJECT, 'dist', f)) ? statSync(join(PROJECT, 'dist', f)).mtime.toISOString() : 'missing');
out(`code: ${gitHere('log', '-1', '--format=%h %s').slice(0, 90)}; ${gitHere('status', '--short', 'src').split('\n').filter(Boolean).length} uncommitted file(s) in src/; dist/guardloop-hook.cjs built ${built('guardloop-hook.cjs')} (copied once at the start)`);
out(`node ${process.version}, ${version('git', ['--version'])}, ${hasHyperfine() ? version('hyperfine', ['--version']) : 'hyperfine ABSENT: fallback N-run median timer (spawnSync + hrtime)'}`);
out(`guardloop ${JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')).version}, husky ${pkgVersion('husky')}, lint-staged ${pkgVersion('lint-staged')}`);
out(`NODE_EXTRA_CA_CERTS: ${process.env.NODE_EXTRA_CA_CERTS ? 'set in the caller, removed for everything measured' : 'unset'}`);
out(`load average at start: ${load()}`);
out(`runs: ${RUNS} timed per row (${Math.max(3, Math.round(RUNS / 3))} in the 5,000-file repo), ${WARMUP} warm-ups, in ${Math.min(ROUNDS, RUNS)} interleaved round(s) (each round runs every row of a group, order rotated per round), ${hasHyperfine() ? 'hyperfine -N' : 'fallback timer'}; a new staged change is prepared before every run`);
out();

let res;
try {
  res = await benchCommits({ runs: RUNS, warmup: WARMUP, rounds: ROUNDS, log: (s) => out(`  ${s}`) });
} catch (e) {
  out(`commit benchmark failed: ${e.stack ?? e}`);
  process.exitCode = 0;
}

if (res) {
  const missing = { name: '(not measured: see notes)', median: NaN, mean: NaN, stddev: NaN, min: NaN, max: NaN };
  const r = new Proxy(res.results, { get: (t, k) => t[k] ?? missing });
  const o = overheads(res.results);
  const oc = overheads(res.results, { cpu: true });
  const f = (x) => fx(x, 1).padStart(7);
  const signed = (x) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(1)}` : 'n/a').padStart(8);
  const tail = (x) => `${f(x.mean)} ± ${fx(x.stddev, 1).padStart(5)}  ${f(x.min)} ${f(x.max)}`;
  const cpuOf = (x) => f(x.cpu?.median);
  const row = (key, over = NaN) => {
    const x = r[key];
    out(`${x.name.padEnd(46)} ${f(x.median)} ${Number.isNaN(over) ? ''.padStart(8) : signed(x.median - over)}         ${tail(x)}   ${cpuOf(x)}`);
  };
  out();
  out(`timed with: ${res.tool}; load average: ${res.loadStart} before measuring, ${res.loadEnd} after`);
  for (const [label, g] of Object.entries(res.groups)) out(`  ${label.padEnd(8)} load ${g.loadBefore} → ${g.loadAfter}`);
  out(`set up: lefthook ${res.setup.lefthook}, prek ${res.setup.prek}; lean: ${res.setup.lean?.install ?? '?'}`);
  out('wall = elapsed time; cpu = user + system time of the command and all it started (grows far less with load)');
  out();
  const head = (title, extra = '') => {
    out(`${title.padEnd(46)} ${'median'.padStart(7)} ${'overhead'.padStart(8)} ${'÷ l-s'.padStart(6)}   ${'mean ± σ'.padStart(15)}  ${'min'.padStart(7)} ${'max'.padStart(7)}   ${'cpu'.padStart(7)}${extra}   (ms)`);
    out('-'.repeat(126));
  };
  head('one staged file, guard/command `true`', ` ${'overhd'.padStart(7)} ${'÷ l-s'.padStart(6)}`);
  for (const key of COMMIT_ROWS) {
    const x = r[key];
    const first = key === 'bare';
    const issue = ISSUE_RATIOS[key] !== undefined ? `   (issue 14: ${ISSUE_RATIOS[key].toFixed(2)})` : '';
    const cpuPart = `${cpuOf(x)} ${first ? ''.padStart(7) : signed(oc[key]?.overhead).slice(1)} ${first ? ''.padStart(6) : fx(oc[key]?.ratio, 2).padStart(6)}`;
    out(`${x.name.padEnd(46)} ${f(x.median)} ${first ? ''.padStart(8) : signed(o[key]?.overhead)} ${(first ? '' : fx(o[key]?.ratio, 2)).padStart(6)}   ${tail(x)}   ${cpuPart}${issue}`);
  }
  out();
  head(`repository of ${res.fileCount} files (overhead: over ←)`);
  row('bigBare');
  row('bigClean', r.bigBare.median);
  row('bigPartial', r.bigBare.median);
  if (res.results.bigPartialShm) row('bigPartialShm', r.bigBare.median);
  row('checkoutFloor');
  out();
  head('guardloop outside git commit');
  for (const key of ['nodeE0', 'version', 'runDirect', 'runCached', 'agentStop']) row(key);

  for (const cpu of [false, true]) {
    out();
    out(cpu ? 'the same targets on CPU time (user + system of all a command started: far less sensitive to load than wall time, but not the same: waiting is left out, work in parallel counted twice)' : 'issue 14 targets (wall time)');
    out('-'.repeat(126));
    for (const t of judge(res.results, { cpu })) out(`${t.what.padEnd(58)} ${t.shown.padEnd(30)} ${t.limit.padEnd(12)} ${t.verdict}`);
  }
  out(`${`partially staged ÷ all staged (${res.fileCount} files)`.padEnd(58)} ${`${fx(r.bigPartial.median / r.bigClean.median, 2)} (${fx(r.bigPartial.median, 1)} / ${fx(r.bigClean.median, 1)} ms)`.padEnd(30)} (reported, wall; a plain checkout-index + rm -rf: ${fx(r.checkoutFloor.median, 1)} ms)`);

  const floorR = o.nodeFloor?.ratio;
  out(`${'floor: a minimal Node hook writing a note ÷ husky + lint-staged'.padEnd(58)} ${`${fx(floorR, 2)} (${fx(o.nodeFloor?.overhead, 1)} ms; cpu ${fx(oc.nodeFloor?.ratio, 2)})`.padEnd(30)} (reported: a target below it no Node hook meets)`);
  out(`${'  the same through husky ÷ husky + lint-staged'.padEnd(58)} ${`${fx(o.huskyFloor?.ratio, 2)} (${fx(o.huskyFloor?.overhead, 1)} ms; cpu ${fx(oc.huskyFloor?.ratio, 2)})`.padEnd(30)} (reported: the floor of the through-husky target)`);
  out();
  out("where guardloop's time goes (medians, ms)                wall      cpu");
  out('-'.repeat(126));
  // Each line: a difference of medians, from the wall times and from the CPU times.
  const w = (k) => r[k].median;
  const c = (k) => r[k].cpu?.median ?? NaN;
  const part = (label, fn, how = '') => out(`${label.padEnd(54)} ${f(fn(w))}  ${f(fn(c))}   ${how}`);
  part('  lean hook, cache miss, over a bare commit', (m) => m('lean') - m('bare'));
  part('    over the floor (a minimal Node hook)', (m) => m('lean') - m('nodeFloor'), '(lean − bench/floor-hook.cjs)');
  part('    guardloop run alone', (m) => m('runDirect'), '(node + CLI + git queries + guard + record)');
  part('      Node start', (m) => m('nodeE0'), '(node -e 0)');
  part('      CLI bundle load', (m) => m('version') - m('nodeE0'), '(guardloop --version − node -e 0)');
  part('      run: git queries, guard, record', (m) => m('runDirect') - m('version'), '(run − --version)');
  part('    the rest: hook scripts, post-commit', (m) => m('lean') - m('bare') - m('runDirect'), '(lean − bare − run alone)');
  part('  through husky, cache miss, over bare', (m) => m('huskyGl') - m('bare'));
  part("    husky's chain (pre-commit `true`)", (m) => m('husky') - m('bare'), '(husky alone − bare)');
  part('    post-commit through husky, exec form', (m) => m('huskyGl') - m('huskyGlPreOnly'), "(init's hooks − a lone `guardloop run` pre-commit line)");
  part('  cache hit: run part', (m) => m('runCached') - m('version'), '(run, cache hit − --version)');
  for (const n of res.notes) out(`  note: ${n}`);
}

out();
out(`load average at end: ${load()}`);
out(`commit benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
if (process.env.BENCH_COMMIT_ONLY === '1') process.exit(0);

for (const [name, what] of [['post-commit.mjs', 'the post-commit hook on a checked commit'], ['audit.mjs', 'audit of 1,000 commits'], ['extract.mjs', 'guardloop extract over 100,000 records'], ['reasons.mjs', 'the reasons an agent is sent over a scripted 8-attempt session (say it once)'], ['bigrepo.mjs', 'big repositories and big commits: 500 staged files beside husky + lint-staged 16, a 50,000-file repository'], ['session.mjs', 'a 10-stop agent session on a real TypeScript project, guardloop vs every guard on every stop']]) {
  const file = join(PROJECT, 'bench', name);
  if (!existsSync(file)) continue;
  if (name === 'session.mjs' && process.env.BENCH_SESSION === '0') continue;
  if (name === 'bigrepo.mjs' && process.env.BENCH_BIGREPO === '0') continue;
  out();
  out(`bench/${name}: ${what}`);
  out('='.repeat(`bench/${name}: ${what}`.length));
  const r = spawnSync(process.execPath, [file], { cwd: PROJECT, stdio: 'inherit', env: benchEnv() });
  if (r.status !== 0) out(`bench/${name} exited ${r.status ?? r.signal}`);
}

const store = join(PROJECT, 'bench', 'store.mjs');
if (existsSync(store)) {
  out();
  out('bench/store.mjs');
  out('===============');
  const r = spawnSync(process.execPath, [store], { cwd: PROJECT, stdio: 'inherit', env: benchEnv() });
  if (r.status !== 0) out(`bench/store.mjs exited ${r.status ?? r.signal}`);
}
process.exit(0);
