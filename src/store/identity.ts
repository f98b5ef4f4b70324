import { hostname, userInfo } from 'node:os';
import type { GitConfig } from '../git/config.js';

// Who a notes commit is by, as `git notes` would sign it: GIT_COMMITTER_* / GIT_AUTHOR_*, then
// committer.* / author.* / user.* config, then a guardloop fallback so a bare CI box still records.
export function signature(role: 'author' | 'committer', config: GitConfig, env: NodeJS.ProcessEnv = process.env): { name: string; email: string } {
  const upper = role.toUpperCase();
  const name = env[`GIT_${upper}_NAME`] || config.get(`${role}.name`) || config.get('user.name') || env.EMAIL?.replace(/@.*/, '') || fallbackName();
  const email = env[`GIT_${upper}_EMAIL`] || config.get(`${role}.email`) || config.get('user.email') || env.EMAIL || `guardloop@${safeHost()}`;
  // fast-import reads `Name <email>` up to the brackets: they and line breaks can't be in either.
  return { name: name.replace(/[<>\n]/g, ''), email: email.replace(/[<>\n]/g, '') };
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

// Where a record is written and by which OS user (records carry them: the threat model's audit trail).
export function recordOrigin(): { host: string; user: string } {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers)
  }
  return { host: safeHost(), user };
}
