// Extraction benchmark: an ℛ of N records (default 100,000) in realistic chains — about 30% of
// chains refinements (1–3 rejected attempts, then accepted), some escalated, some skipped commits,
// diffs of a few KB, guard feedback on every rejection — written with native `git fast-import` into
// a temp repository (notes in git's two-level fanout, as git and guardloop lay out that many), then
// `guardloop extract --format prompt-completion -o FILE` timed under /usr/bin/time -v (else, or with
// BENCH_NO_TIME=1, its own process.resourceUsage at exit): records per second and peak RSS.
// Targets: under 10 s, peak RSS under 256 MB. Reports; never gates. NODE_EXTRA_CA_CERTS is unset
// for the export. BENCH_KEEP=1 keeps the repository. Usage: node bench/extract.mjs [records=100000]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PROJECT = resolve(import.meta.dirname, '..');
const CLI = join(PROJECT, 'dist', 'cli.cjs');
const N = Number(process.argv[2] ?? 100_000);
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };
delete env.NODE_EXTRA_CA_CERTS;
for (const k of Object.keys(env)) if (/^(GIT_DIR|GIT_WORK_TREE|GIT_INDEX_FILE|GUARDLOOP)/.test(k)) delete env[k];

const work = mkdtempSync(join(tmpdir(), 'gl-bench-extract-'));
const dir = join(work, 'repo');
const git = (args, input) => {
  const r = spawnSync('git', args, { cwd: dir, env, input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};
spawnSync('git', ['init', '-q', '-b', 'main', dir], { env });
for (const [k, v] of [['user.name', 'Bench'], ['user.email', 'bench@example.com'], ['gc.auto', '0']]) git(['config', k, v]);

// A seeded generator: the same ℛ on every run.
let seed = 0x9e3779b9;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const oid = (s) => createHash('sha1').update(s).digest('hex');
const WORDS = ['const', 'value', 'return', 'await', 'items', 'filter', 'map', 'error', 'config', 'result', 'export', 'function', 'if', 'else', 'throw', 'new'];
const codeLine = () => Array.from({ length: 4 + Math.floor(rand() * 8) }, () => pick(WORDS)).join(' ');

// A diff of 1–4 KB over one to three files.
function diff(n) {
  const out = [];
  const files = [];
  for (let f = 0; f < 1 + Math.floor(rand() * 3); f++) {
    const path = `src/${pick(WORDS)}/${pick(WORDS)}-${n}-${f}.ts`;
    files.push(path);
    out.push(`diff --git a/${path} b/${path}`, `index ${oid(`a${n}${f}`).slice(0, 7)}..${oid(`b${n}${f}`).slice(0, 7)} 100644`, `--- a/${path}`, `+++ b/${path}`, '@@ -1,20 +1,24 @@');
    const lines = 10 + Math.floor(rand() * 25);
    for (let i = 0; i < lines; i++) out.push(`${pick([' ', ' ', '+', '-'])}${codeLine()}`);
  }
  return { diff: `${out.join('\n')}\n`, files };
}

const GUARDS = [
  { id: 'types', invariant: 'In this codebase, a type error must never be committed, because it causes runtime crashes.', layer: 'type', run: 'npx tsc --noEmit' },
  { id: 'lint', invariant: 'In this codebase, lint errors must never be committed, because they cause inconsistent code.', layer: 'lint', run: 'npx eslint .' },
  { id: 'unit', invariant: 'In this codebase, a failing unit test must never be committed, because it causes regressions.', layer: 'test', run: 'npm test' },
];
const feedback = (g, n) => Array.from({ length: 6 + Math.floor(rand() * 10) }, (_, i) => `src/file-${n}.ts:${i + 1}:${i * 3}: ${g.id} error: ${codeLine()}`).join('\n');

let written = 0;
let ts = Date.UTC(2026, 0, 1);
const notes = [];
function record(fields) {
  const n = written++;
  ts += 1000 + Math.floor(rand() * 60_000);
  const { diff: d, files } = diff(n);
  const r = {
    v: 1,
    id: oid(`record ${n}`).slice(0, 32),
    ts: new Date(ts).toISOString(),
    hook: fields.source === 'GENERATOR' ? 'stop' : 'pre-commit',
    source: fields.source,
    agent: fields.source === 'GENERATOR' ? 'claude' : null,
    session: fields.source === 'GENERATOR' ? fields.session : null,
    base: fields.base,
    tree: oid(`tree ${n}`),
    status: fields.status,
    reward: fields.status === 'ACCEPTED' ? 1 : fields.status === 'REJECTED' ? -1 : 0,
    spec: { configHash: 'c0ffee', guardSetHash: 'g1', guards: GUARDS, task: fields.source === 'GENERATOR' ? `Implement feature ${n % 997}: ${codeLine()}` : null },
    artifact: { diff: d, files, truncated: false },
    verdicts: GUARDS.map((g) => {
      const fail = fields.failing === g.id;
      return { guard: g.id, status: fields.status === 'SKIPPED' ? 'skipped' : fail ? 'fail' : 'pass', exit: fields.status === 'SKIPPED' ? null : fail ? 1 : 0, ms: 100 + Math.floor(rand() * 900), feedback: fail ? feedback(g, n) : '' };
    }),
    history: fields.history,
    provenance: fields.provenance,
    retry: fields.provenance.length,
    ...(fields.escalated ? { escalated: true } : {}),
  };
  notes.push({ target: r.tree, line: JSON.stringify(r) });
  return r;
}

// Chains until N records: 30% refinements, 5% escalated, 5% skipped commits, the rest accepted at once.
const kinds = { refinement: 0, escalated: 0, skipped: 0, single: 0 };
while (written < N) {
  const base = oid(`base ${written}`);
  const source = rand() < 0.5 ? 'GENERATOR' : 'HUMAN';
  const session = `s-${written}`;
  const r = rand();
  const kind = r < 0.3 ? 'refinement' : r < 0.35 ? 'escalated' : r < 0.4 ? 'skipped' : 'single';
  kinds[kind] += 1;
  if (kind === 'skipped') {
    record({ source: 'HUMAN', base, status: 'SKIPPED', history: [], provenance: [] });
    continue;
  }
  const rejections = kind === 'refinement' ? 1 + Math.floor(rand() * 3) : kind === 'escalated' ? 3 : 0;
  const provenance = [];
  const history = [];
  for (let k = 0; k < rejections && written < N; k++) {
    const g = pick(GUARDS);
    const last = kind === 'escalated' && k === rejections - 1;
    const rec = record({ source, session, base, status: 'REJECTED', failing: g.id, history: [...history], provenance: [...provenance], escalated: last });
    provenance.push(rec.id);
    history.push({ id: rec.id, status: 'REJECTED', verdicts: [{ guard: g.id, status: 'fail', feedback: rec.verdicts.find((v) => v.guard === g.id).feedback.slice(-1500) }] });
  }
  if (kind !== 'escalated' && written < N) record({ source, session, base, status: 'ACCEPTED', history, provenance });
}

// The notes commit, through fast-import, in git's fanout for this many notes (xx/yy/rest), with no
// deltas (--depth=0): fast-import would chain each note to the one before it, 50 deep, which no real
// ℛ looks like (`git repack -adf` of such a pack finds deltas for 0.2% of the notes) and which costs
// git's reads 20 times more.
const t0 = performance.now();
await new Promise((resolvePromise, reject) => {
  const fi = spawn('git', ['fast-import', '--quiet', '--done', '--depth=0'], { cwd: dir, env, stdio: ['pipe', 'inherit', 'inherit'] });
  fi.on('error', reject);
  fi.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`fast-import exited ${code}`))));
  const msg = 'guardloop: bench';
  let out = `commit refs/notes/guardloop\ncommitter Bench <bench@example.com> 1767225600 +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`;
  const chunks = [];
  for (const n of notes) {
    const body = `${n.line}\n`;
    chunks.push(`M 100644 inline ${n.target.slice(0, 2)}/${n.target.slice(2, 4)}/${n.target.slice(4)}\ndata ${Buffer.byteLength(body)}\n${body}`);
    if (chunks.length === 1000) {
      out += chunks.join('');
      chunks.length = 0;
      fi.stdin.write(out);
      out = '';
    }
  }
  fi.stdin.end(`${out}${chunks.join('')}\ndone\n`);
});
const buildS = (performance.now() - t0) / 1000;
const noteBytes = notes.reduce((s, n) => s + n.line.length + 1, 0);
notes.length = 0;

// The export, timed: wall clock and peak RSS from /usr/bin/time -v (else process.resourceUsage of a wrapper).
const out = join(work, 'out.jsonl');
const args = [CLI, 'extract', '--format', 'prompt-completion', '-o', out];
let wall;
let rssKb;
let stderr;
if (existsSync('/usr/bin/time') && !process.env.BENCH_NO_TIME) {
  const s = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  wall = (performance.now() - s) / 1000;
  stderr = r.stderr;
  rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
  if (r.status !== 0) throw new Error(`extract failed: ${r.stderr}`);
} else {
  // No /usr/bin/time: the export's own peak RSS, written at its exit by a preloaded hook.
  const preload = join(work, 'rss.cjs');
  const rssFile = join(work, 'rss.txt');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);
  const s = performance.now();
  const r = spawnSync(process.execPath, ['-r', preload, ...args], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  wall = (performance.now() - s) / 1000;
  stderr = r.stderr;
  if (r.status !== 0) throw new Error(`extract failed: ${r.stderr}`);
  rssKb = Number(readFileSync(rssFile, 'utf8'));
}
const summary = stderr.split('\n').find((l) => l.startsWith('guardloop extract:')) ?? '';
const lines = readFileSync(out, 'utf8').split('\n').filter(Boolean).length;
const rows = [
  ['ℛ generated', `${N} records`, `${kinds.refinement} refinement, ${kinds.escalated} escalated, ${kinds.skipped} skipped, ${kinds.single} single-attempt chains; ${(noteBytes / 1048576).toFixed(0)} MiB of note text`],
  ['  written with git fast-import in', `${buildS.toFixed(1)} s`, ''],
  ['extract --format prompt-completion -o FILE', `${wall.toFixed(2)} s`, `${wall < 10 ? 'PASS' : 'FAIL'} (target < 10 s)`],
  ['  records per second', `${Math.round(N / wall)}`, ''],
  ['  peak RSS', `${(rssKb / 1024).toFixed(0)} MB`, `${rssKb / 1024 < 256 ? 'PASS' : 'FAIL'} (target < 256 MB)`],
  ['  examples written', `${lines}`, `${(statSync(out).size / 1048576).toFixed(0)} MiB`],
];
const w = Math.max(...rows.map((r) => r[0].length));
console.log(`extraction benchmark, git ${git(['--version']).replace('git version ', '')}, node ${process.versions.node}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w)}  ${b.padStart(12)}  ${c}`);
console.log(summary);
if (process.env.BENCH_KEEP) console.log(`kept: ${dir}`);
else rmSync(work, { recursive: true, force: true });
