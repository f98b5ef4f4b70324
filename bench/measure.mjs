// The timer of the commit benchmark (bench/commit.mjs): hyperfine -N over a group of commands, each with
// its own --prepare, interleaved — one hyperfine call per round, each round running every command once
// (warm-ups in the first round only) in an order rotated by one per round — so load that comes and goes
// on a shared machine falls on every row alike, and no row always runs right after the same other row.
// Without hyperfine (or with BENCH_NO_HYPERFINE=1) the same rounds are timed with spawnSync + hrtime.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The median of a list of numbers (NaN for none).
export function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// What the report prints of one row's times (ms).
export function stats(times) {
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const stddev = Math.sqrt(times.reduce((a, t) => a + (t - mean) ** 2, 0) / Math.max(1, times.length - 1));
  return { median: median(times), mean, stddev, min: Math.min(...times), max: Math.max(...times), runs: times.length };
}

// Whether hyperfine is there (BENCH_NO_HYPERFINE=1 forces the fallback timer, to test it).
export function hasHyperfine() {
  if (process.env.BENCH_NO_HYPERFINE === '1') return false;
  return spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).status === 0;
}

// A shell word that stands for `s` exactly: `s` itself when plainly safe, else single-quoted.
export function shQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// One argv as the single command string hyperfine -N splits again (POSIX shell words), so paths with
// spaces and `sh -c` scripts survive intact.
export function commandLine(argv) {
  return argv.map(shQuote).join(' ');
}

// The order of `n` commands in round `round`: rotated by one per round (round 0 keeps the given order).
export function roundOrder(n, round) {
  return Array.from({ length: n }, (_, i) => (i + round) % n);
}

// How a run is split into rounds: `runs` timed runs per command in `rounds` rounds (at most one round
// per run), the first rounds taking the remainder; warm-ups only in the first round.
export function roundPlan(runs, rounds, warmup) {
  const r = Math.max(1, Math.min(rounds, runs));
  const base = Math.floor(runs / r);
  return Array.from({ length: r }, (_, i) => ({ runs: base + (i < runs % r ? 1 : 0), warmup: i === 0 ? warmup : 0 }));
}

// Runs the group (each bench: name, cmd argv, prepare script path, dir — the prepare script's argument)
// and returns { name -> stats + cpu } in ms, plus the load average before and after. `cpu` is the CPU
// time (user + system) of the command and everything it started, as hyperfine reports it: per run when
// each round runs a command once, else the round's mean once per run; on a loaded machine it grows far
// less than the wall time does. The fallback timer has none.
export function measure(benches, { runs, warmup, rounds, env, work, cwd, label }) {
  const times = Object.fromEntries(benches.map((b) => [b.name, []]));
  const cpu = Object.fromEntries(benches.map((b) => [b.name, []]));
  const loadBefore = loadAverage();
  const hyperfine = hasHyperfine();
  for (const [round, plan] of roundPlan(runs, rounds, warmup).entries()) {
    const order = roundOrder(benches.length, round).map((i) => benches[i]);
    if (hyperfine) {
      const json = join(work, `hyperfine-${label}-${round}.json`);
      const args = ['-N', '--style', 'none', '--warmup', String(plan.warmup), '--runs', String(plan.runs), '--export-json', json];
      for (const b of order) args.push('--prepare', commandLine(['sh', b.prepare, b.dir]));
      for (const b of order) args.push('--command-name', b.name);
      for (const b of order) args.push(commandLine(b.cmd));
      const res = spawnSync('hyperfine', args, { cwd, env, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`hyperfine failed (${res.status}):\n${res.stderr}${res.stdout}`);
      const { results } = JSON.parse(readFileSync(json, 'utf8'));
      results.forEach((r, i) => {
        times[order[i].name].push(...r.times.map((t) => t * 1000));
        cpu[order[i].name].push(...r.times.map(() => (r.user + r.system) * 1000));
      });
      continue;
    }
    // Fallback: prepare, then time the command with a monotonic clock, in the same rounds and order.
    for (const b of order) {
      for (let i = 0; i < plan.warmup + plan.runs; i++) {
        const p = spawnSync('sh', [b.prepare, b.dir], { cwd, env, encoding: 'utf8' });
        if (p.status !== 0) throw new Error(`${b.name}: prepare exited ${p.status}: ${p.stderr}`);
        const t0 = process.hrtime.bigint();
        const res = spawnSync(b.cmd[0], b.cmd.slice(1), { cwd, env, stdio: 'ignore' });
        const t = Number(process.hrtime.bigint() - t0) / 1e6;
        if (res.status !== 0) throw new Error(`${b.name}: ${b.cmd.join(' ')} exited ${res.status}`);
        if (i >= plan.warmup) times[b.name].push(t);
      }
    }
  }
  const byName = Object.fromEntries(Object.entries(times).map(([name, ts]) => [name, { ...stats(ts), cpu: cpu[name].length ? stats(cpu[name]) : null }]));
  return { byName, loadBefore, loadAfter: loadAverage() };
}

// The 1-, 5- and 15-minute load averages as /proc/loadavg has them ("n/a" where it doesn't exist).
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}
