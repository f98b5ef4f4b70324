import { spawn } from 'node:child_process';
import { devNull } from 'node:os';
import { delimiter, dirname } from 'node:path';

// How `guardloop demo` runs its commands: in an environment of its own (nothing that points git at
// another repository, no user or system git config, no agent's marker, the running Node first on PATH),
// each command's output captured in the order it arrived, as a terminal would have shown it.

// Variables the demo's commands never inherit: git's (a hook that runs the demo sets GIT_DIR,
// GIT_INDEX_FILE…), guardloop's switches (GUARDLOOP=0, GUARDLOOP_AGENT), husky's, and the markers
// that make a shell an agent's (the person's commits must be a person's).
const DROPPED = /^(GIT_|GUARDLOOP|HUSKY|CLAUDE|CODEX|CURSOR|GEMINI|COPILOT|GITHUB_COPILOT)/;
// guardloop's own settings that change where it works or how it loads, not what it decides: kept.
const KEPT = new Set(['GUARDLOOP_TMPDIR', 'GUARDLOOP_CODE_CACHE', 'GUARDLOOP_DEBUG']);

// The demo's environment, from the caller's.
export function demoEnv(from: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(from)) if (v !== undefined && (!DROPPED.test(k) || KEPT.has(k))) env[k] = v;
  // Only the repository's own config: no global hooksPath, signing or aliases reach the demo
  // (GIT_CONFIG_GLOBAL needs git 2.32; the repository's config sets what matters for older ones).
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_CONFIG_GLOBAL = devNull;
  // The hooks' `#!/usr/bin/env node` and the tests guard's `node` are this Node.
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = [dirname(process.execPath), env[pathKey]].filter(Boolean).join(delimiter);
  return env;
}

// What one command did: its exit code and its output (stdout and stderr in arrival order, and each alone).
export interface Ran {
  code: number;
  output: string;
  stdout: string;
  stderr: string;
}

// Runs `file args` in `cwd` to its end, `input` on its stdin; never throws on a non-zero exit
// (a spawn failure, such as git missing, is exit 127 with the reason as its output).
export function runCommand(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      output += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      output += s;
    });
    child.on('error', (e) => resolve({ code: 127, output: `${output}${e.message}\n`, stdout, stderr: `${stderr}${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output, stdout, stderr }));
    // A command that exits without reading its stdin closes the pipe first (EPIPE is no failure).
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}
