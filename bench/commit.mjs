// Commit benchmark (issue 14): what one real `git commit` of one staged file costs, side by side in one
// run, under no hook, husky alone (pre-commit `true`), husky + lint-staged 16 (the peer), lefthook 2.2.1
// and prek (each running `true`), and guardloop with the trivial guard `true` and its record written —
// lean (.loop/hooks as core.hooksPath) and through husky, each on a cache miss and a cache hit; then the
// temporary checkout of a partially staged file in a 5,000-file repository, and guardloop's phases
// outside git (Node's start, the CLI's, `guardloop run` alone, an agent stop with nothing changed).
//
// The measured groups stay in this one file so the peers and guardloop can't drift into different runs;
// the repositories and installs are in bench/commit-setups.mjs, the timer in bench/measure.mjs, lefthook
// and prek in bench/peers.mjs, the agent stop in bench/agent-stop.mjs, the targets in bench/targets.mjs.
//
// Each timed commit is real: hyperfine's --prepare stages new content before every run.
// Usage: node bench/commit.mjs [runs=18]   (or import { benchCommits } from './commit.mjs')
import { existsSync, readFileSync, rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupAgentStop } from './agent-stop.mjs';
import { GUARD_CONFIG, installGuardloop, installHusky, makeRepo, notesCount, PROJECT, seed, sh, snapshotPackage, STAGE_ONE, stageAndRecord, writePrepare } from './commit-setups.mjs';
import { hasHyperfine, loadAverage, measure } from './measure.mjs';
import { ensurePeer, PEERS, PeerUnavailable, RAN_TRIVIAL, setupPeer } from './peers.mjs';

export { PROJECT, hasHyperfine };
export const CLI = join(PROJECT, 'dist', 'cli.cjs');

// The environment of everything measured: the caller's minus NODE_EXTRA_CA_CERTS (it adds ~30 ms to
// every Node start), minus what would point git elsewhere or make the run look like an agent's, and
// minus what `npm run` adds (npm_* variables, node_modules/.bin on PATH), so commits run as from a shell.
export function benchEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'NODE_EXTRA_CA_CERTS') continue;
    if (/^(GIT_|GUARDLOOP|HUSKY|LEFTHOOK|PREK|CLAUDE|CODEX|CURSOR|GEMINI|COPILOT|QWEN|npm_|INIT_CWD$|NODE$)/i.test(k) && k !== 'GIT_SSL_CAINFO') continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((p) => p && !/node_modules[\\/]\.bin$/.test(p) && !/node-gyp-bin$/.test(p))
    .join(':');
  env.GIT_CONFIG_NOSYSTEM = '1';
  return env;
}

// ---------------------------------------------------------------------------------------------
// The benchmark

// Measures every group and returns { results: key -> stats + name, groups: label -> load before/after,
// loadStart, loadEnd, setup (what init/install said, peer versions), fileCount, notes, tool }.
// `rounds` defaults to `runs`: every round runs each command once (interleaved); BENCH_ROUNDS lowers it.
export async function benchCommits({ runs = 18, warmup = 3, rounds = runs, bigRuns = Math.max(3, Math.round(runs / 3)), log = (s) => process.stdout.write(`${s}\n`) } = {}) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const env = benchEnv();
  const work = mkdtempSync(join(tmpdir(), 'guardloop-bench-'));
  const notes = [];
  const setup = {};
  try {
    const commitOnce = (repo) => sh('git', ['commit', '-m', 'smoke'], { cwd: repo.dir, env });
    const smoke = (repo, check, what) => {
      sh('sh', [writePrepare(work, `smoke-${repo.name}`, STAGE_ONE), repo.dir], { env });
      const res = commitOnce(repo);
      const text = res.stdout + res.stderr;
      if (!check(text)) throw new Error(`smoke commit in ${repo.name} did not ${what}:\n${text}`);
    };
    // A commit through guardloop's hook that runs the guard and writes exactly one record.
    const smokeRecorded = (repo) => {
      const before = notesCount(repo.dir, env);
      smoke(repo, (t) => /trivial/.test(t) && !/cached/i.test(t), 'run the guard');
      if (notesCount(repo.dir, env) !== before + 1) throw new Error(`${repo.name}: the smoke commit wrote ${notesCount(repo.dir, env) - before} records, not 1`);
    };
    const smokeCached = (repo) => {
      sh('sh', [writePrepare(work, `smoke-${repo.name}`, stageAndRecord(pkgSnap.cli)), repo.dir], { env });
      const res = commitOnce(repo);
      if (!/cached/i.test(res.stdout + res.stderr)) throw new Error(`${repo.name}: the smoke commit did not hit the cache:\n${res.stdout}${res.stderr}`);
    };

    const t0 = performance.now();
    const at = () => `[${((performance.now() - t0) / 1000).toFixed(0)} s]`;
    log(`${at()} setting up repositories…`);
    const pkgSnap = snapshotPackage(work);
    const CLI_RUN = pkgSnap.cli;
    // No hook at all.
    const bare = makeRepo(work, 'bare', env);
    seed(bare);
    // husky alone running `true`: what husky's shell chain costs before any Node starts.
    const husky = makeRepo(work, 'husky', env);
    installHusky(husky, env, { hook: 'true' });
    seed(husky);
    // The peer: husky 9 + lint-staged 16 running `true` on `*`.
    const ls = makeRepo(work, 'lint-staged', env);
    installHusky(ls, env, { hook: 'lint-staged', packages: ['lint-staged'], pkg: { 'lint-staged': { '*': 'true' } } });
    seed(ls);
    smoke(ls, (t) => /Running tasks|true/.test(t), 'run lint-staged');
    // lefthook and prek, installed once into the cache; a tool that can't be had is left out with a note.
    const peers = {};
    for (const name of Object.keys(PEERS)) {
      try {
        const peer = ensurePeer(name, { env, log: (s) => log(`${at()} ${s}`) });
        const repo = makeRepo(work, name, env);
        setupPeer(repo, peer, env);
        seed(repo);
        smoke(repo, (t) => RAN_TRIVIAL[name].test(t), `run ${name}'s trivial command`);
        peers[name] = repo;
        setup[name] = `${PEERS[name].pkg}@${peer.version}`;
      } catch (e) {
        if (!(e instanceof PeerUnavailable)) throw e;
        notes.push(`${name} not measured: ${e.message}`);
        setup[name] = 'not measured';
      }
    }
    // guardloop, lean and through husky, installed with `guardloop init`; cache miss and cache hit each.
    const glRepo = (name, mode) => {
      const repo = makeRepo(work, name, env);
      const said = installGuardloop(repo, env, { mode, glPkg: pkgSnap });
      seed(repo);
      setup[mode] ??= said;
      return repo;
    };
    const lean = glRepo('lean', 'lean');
    smokeRecorded(lean);
    const leanHit = glRepo('lean-cached', 'lean');
    smokeCached(leanHit);
    const hgl = glRepo('husky-guardloop', 'husky');
    smokeRecorded(hgl);
    const hglHit = glRepo('husky-guardloop-cached', 'husky');
    smokeCached(hglHit);
    // As measured before init wrote the hooks: husky's .husky/pre-commit holding only the line
    // `guardloop run --hook pre-commit` (no post-commit hook), for comparison with earlier runs.
    const hglPre = makeRepo(work, 'husky-guardloop-line', env);
    installHusky(hglPre, env, { hook: 'guardloop run --hook pre-commit', packages: ['guardloop'], glPkg: pkgSnap });
    hglPre.write('.loop/config.yaml', GUARD_CONFIG);
    seed(hglPre);
    smokeRecorded(hglPre);

    // The floor: a minimal Node pre-commit hook that writes a record (bench/floor-hook.cjs), run by git
    // directly as guardloop's lean hook is (core.hooksPath, one shell, exec node).
    const floorRepo = makeRepo(work, 'node-floor', env);
    floorRepo.write('.hooks/pre-commit', `#!/bin/sh\nexec "${process.execPath}" "${join(PROJECT, 'bench', 'floor-hook.cjs')}"\n`);
    sh('chmod', ['+x', join(floorRepo.dir, '.hooks/pre-commit')], { env });
    floorRepo.git('config', 'core.hooksPath', '.hooks');
    seed(floorRepo);
    smoke(floorRepo, () => floorRepo.git('notes', '--ref=bench-floor', 'list').split('\n').filter(Boolean).length === 1, 'write its note');
    // The same hook through husky: husky's chain, then the minimal Node hook.
    const huskyFloor = makeRepo(work, 'husky-node-floor', env);
    installHusky(huskyFloor, env, { hook: `exec "${process.execPath}" "${join(PROJECT, 'bench', 'floor-hook.cjs')}"` });
    seed(huskyFloor);
    smoke(huskyFloor, () => huskyFloor.git('notes', '--ref=bench-floor', 'list').split('\n').filter(Boolean).length === 1, 'write its note');

    // 5,000 files: a partially staged file (temporary checkout) vs the same commit fully staged.
    const big = makeRepo(work, 'files-5000', env);
    installHusky(big, env, { hook: 'guardloop run --hook pre-commit', packages: ['guardloop'], glPkg: pkgSnap });
    big.write('.loop/config.yaml', GUARD_CONFIG);
    const body = Array.from({ length: 30 }, (_, i) => `export const value${i} = ${i}; // a line of ordinary source text\n`).join('');
    for (let d = 0; d < 50; d++) for (let f = 0; f < 100; f++) big.write(`src/m${d}/f${f}.ts`, `// module ${d}/${f}\n${body}`);
    big.write('partial.txt', `top base\n${Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join('')}bottom base\n`);
    seed(big);
    // Packed, as a cloned repository is.
    big.git('repack', '-adq');
    big.git('prune-packed');
    const fileCount = Number(big.git('ls-files').split('\n').length);
    const mid = 'i=0; while [ $i -lt 40 ]; do echo "line $i"; i=$((i+1)); done';
    const STAGE_CLEAN = `{ echo "top $stamp"; ${mid}; echo "bottom base"; } > partial.txt\ngit add partial.txt`;
    const STAGE_PARTIAL = `${STAGE_CLEAN}\n{ echo "top $stamp"; ${mid}; echo "bottom unstaged $stamp"; } > partial.txt`;
    {
      const lastRecord = () => JSON.parse(big.git('notes', '--ref=guardloop', 'show', 'HEAD^{tree}').split('\n').filter(Boolean).pop());
      sh('sh', [writePrepare(work, 'smoke-partial', STAGE_PARTIAL), big.dir], { env });
      commitOnce(big);
      if (lastRecord().isolated !== true) throw new Error('partially staged smoke commit did not use a temporary checkout');
      if (!/bottom unstaged/.test(readFileSync(join(big.dir, 'partial.txt'), 'utf8'))) throw new Error('unstaged hunk lost');
      sh('sh', [writePrepare(work, 'smoke-clean', STAGE_CLEAN), big.dir], { env });
      commitOnce(big);
      if (lastRecord().isolated !== false) throw new Error('fully staged smoke commit used a temporary checkout');
    }
    // Phases (outside git): Node's start, the CLI's start, `guardloop run` called directly.
    const phase = glRepo('phases', 'lean');
    // An agent stop with nothing changed: lean mode with `--agent claude`, HEAD's tree ACCEPTED through the hook.
    const agent = makeRepo(work, 'agent-claude', env);
    installGuardloop(agent, env, { mode: 'lean', glPkg: pkgSnap, agents: ['claude'] });
    seed(agent);
    smokeRecorded(agent);
    const headRecord = JSON.parse(agent.git('notes', '--ref=guardloop', 'show', 'HEAD^{tree}').split('\n').filter(Boolean).pop());
    if (headRecord.status !== 'ACCEPTED') throw new Error(`agent repo: HEAD's tree has a ${headRecord.status} record, not ACCEPTED`);
    const stopArgv = setupAgentStop(agent, work, env);
    const agentRecords = notesCount(agent.dir, env);

    const prep = {
      one: writePrepare(work, 'one', STAGE_ONE),
      record: writePrepare(work, 'record', stageAndRecord(CLI_RUN)),
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
      { key: 'husky', name: 'husky 9 alone, pre-commit `true`', dir: husky.dir, prepare: prep.one, cmd: COMMIT },
      { key: 'lintStaged', name: 'husky + lint-staged 16 (`true` on *)', dir: ls.dir, prepare: prep.one, cmd: COMMIT },
      ...(peers.lefthook ? [{ key: 'lefthook', name: `lefthook ${PEERS.lefthook.version} (\`true\`)`, dir: peers.lefthook.dir, prepare: prep.one, cmd: COMMIT }] : []),
      ...(peers.prek ? [{ key: 'prek', name: `prek ${PEERS.prek.version} (\`true\`)`, dir: peers.prek.dir, prepare: prep.one, cmd: COMMIT }] : []),
      { key: 'nodeFloor', name: 'a minimal Node hook writing a note (floor)', dir: floorRepo.dir, prepare: prep.one, cmd: COMMIT },
      { key: 'huskyFloor', name: '  the same through husky (floor)', dir: huskyFloor.dir, prepare: prep.one, cmd: COMMIT },
      { key: 'lean', name: 'guardloop lean, cache miss', dir: lean.dir, prepare: prep.one, cmd: COMMIT },
      { key: 'leanCached', name: 'guardloop lean, cache hit', dir: leanHit.dir, prepare: prep.record, cmd: COMMIT },
      { key: 'huskyGl', name: 'guardloop through husky, cache miss', dir: hgl.dir, prepare: prep.one, cmd: COMMIT },
      { key: 'huskyGlCached', name: 'guardloop through husky, cache hit', dir: hglHit.dir, prepare: prep.record, cmd: COMMIT },
      { key: 'huskyGlPreOnly', name: '  husky, only a `guardloop run` line', dir: hglPre.dir, prepare: prep.one, cmd: COMMIT },
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
      { key: 'runDirect', name: 'guardloop run --hook pre-commit, new content', dir: phase.dir, prepare: prep.one, cmd: [node, CLI_RUN, 'run', '--hook', 'pre-commit'] },
      { key: 'runCached', name: 'guardloop run --hook pre-commit, cache hit', dir: phase.dir, prepare: prep.record, cmd: [node, CLI_RUN, 'run', '--hook', 'pre-commit'] },
      { key: 'agentStop', name: 'agent stop (Claude Code), nothing changed', dir: agent.dir, prepare: prep.none, cmd: stopArgv },
    ];
    // hyperfine runs `cmd` in its own cwd: give each command its repository with `git -C`.
    const inDir = (b) => (b.cmd[0] === 'git' ? { ...b, cmd: ['git', '-C', b.dir, ...b.cmd.slice(1)] } : b);
    const results = {};
    const groups = {};
    const loadStart = loadAverage();
    const plan = [
      ['commits', main, { runs, warmup, rounds }],
      ['files', files, { runs: bigRuns, warmup: Math.min(warmup, 1), rounds: Math.min(rounds, bigRuns) }],
      ['floor', floor, { runs: 3, warmup: 0, rounds: 1 }],
      ['phases', phases, { runs, warmup, rounds }],
    ];
    for (const [label, group, counts] of plan) {
      log(`${at()} measuring ${label} (load ${loadAverage()}): ${group.map((b) => b.name.trim()).join(' | ')}`);
      try {
        const m = measure(group.map(inDir), { ...counts, env, work, cwd: group[0].cmd[0] === node ? group[0].dir : work, label });
        for (const b of group) results[b.key] = { ...m.byName[b.name], name: b.name };
        groups[label] = { loadBefore: m.loadBefore, loadAfter: m.loadAfter };
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
    const loadEnd = loadAverage();
    log(`${at()} done`);
    for (const repo of [lean, hgl, hglPre]) {
      const records = notesCount(repo.dir, env);
      const commits = Number(repo.git('rev-list', '--count', 'HEAD'));
      if (records < commits - 1) notes.push(`${repo.name}: ${records} records for ${commits} commits`);
    }
    const stops = notesCount(agent.dir, env) - agentRecords;
    notes.push(`agent stops: ${stops} records written by ${results.agentStop?.runs ?? 0} timed stops (+ warm-ups) on the ACCEPTED tree`);
    return { results, groups, loadStart, loadEnd, setup, fileCount, notes, tool: hasHyperfine() ? 'hyperfine' : 'fallback timer' };
  } finally {
    if (process.env.BENCH_KEEP === '1') log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const res = await benchCommits({ runs: Number(process.argv[2] ?? 18) });
  console.log(JSON.stringify(res, null, 2));
}
