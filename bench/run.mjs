// `npm run bench`: the commit benchmark (guardloop vs husky + lint-staged 16 vs no hook, cache hit,
// the temporary checkout in a 5,000-file repository, and a start-up breakdown), then the store
// benchmark (bench/store.mjs) when it exists. Reports; never gates: exits 0 whatever the ratios.
// Env: BENCH_RUNS (default 18), BENCH_WARMUP (default 3), BENCH_ROUNDS (default 3), BENCH_SESSION=0 skips
// bench/session.mjs (a few minutes; it downloads its project from npm once).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchCommits, benchEnv, hasHyperfine, PROJECT } from './commit.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 18);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const TARGET = 0.6;
const started = performance.now();

const out = (s = '') => process.stdout.write(`${s}\n`);
const version = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: benchEnv() });
  return r.status === 0 ? r.stdout.trim().split('\n')[0] : 'absent';
};
const pkgVersion = (name) => JSON.parse(readFileSync(join(PROJECT, 'node_modules', name, 'package.json'), 'utf8')).version;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

out('guardloop commit benchmark');
out('==========================');
out(`machine: ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}`);
out(`node ${process.version}, ${version('git', ['--version'])}, ${hasHyperfine() ? version('hyperfine', ['--version']) : 'hyperfine ABSENT: fallback N-run median timer (spawnSync + hrtime)'}`);
out(`guardloop ${JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')).version}, husky ${pkgVersion('husky')}, lint-staged ${pkgVersion('lint-staged')}`);
out(`NODE_EXTRA_CA_CERTS: ${process.env.NODE_EXTRA_CA_CERTS ? 'set in the caller, removed for everything measured' : 'unset'}`);
out(`load average at start: ${load()}`);
out(`runs: ${RUNS} timed per row (${Math.max(ROUNDS, Math.round(RUNS / 3))} in the 5,000-file repo, 1 warm-up) pooled from ${ROUNDS} round(s) (${WARMUP} warm-ups, then 1 per later round), ${hasHyperfine() ? 'hyperfine -N' : 'fallback timer'}; a new staged change is prepared before every run`);
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
  const bare = r.bare.median;
  const fmt = (x) => x.toFixed(1).padStart(7);
  const sign = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`.padStart(8);
  const row = (key, over = bare, overLabel = true) => {
    const x = r[key];
    const o = overLabel ? sign(x.median - over) : ''.padStart(8);
    out(`${x.name.padEnd(46)} ${fmt(x.median)} ${o}   ${fmt(x.mean)} ± ${x.stddev.toFixed(1).padStart(5)}  ${fmt(x.min)} ${fmt(x.max)}`);
  };
  out();
  out(`timed with: ${res.tool}; load average at start of measuring ${res.loadStart}`);
  out();
  out(`${'one staged file'.padEnd(46)} ${'median'.padStart(7)} ${'overhead'.padStart(8)}   ${'mean ± σ'.padStart(15)}  ${'min'.padStart(7)} ${'max'.padStart(7)}   (ms)`);
  out('-'.repeat(104));
  row('bare', bare, false);
  row('husky');
  row('lintStaged');
  row('guardloop');
  row('cached');
  out();
  out(`${`repository of ${res.fileCount} files`.padEnd(46)} ${'median'.padStart(7)} ${'over ←'.padStart(8)}`);
  out('-'.repeat(104));
  row('bigBare', 0, false);
  row('bigClean', r.bigBare.median);
  row('bigPartial', r.bigBare.median);
  if (res.results.bigPartialShm) row('bigPartialShm', r.bigBare.median);
  row('checkoutFloor', 0, false);
  out();
  out(`${'guardloop phases (outside git commit)'.padEnd(46)} ${'median'.padStart(7)}`);
  out('-'.repeat(104));
  row('nodeE0', 0, false);
  row('version', 0, false);
  row('runDirect', 0, false);
  row('runCached', 0, false);

  const lsOver = r.lintStaged.median - bare;
  const glOver = r.guardloop.median - bare;
  const hitOver = r.cached.median - bare;
  const verdict = (x) => (Number.isNaN(x) ? 'n/a' : x <= TARGET ? 'PASS' : 'FAIL');
  out();
  out('ratios');
  out('-'.repeat(104));
  out(`guardloop overhead ÷ husky+lint-staged overhead   ${(glOver / lsOver).toFixed(2).padStart(5)}   (${glOver.toFixed(1)} / ${lsOver.toFixed(1)} ms; target ≤ ${TARGET})  ${verdict(glOver / lsOver)}`);
  out(`cache-hit overhead ÷ husky+lint-staged overhead   ${(hitOver / lsOver).toFixed(2).padStart(5)}   (${hitOver.toFixed(1)} / ${lsOver.toFixed(1)} ms; target ≤ ${TARGET})  ${verdict(hitOver / lsOver)}`);
  out(`partially staged ÷ all staged (${res.fileCount} files)     ${(r.bigPartial.median / r.bigClean.median).toFixed(2).padStart(5)}   (${r.bigPartial.median.toFixed(1)} / ${r.bigClean.median.toFixed(1)} ms; the temporary checkout costs +${(r.bigPartial.median - r.bigClean.median).toFixed(1)} ms,`);
  out(`${''.padEnd(58)}a plain \`git checkout-index -a\` + \`rm -rf\` of the same tree takes ${r.checkoutFloor.median.toFixed(1)} ms here)`);
  if (res.results.bigPartialShm) out(`partially staged with TMPDIR on tmpfs ÷ all staged  ${(r.bigPartialShm.median / r.bigClean.median).toFixed(2).padStart(5)}   (${r.bigPartialShm.median.toFixed(1)} / ${r.bigClean.median.toFixed(1)} ms)`);
  out();
  out('where guardloop\'s time goes (medians)');
  out('-'.repeat(104));
  const nodeStart = r.nodeE0.median;
  const hookShell = r.husky.median - bare;
  const inHook = r.guardloop.median - r.husky.median;
  out(`  bare git commit                          ${fmt(bare)}`);
  out(`  husky hook shell (sh, dirname, …)        ${fmt(hookShell)}   (husky with \`true\` − bare)`);
  out(`  guardloop inside the hook                ${fmt(inHook)}   (husky + guardloop − husky with \`true\`)`);
  out(`    Node start                             ${fmt(nodeStart)}   (node -e 0)`);
  out(`    CLI bundle load                        ${fmt(r.version.median - nodeStart)}   (guardloop --version − node -e 0)`);
  out(`    run: git queries, guard, record        ${fmt(r.runDirect.median - r.version.median)}   (guardloop run --no-cache − guardloop --version)`);
  out(`  guardloop inside the hook, cache hit     ${fmt(r.cached.median - r.husky.median)}   (cache hit − husky with \`true\`)`);
  out(`    run part of a cache hit                ${fmt(r.runCached.median - r.version.median)}   (guardloop run, cached − guardloop --version)`);
  for (const n of res.notes) out(`  note: ${n}`);
}

out();
out(`load average at end: ${load()}`);
out(`commit benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);

for (const [name, what] of [['post-commit.mjs', 'the post-commit hook on a checked commit'], ['audit.mjs', 'audit of 1,000 commits'], ['extract.mjs', 'guardloop extract over 100,000 records'], ['reasons.mjs', 'the reasons an agent is sent over a scripted 8-attempt session (say it once)'], ['session.mjs', 'a 10-stop agent session on a real TypeScript project, guardloop vs every guard on every stop']]) {
  const file = join(PROJECT, 'bench', name);
  if (!existsSync(file)) continue;
  if (name === 'session.mjs' && process.env.BENCH_SESSION === '0') continue;
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
