import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { publishCacheDir } from '../../helpers/cache-dir.js';

// The agent CLIs the suite drives, pinned: the versions whose protocols and quirks
// ../shared/reference/agent-hooks.md records. Bump deliberately, then run `npm run test:agents`.
export const AGENT_CLIS = {
  claude: { pkg: '@anthropic-ai/claude-code', version: '2.1.330', bin: 'claude' },
  codex: { pkg: '@openai/codex', version: '0.169.0', bin: 'codex' },
  gemini: { pkg: '@google/gemini-cli', version: '0.61.0', bin: 'gemini' },
  // A Node loader that runs the native binary of the platform package npm installed beside it.
  copilot: { pkg: '@github/copilot', version: '1.0.102', bin: 'copilot' },
  // Declares node >=22; runs on the Node 20 the suite uses (npm only warns).
  qwen: { pkg: '@qwen-code/qwen-code', version: '0.24.4', bin: 'qwen' },
} as const;

export type AgentCli = keyof typeof AGENT_CLIS;

// Where the CLIs are installed: outside the repository, shared by every checkout of it
// (GUARDLOOP_AGENT_CLI_CACHE, else $XDG_CACHE_HOME/guardloop-agent-clis, else ~/.cache/guardloop-agent-clis).
export function cacheRoot(): string {
  if (process.env.GUARDLOOP_AGENT_CLI_CACHE) return process.env.GUARDLOOP_AGENT_CLI_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'guardloop-agent-clis');
}

export interface InstalledCli {
  name: AgentCli;
  version: string;
  // Absolute path of the CLI's executable.
  bin: string;
  // Whether this call installed it (false: it was already in the cache).
  installed: boolean;
  ms: number;
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

// Installs one CLI at its pinned version into the cache on first use (npm, from the registry); later
// calls find it there. Installs go to a scratch folder renamed into place, so two test workers (or an
// interrupted install) never leave a half-installed CLI behind.
export async function ensureCli(name: AgentCli): Promise<InstalledCli> {
  const started = Date.now();
  const { pkg, version, bin } = AGENT_CLIS[name];
  const dir = join(cacheRoot(), `${name}@${version}`);
  const marker = join(dir, 'guardloop-installed.json');
  const binPath = join(dir, 'node_modules', '.bin', bin);
  const done = (installed: boolean): InstalledCli => ({ name, version, bin: binPath, installed, ms: Date.now() - started });
  if (existsSync(marker) && existsSync(binPath)) return done(false);
  mkdirSync(cacheRoot(), { recursive: true });
  const scratch = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: `guardloop-agent-cli-${name}`, private: true }));
  process.stderr.write(`[agents-e2e] installing ${pkg}@${version} into ${dir} (first use; cached afterwards)\n`);
  const res = await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `${pkg}@${version}`], scratch);
  if (res.code !== 0 || !existsSync(join(scratch, 'node_modules', '.bin', bin))) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`npm install ${pkg}@${version} failed (exit ${res.code}):\n${res.out.slice(-4000)}`);
  }
  const got = JSON.parse(readFileSync(join(scratch, 'node_modules', ...pkg.split('/'), 'package.json'), 'utf8')).version;
  if (got !== version) throw new Error(`npm installed ${pkg}@${got}, expected ${version}`);
  writeFileSync(join(scratch, 'guardloop-installed.json'), JSON.stringify({ pkg, version, at: new Date().toISOString() }));
  // Another worker may have finished first: then its install is the one used.
  return done(publishCacheDir(scratch, dir, marker));
}
