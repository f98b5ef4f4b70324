import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '../mocks/server.js';

const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), 'netns-launcher.mjs');

// Whether each agent run can get its own network namespace with only loopback in it.
export interface Isolation {
  netns: boolean;
  // Why not, when not.
  reason: string;
}

let probed: Isolation | undefined;

// Probes once: `unshare -n` (needs root or user namespaces) and `ip link set lo up` inside it.
// Where it isn't allowed the suite says so loudly and runs the CLIs in the host namespace, with every
// telemetry/update switch still off (see each test's env).
export function isolation(): Isolation {
  if (probed) return probed;
  const res = process.env.GUARDLOOP_E2E_NO_NETNS === '1' ? null : spawnSync('unshare', ['-n', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8', timeout: 10_000 });
  if (!res) probed = { netns: false, reason: 'GUARDLOOP_E2E_NO_NETNS=1 is set' };
  else if (res.error) probed = { netns: false, reason: `unshare -n could not run: ${res.error.message}` };
  else if (res.status !== 0) probed = { netns: false, reason: `unshare -n ip link set lo up failed (exit ${res.status}): ${res.stderr.trim()}` };
  else probed = { netns: true, reason: '' };
  process.stderr.write(
    probed.netns
      ? '[agents-e2e] network isolation: each agent CLI runs in its own network namespace (unshare -n, loopback only)\n'
      : `[agents-e2e] WARNING: NO NETWORK ISOLATION — ${probed.reason}. The agent CLIs run in the host network namespace; only their telemetry/update switches keep traffic local.\n`,
  );
  return probed;
}

export interface AgentRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
  isolated: boolean;
}

// Runs an agent CLI to completion: inside its own loopback-only network namespace when allowed (the
// mock is reached through a bridge to its Unix socket), its whole process group killed at the deadline.
export function runAgent(opts: { argv: string[]; cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; mock: MockServer; input?: string }): Promise<AgentRun> {
  const iso = isolation();
  const [file, ...args] = iso.netns ? ['unshare', '-n', process.execPath, LAUNCHER, String(opts.mock.port), opts.mock.socket, '--', ...opts.argv] : opts.argv;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Whatever the CLI left running (its hooks included) ends with it.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut, isolated: iso.netns });
    });
    child.stdin.end(opts.input ?? '');
  });
}

// The base environment of an agent run: nothing of the caller's agent, git or API settings, a
// throwaway HOME, plain output. Each test adds its CLI's own switches.
export function agentEnv(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    USER: process.env.USER ?? 'root',
    LOGNAME: process.env.USER ?? 'root',
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    GIT_CONFIG_NOSYSTEM: '1',
  };
  return { ...env, ...extra };
}
