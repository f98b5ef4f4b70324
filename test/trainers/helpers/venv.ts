import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { publishCacheDir } from '../../helpers/cache-dir.js';
const HERE = dirname(fileURLToPath(import.meta.url));

// The pinned trainers (torch, transformers, datasets, trl, tokenizers, accelerate) `npm run test:trainers` installs.
export const REQUIREMENTS = join(HERE, '..', 'requirements.txt');

// The script that runs one training step on an exported file.
export const TRAIN_STEP = join(HERE, '..', 'train_step.py');

// What the global setup hands the tests: a Python with the trainers, or why there is none.
export type TrainersEnv =
  | { ok: true; python: string; dir: string; installed: boolean; installMs: number; versions: Record<string, string> }
  | { ok: false; reason: string };

// Where the environment lives: outside the repository, shared by every checkout of it
// (GUARDLOOP_TRAINERS_CACHE, else $XDG_CACHE_HOME/guardloop-trainers, else ~/.cache/guardloop-trainers).
export function trainersCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GUARDLOOP_TRAINERS_CACHE) return env.GUARDLOOP_TRAINERS_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'guardloop-trainers');
}

// The pins as name → version, read from requirements.txt.
export function pinnedVersions(): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const line of readFileSync(REQUIREMENTS, 'utf8').split('\n')) {
    const m = /^([A-Za-z0-9_.-]+)==(\S+)/.exec(line.trim());
    if (m) pins[m[1].toLowerCase()] = m[2];
  }
  return pins;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, out: `${out}${e.message}`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, timedOut });
    });
  });
}

// pip's output without the lines an unreachable default index repeats for every package.
function pipTail(out: string): string {
  return out
    .split('\n')
    .filter((l) => !/Retrying \(Retry\(|is ignored: it is neither a file nor a directory/.test(l))
    .join('\n')
    .slice(-3000);
}

const VERSIONS_PY = `import json, platform, accelerate, datasets, tokenizers, torch, transformers, trl
print(json.dumps({"python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__, "datasets": datasets.__version__, "trl": trl.__version__, "tokenizers": tokenizers.__version__, "accelerate": accelerate.__version__}))`;

// A virtual environment with the pinned trainers: made once with `python3 -m venv` and
// `pip install -r requirements.txt` from the configured package index, into a scratch folder renamed
// into place (an interrupted install or a second checkout never leaves a half-made one); later calls
// reuse it. Where it cannot be made (no python3, no venv module, pip can't get the packages), says why.
export async function ensureTrainersEnv(env: NodeJS.ProcessEnv = process.env): Promise<TrainersEnv> {
  const started = Date.now();
  const base = env.GUARDLOOP_TRAINERS_PYTHON || 'python3';
  const probe = spawnSync(base, ['-c', 'import sys, venv; print(sys.version.split()[0])'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return { ok: false, reason: `${base} with the venv module is not available (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()})` };
  }
  const pyVersion = probe.stdout.trim();
  const key = createHash('sha256').update(readFileSync(REQUIREMENTS)).update(`\0${pyVersion}`).digest('hex').slice(0, 12);
  const root = trainersCacheRoot(env);
  const dir = join(root, `venv-${key}`);
  const marker = join(dir, 'guardloop-installed.json');
  const python = join(dir, 'bin', 'python');
  if (existsSync(marker) && spawnSync(python, ['-c', 'import sys'], { encoding: 'utf8' }).status === 0) {
    const { versions } = JSON.parse(readFileSync(marker, 'utf8'));
    return { ok: true, python, dir, installed: false, installMs: Date.now() - started, versions };
  }
  mkdirSync(root, { recursive: true });
  const scratch = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const fail = (what: string, res: { code: number | null; out: string; timedOut: boolean }): TrainersEnv => {
    rmSync(scratch, { recursive: true, force: true });
    const how = res.timedOut ? 'timed out' : `exit ${res.code}`;
    return { ok: false, reason: `${what} failed (${how}) after ${Math.round((Date.now() - started) / 1000)}s:\n${pipTail(res.out)}` };
  };
  const made = await run(base, ['-m', 'venv', scratch], env, 5 * 60_000);
  if (made.code !== 0) return fail(`${base} -m venv`, made);
  process.stderr.write(`[trainers] installing ${Object.entries(pinnedVersions()).map(([n, v]) => `${n}==${v}`).join(' ')} into ${dir} (first use; cached afterwards)\n`);
  // An unreachable default index next to a configured one costs pip's retries on every package:
  // no retries unless the caller asks for them (PIP_RETRIES).
  const pipEnv = { ...env, PIP_RETRIES: env.PIP_RETRIES ?? '0', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };
  const pip = await run(join(scratch, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '-r', REQUIREMENTS], pipEnv, 45 * 60_000);
  if (pip.code !== 0) return fail(`pip install -r ${REQUIREMENTS}`, pip);
  const probed = await run(join(scratch, 'bin', 'python'), ['-c', VERSIONS_PY], env, 5 * 60_000);
  if (probed.code !== 0) return fail('importing the installed trainers', probed);
  const versions = JSON.parse(probed.out.trim().split('\n').pop()!) as Record<string, string>;
  for (const [name, pin] of Object.entries(pinnedVersions())) {
    const got = versions[name];
    // torch's CPU build carries a local label (2.13.0+cpu): == ignores it, as pip does.
    if (got?.split('+')[0] !== pin) {
      rmSync(scratch, { recursive: true, force: true });
      return { ok: false, reason: `pip installed ${name} ${got}, not the pinned ${pin} (${REQUIREMENTS})` };
    }
  }
  const installMs = Date.now() - started;
  writeFileSync(join(scratch, 'guardloop-installed.json'), JSON.stringify({ versions, installMs, at: new Date().toISOString() }, null, 2));
  // Another run may have finished first: then its environment is the one used.
  return { ok: true, python, dir, installed: publishCacheDir(scratch, dir, marker), installMs, versions };
}
