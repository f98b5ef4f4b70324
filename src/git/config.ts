import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gitRaw } from './git.js';

// Git configuration as the store needs it: keys lower-cased ("section.sub.key" with the
// subsection's case kept), last value wins.
export type GitConfig = Map<string, string>;

class NeedsGit extends Error {}

function unquote(raw: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\') {
      const n = raw[++i];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'b' ? '\b' : (n ?? '');
    } else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return quoted ? out : out.replace(/\s+$/, '');
}

// Parses one config file; throws NeedsGit for what only git itself resolves (includes).
function parseConfig(text: string, into: GitConfig): void {
  let section = '';
  const lines = text.replace(/\\\r?\n/g, '').split(/\r?\n/);
  for (const rawLine of lines) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const m = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\](.*)$/.exec(line);
      if (!m) throw new NeedsGit('unparsed section');
      const [name, ...dotted] = m[1].split('.');
      section = m[2] !== undefined ? `${name.toLowerCase()}.${m[2].replace(/\\(.)/g, '$1')}` : [name, ...dotted].join('.').toLowerCase();
      if (name.toLowerCase() === 'include' || name.toLowerCase() === 'includeif') throw new NeedsGit('include');
      const rest = m[3].trim();
      if (rest && !rest.startsWith('#') && !rest.startsWith(';')) parseConfig(rest, into);
      continue;
    }
    const m = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=(.*))?$/.exec(line);
    if (!m || !section) throw new NeedsGit('unparsed line');
    into.set(`${section}.${m[1].toLowerCase()}`, m[2] === undefined ? 'true' : unquote(m[2].trim()));
  }
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function configFiles(gitDir: string, commonDir: string, env: NodeJS.ProcessEnv): string[] {
  const files: string[] = [];
  if (!env.GIT_CONFIG_NOSYSTEM) files.push(env.GIT_CONFIG_SYSTEM ?? '/etc/gitconfig');
  if (env.GIT_CONFIG_GLOBAL !== undefined) files.push(env.GIT_CONFIG_GLOBAL);
  else {
    const home = env.HOME ?? homedir();
    files.push(join(env.XDG_CONFIG_HOME || join(home, '.config'), 'git', 'config'), join(home, '.gitconfig'));
  }
  files.push(join(commonDir, 'config'));
  if (gitDir !== commonDir) files.push(join(gitDir, 'config.worktree'));
  return files;
}

// Reads the effective configuration in-process (a hook can't afford a `git config` process per
// commit); anything only git resolves (includes, `git -c`) falls back to `git config --list`.
export async function readGitConfig(opts: { cwd: string; gitDir: string; commonDir: string; env?: NodeJS.ProcessEnv }): Promise<GitConfig> {
  const env = opts.env ?? process.env;
  try {
    if (env.GIT_CONFIG_PARAMETERS || env.GIT_CONFIG) throw new NeedsGit('env');
    const config: GitConfig = new Map();
    for (const file of configFiles(opts.gitDir, opts.commonDir, env)) {
      const text = readIfExists(file);
      if (text !== null) parseConfig(text, config);
    }
    const count = Number(env.GIT_CONFIG_COUNT ?? 0);
    for (let i = 0; i < count; i++) {
      const key = env[`GIT_CONFIG_KEY_${i}`];
      if (key) config.set(key.replace(/^([^.]*)/, (s) => s.toLowerCase()).replace(/([^.]*)$/, (s) => s.toLowerCase()), env[`GIT_CONFIG_VALUE_${i}`] ?? '');
    }
    return config;
  } catch (e) {
    if (!(e instanceof NeedsGit)) throw e;
    const { stdout } = await gitRaw(['config', '-z', '--list'], { cwd: opts.cwd, okCodes: [1] });
    const config: GitConfig = new Map();
    for (const item of stdout.toString('utf8').split('\0')) {
      if (!item) continue;
      const nl = item.indexOf('\n');
      config.set(nl < 0 ? item : item.slice(0, nl), nl < 0 ? 'true' : item.slice(nl + 1));
    }
    return config;
  }
}

// git's integer spelling, with k/m/g suffixes.
export function configInt(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const m = /^(-?\d+)\s*([kmg]?)$/i.exec(value.trim());
  if (!m) return fallback;
  return Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()] ?? 1);
}
