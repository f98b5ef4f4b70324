import { hostname, userInfo } from 'node:os';
import { localTz, type Signature } from '../git/objects-format.js';
import type { GitConfig } from '../git/config.js';

// Who a notes commit is by, as `git notes` would sign it: GIT_COMMITTER_* / GIT_AUTHOR_*, then
// committer.* / author.* / user.* config, then a guardloop fallback so a bare CI box still records.
export function signature(role: 'author' | 'committer', config: GitConfig, env: NodeJS.ProcessEnv = process.env, now = new Date()): Signature {
  const upper = role.toUpperCase();
  const name = env[`GIT_${upper}_NAME`] || config.get(`${role}.name`) || config.get('user.name') || env.EMAIL?.replace(/@.*/, '') || fallbackName();
  const email = env[`GIT_${upper}_EMAIL`] || config.get(`${role}.email`) || config.get('user.email') || env.EMAIL || `guardloop@${safeHost()}`;
  return { name, email, when: Math.floor(now.getTime() / 1000), tz: localTz(now) };
}

function fallbackName(): string {
  try {
    return `guardloop (${userInfo().username})`;
  } catch {
    return 'guardloop';
  }
}

function safeHost(): string {
  try {
    return hostname().replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
  } catch {
    return 'localhost';
  }
}
