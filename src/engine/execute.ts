import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { commandNotFound, commandNotStarted, guardTimedOut, INTERRUPTED_BEFORE_START, SHELL_COMMAND_NOT_EXECUTABLE, SHELL_COMMAND_NOT_FOUND } from '../messages/run.js';
import type { GuardStatus } from '../store/record.js';
import { OutputBuffer, stripAnsi } from './output.js';
import { stopTree } from './process-tree.js';

export interface ExecRequest {
  run: string | string[];
  files: string[] | null;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  outputLimit: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  status: Exclude<GuardStatus, 'skipped'>;
  exit: number | null;
  ms: number;
  output: string;
  // What the failures are read from when the output was cut for the record (see OutputBuffer.failureText).
  failureText?: { text: string; cut: boolean };
}

// Quotes a path for /bin/sh so that spaces, quotes and `$` in file names stay literal.
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

// A single argument to `sh -c` can't exceed 128 KiB on Linux (counted in bytes); keep each command well below.
const MAX_COMMAND = 100_000;

// Splits a command's `{files}` into invocations that each fit the argument limit. What a path costs is
// counted as the kernel counts it: its bytes (a non-ASCII name takes two to four per character), as
// quoted for the shell, once for each `{files}` of the command; the command's own text counts too.
export function expandCommand(run: string | string[], files: string[] | null): Array<string | string[]> {
  const usesFiles = typeof run === 'string' ? run.includes('{files}') : run.some((a) => a.includes('{files}'));
  if (!usesFiles || files === null) return [run];
  const parts = typeof run === 'string' ? [run] : run;
  const uses = parts.reduce((n, a) => n + a.split('{files}').length - 1, 0);
  const budget = MAX_COMMAND - parts.reduce((n, a) => n + Buffer.byteLength(a.split('{files}').join('')) + 1, 0);
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const f of files) {
    const cost = uses * (Buffer.byteLength(typeof run === 'string' ? shellQuote(f) : f) + 1);
    if (current.length && size + cost > budget) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += cost;
  }
  chunks.push(current);
  return chunks.map((chunk) =>
    typeof run === 'string'
      ? run.split('{files}').join(chunk.map(shellQuote).join(' '))
      : run.flatMap((a) => (a === '{files}' ? chunk : [a.split('{files}').join(chunk.join(' '))])),
  );
}

const GRACE_MS = 2000;

// Set, with a value of its own, in the environment of each guard command: what finds the command's
// processes that left its tree when it is stopped.
export const RUN_VARIABLE = 'GUARDLOOP_GUARD_RUN';

// What to add to a guard's output when its command could not run as a command.
function hintFor(code: number | null, spawnError: NodeJS.ErrnoException | null, command: string): string {
  if (spawnError?.code === 'ENOENT') return commandNotFound(command);
  if (spawnError) return commandNotStarted(command, spawnError.message);
  if (code === 127) return SHELL_COMMAND_NOT_FOUND;
  if (code === 126) return SHELL_COMMAND_NOT_EXECUTABLE;
  return '';
}

function runOnce(cmd: string | string[], req: ExecRequest, { out, deadline }: { out: OutputBuffer; deadline: number }): Promise<{ status: ExecResult['status']; exit: number | null }> {
  return new Promise((resolve) => {
    const [file, args] = typeof cmd === 'string' ? ['/bin/sh', ['-c', cmd]] : [cmd[0], cmd.slice(1)];
    const runId = randomBytes(8).toString('hex');
    const child = spawn(file, args, { cwd: req.cwd, env: { ...req.env, [RUN_VARIABLE]: runId }, stdio: ['ignore', 'pipe', 'pipe'] });
    const decoders = [new StringDecoder('utf8'), new StringDecoder('utf8')];
    child.stdout!.on('data', (b: Buffer) => out.push(decoders[0].write(b)));
    child.stderr!.on('data', (b: Buffer) => out.push(decoders[1].write(b)));
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | null = null;
    // Set once the guard is being stopped; the result waits for it, so that a SIGKILL still due to a
    // process of the guard is sent before guardloop can exit.
    let stopping: Promise<void> | undefined;
    const stop = (why: 'timeout' | 'abort') => {
      if (stopping || child.pid === undefined || child.exitCode !== null) return;
      timedOut = why === 'timeout';
      stopping = stopTree(child.pid, { graceMs: GRACE_MS, marker: `${RUN_VARIABLE}=${runId}` });
    };
    const timer = setTimeout(() => stop('timeout'), Math.max(0, deadline - Date.now()));
    const onAbort = () => stop('abort');
    req.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      spawnError = e;
    });
    let settled = false;
    let drain: NodeJS.Timeout | undefined;
    const finish = (code: number | null, sig: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drain);
      req.signal?.removeEventListener('abort', onAbort);
      out.push(decoders[0].end() + decoders[1].end());
      const name = typeof cmd === 'string' ? cmd.split(/\s+/)[0] : cmd[0];
      out.push(hintFor(code, spawnError, name));
      const result: { status: ExecResult['status']; exit: number | null } = timedOut
        ? { status: 'timeout', exit: code }
        : spawnError || code === 127 || code === 126
          ? { status: 'error', exit: code }
          : sig
            ? { status: 'error', exit: null }
            : { status: code === 0 ? 'pass' : 'fail', exit: code };
      if (stopping) void stopping.then(() => resolve(result));
      else resolve(result);
    };
    child.on('close', finish);
    // A background process the guard left behind may hold its output open: don't wait for it.
    child.on('exit', (code, sig) => {
      drain = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish(code, sig);
      }, 300);
    });
  });
}

// Runs one guard's command (in chunks when `{files}` is long) under a timeout that kills its
// whole process tree, capturing stdout and stderr together.
export async function executeGuard(req: ExecRequest): Promise<ExecResult> {
  const started = Date.now();
  const deadline = started + req.timeoutMs;
  const out = new OutputBuffer(req.outputLimit);
  let result: { status: ExecResult['status']; exit: number | null } = { status: 'pass', exit: 0 };
  for (const cmd of expandCommand(req.run, req.files)) {
    if (req.signal?.aborted) return { status: 'error', exit: null, ms: Date.now() - started, output: INTERRUPTED_BEFORE_START };
    result = await runOnce(cmd, req, { out, deadline });
    if (result.status !== 'pass' || req.signal?.aborted) break;
  }
  if (result.status === 'timeout') out.push(guardTimedOut(req.timeoutMs));
  const failureText = out.failureText();
  return { ...result, ms: Date.now() - started, output: stripAnsi(out.text()), ...(failureText ? { failureText } : {}) };
}
