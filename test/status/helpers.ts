import { expect } from 'vitest';
import { cleanEnv, CLI, exec } from '../helpers/git-repo.js';

export type Env = Record<string, string | undefined>;

// `guardloop status` and `status --json` in `cwd`: both must agree on the exit code.
export async function status(cwd: string, env: Env = {}) {
  const run = (args: string[]) => exec(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env) });
  const text = await run(['status']);
  const json = await run(['status', '--json']);
  expect(json.code, json.stderr).toBe(text.code);
  return { code: text.code, text: text.stdout, stderr: text.stderr, json: JSON.parse(json.stdout) };
}
