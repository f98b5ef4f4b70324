// `guardloop audit` benchmark: a branch of N commits (default 1,000), each tree with an ACCEPTED
// record, in an ℛ that also holds NOISE records of other trees (default 10,000: a fanned-out notes
// tree); the audit of the whole branch (the CLI process, and the library call alone) beside `git
// log` of the same range and a bare Node start. Reports; never gates.
// Usage: npm run build && node bench/audit.mjs [commits=1000] [noise=10000]
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv, PROJECT } from './commit.mjs';

const N = Number(process.argv[2] ?? 1000);
const NOISE = Number(process.argv[3] ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const CLI = join(PROJECT, 'dist', 'cli.cjs');
if (!existsSync(CLI)) throw new Error('dist/cli.cjs is missing: run npm run build first');
const env = benchEnv();
const work = mkdtempSync(join(tmpdir(), 'gl-bench-audit-'));
const bundle = join(work, 'audit.mjs');
await build({
  stdin: {
    contents: "export { openRepository } from './src/store/repository.ts'; export { finishRecord } from './src/store/record.ts'; export { audit } from './src/audit/audit.ts';",
    resolveDir: PROJECT,
    loader: 'ts',
  },
  outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning',
  banner: { js: "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);" },
});
const { openRepository, finishRecord, audit } = await import(bundle);

const git = (cwd, args, input) => execFileSync('git', args, { cwd, input, env, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;
const fake = (i) => createHash('sha1').update(`noise${i}`).digest('hex');

function record(i, tree, status) {
  return finishRecord({
    v: 1, ts: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), hook: 'pre-commit', source: 'HUMAN', agent: null, session: null, base: null,
    tree, status, reward: status === 'ACCEPTED' ? 1 : -1,
    spec: { configHash: 'c', guardSetHash: 'g', guards: [{ id: 'test', invariant: 'In this codebase, X must never happen, because it causes Y.', layer: 'test', run: 'npm test' }], task: null },
    artifact: { diff: `diff --git a/f b/f\n+line ${i}\n`, files: ['f'], truncated: false },
    verdicts: [{ guard: 'test', status: status === 'ACCEPTED' ? 'pass' : 'fail', exit: status === 'ACCEPTED' ? 0 : 1, ms: 5, feedback: '' }],
    history: [], provenance: [], retry: 0,
  }).record;
}

try {
  const dir = join(work, 'repo');
  git(work, ['init', '-q', '-b', 'main', dir]);
  for (const [k, v] of [['user.name', 'Bench'], ['user.email', 'bench@example.com'], ['gc.auto', '0']]) git(dir, ['config', k, v]);
  // N commits in one fast-import stream, each changing one file (so each has its own tree).
  let stream = '';
  for (let i = 1; i <= N; i++) {
    const msg = `commit ${i}`;
    const body = `content ${i}\n`;
    stream += `commit refs/heads/main\ncommitter Bench <bench@example.com> ${1767225600 + i} +0000\ndata ${msg.length}\n${msg}\n`;
    stream += `M 100644 inline f\ndata ${body.length}\n${body}\n`;
  }
  git(dir, ['fast-import', '--quiet'], stream);
  git(dir, ['reset', '-q', '--hard', 'main']);
  const trees = git(dir, ['log', '--format=%T', 'main']).split('\n');
  const repo = await openRepository({ cwd: dir });
  for (let i = 0; i < NOISE; i += 1000) await repo.append(Array.from({ length: Math.min(1000, NOISE - i) }, (_, j) => record(N + i + j, fake(i + j), (i + j) % 4 ? 'ACCEPTED' : 'REJECTED')));
  await repo.append(trees.map((t, i) => record(i, t, 'ACCEPTED')));
  await repo.close();

  const cli = [];
  const lib = [];
  const log = [];
  const node = [];
  let checked = 0;
  for (let r = 0; r < RUNS; r++) {
    let s = performance.now();
    const res = spawnSync(process.execPath, [CLI, 'audit', 'main', '--json'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 30 });
    cli.push(performance.now() - s);
    if (res.status !== 0) throw new Error(`audit exited ${res.status}: ${res.stderr}`);
    checked = JSON.parse(res.stdout).total;
    s = performance.now();
    const report = await audit({ cwd: dir, range: ['main'], env });
    lib.push(performance.now() - s);
    if (report.unverified.length) throw new Error('unverified commits in the bench repository');
    s = performance.now();
    spawnSync('git', ['log', '--format=%H%x00%h%x00%T%x00%P%x00%an%x00%s', 'main'], { cwd: dir, env, maxBuffer: 1 << 30 });
    log.push(performance.now() - s);
    s = performance.now();
    spawnSync(process.execPath, ['-e', ''], { env });
    node.push(performance.now() - s);
  }
  const out = (s) => process.stdout.write(`${s}\n`);
  out(`guardloop audit benchmark: ${checked} commits, each with an ACCEPTED record, in an ℛ of ${N + NOISE} records; median of ${RUNS} runs`);
  out(`  guardloop audit main --json (CLI process)   ${ms(median(cli))}`);
  out(`  audit() in process (list + byTrees + judge)  ${ms(median(lib))}`);
  out(`  git log of the same range                    ${ms(median(log))}`);
  out(`  node -e '' (Node start, for reference)       ${ms(median(node))}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
