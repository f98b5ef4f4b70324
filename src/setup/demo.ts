import { constants, existsSync, readFileSync } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, realpath, rm, stat, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findPackageDir } from '../config/package-dir.js';
import { DemoDirError } from '../errors/demo-dir-error.js';
import * as say from '../messages/demo.js';
import { claudeHookCommands, newSession, promptPayload, stopPayload, writeAttempt, writeFeedback, writePrompt, type ClaudeSession } from './demo-claude.js';
import { Narration } from './demo-narration.js';
import { AGENT_ATTEMPTS, AGENT_TASK, DEMO_CONFIG, DEMO_PROJECT, PERSON_ATTEMPTS, PERSON_COMMIT, SETUP_COMMIT, type DemoFile } from './demo-project.js';
import { demoEnv, runCommand, type Ran } from './demo-shell.js';

// `guardloop demo`: the whole loop played in a throwaway repository, through guardloop's own CLI
// and hooks exactly as a project gets them — init, a person's commits through the installed
// pre-commit hook, Claude Code's prompt and stop hooks run from .claude/settings.json with its
// payloads on stdin — then what ℛ holds, read back with log, stats, constraints, extract and report.

// What `demo()` takes; every field is optional.
export interface DemoOptions {
  // Build in this folder (new or empty; relative to cwd) instead of a new temp folder.
  dir?: string;
  // Remove the folder once the demo has run (it is kept when a step fails).
  clean?: boolean;
  cwd?: string;
  // The caller's environment (default process.env); the demo's commands get a cleaned copy (demo-shell.ts).
  env?: NodeJS.ProcessEnv;
  // Where the narration goes, as it happens (default: nowhere).
  write?: (text: string) => void;
}

// What the demo made: its folder, the repository in it, the agent's transcript and the report.
export interface DemoResult {
  dir: string;
  repo: string;
  transcript: string;
  report: string;
  kept: boolean;
  steps: number;
}

// The folder to build in: a new temp one, or `dir` when it is new or empty (DemoDirError otherwise).
// `top` is the outermost folder the demo created (what --clean removes), null when `dir` was given empty.
async function demoDir(dir: string | undefined, cwd: string): Promise<{ dir: string; made: boolean; top: string | null }> {
  // A folder that can't be made or written (read-only, a dangling link, no such parent) is the
  // user's to fix, not a guardloop bug: DEMO_DIR_UNUSABLE, as a non-empty one.
  const unusable = (abs: string) => (e: NodeJS.ErrnoException) => {
    throw new DemoDirError(abs, 'unwritable', e.code ?? e.message);
  };
  if (dir === undefined) {
    const made = await realpath(await mkdtemp(join(tmpdir(), 'guardloop-demo-')).catch(unusable(tmpdir())));
    return { dir: made, made: true, top: made };
  }
  const abs = resolve(cwd, dir);
  const st = await stat(abs).catch(() => null);
  if (!st) {
    const top = await mkdir(abs, { recursive: true }).catch(unusable(abs));
    return { dir: await realpath(abs), made: true, top: top ?? abs };
  }
  if (!st.isDirectory()) throw new DemoDirError(abs, 'not-a-folder');
  if ((await readdir(abs)).length) throw new DemoDirError(abs, 'not-empty');
  await access(abs, constants.W_OK).catch(unusable(abs));
  return { dir: await realpath(abs), made: false, top: null };
}

// The running guardloop's bin (the package's dist/cli.cjs): what the demo's node_modules links to.
function guardloopBin(pkgDir: string): string {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const rel = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin?.guardloop ?? 'dist/cli.cjs');
  return join(pkgDir, rel);
}

// node_modules/guardloop and node_modules/.bin/guardloop, as `npm install` makes them (the hooks find
// guardloop there); a small script stands in for the bin's link where symlinks can't be made.
async function linkGuardloop(repo: string, pkgDir: string, bin: string): Promise<void> {
  await mkdir(join(repo, 'node_modules', '.bin'), { recursive: true });
  await symlink(pkgDir, join(repo, 'node_modules', 'guardloop'), 'dir').catch(() => undefined);
  const link = join(repo, 'node_modules', '.bin', 'guardloop');
  await symlink(bin, link).catch(async () => {
    await writeFile(link, `#!/bin/sh\nexec node ${JSON.stringify(bin)} "$@"\n`);
    await chmod(link, 0o755);
  });
}

async function writeFiles(repo: string, files: DemoFile[]): Promise<void> {
  for (const f of files) {
    await mkdir(dirname(join(repo, f.path)), { recursive: true });
    await writeFile(join(repo, f.path), f.content);
  }
}

// Plays the loop in a throwaway repository and reads it back; see the file's comment.
export async function demo(opts: DemoOptions = {}): Promise<DemoResult> {
  const cwd = opts.cwd ?? process.cwd();
  const env = demoEnv(opts.env ?? process.env);
  const write = opts.write ?? (() => undefined);
  const { dir, made, top } = await demoDir(opts.dir, cwd);
  const repo = join(dir, 'repo');
  const transcript = join(dir, 'claude', 'session.jsonl');
  const report = join(dir, 'report.html');
  const pkgDir = findPackageDir();
  const bin = guardloopBin(pkgDir);
  const tell = new Narration(write, dir);
  const git = (args: string[]) => runCommand('git', args, { cwd: repo, env });
  const guardloop = (args: string[]) => runCommand(process.execPath, [bin, ...args], { cwd: repo, env });
  // How a person types a guardloop command in the demo's repository.
  const typed = (args: string[]) => ['npx', 'guardloop', ...args].join(' ');
  const ok0 = (r: Ran) => r.code === 0;

  tell.line(say.demoHeader(dir));
  tell.step(say.DEMO_STEP_PROJECT);
  await mkdir(repo, { recursive: true });
  await mkdir(dirname(transcript), { recursive: true });
  tell.shown('git init -b main', await git(['init', '-q', '-b', 'main']), say.EXPECT_EXIT_0, ok0);
  // The repository's own identity and settings (the demo reads no global git config).
  for (const [key, value] of [
    ['user.name', 'Demo Person'],
    ['user.email', 'person@example.com'],
    ['commit.gpgsign', 'false'],
    ['gc.auto', '0'],
  ]) {
    const ran = await git(['config', key, value]);
    if (key.startsWith('user.')) tell.shown(`git config ${key} ${JSON.stringify(value)}`, ran, say.EXPECT_EXIT_0, ok0);
  }
  await writeFiles(repo, DEMO_PROJECT);
  await linkGuardloop(repo, pkgDir, bin);
  tell.command('cat .loop/config.yaml', DEMO_CONFIG);

  tell.step(say.DEMO_STEP_INIT);
  const init = ['init', '--agent', 'claude'];
  tell.shown(typed(init), await guardloop(init), say.EXPECT_EXIT_0, ok0);

  tell.step(say.DEMO_STEP_SETUP_COMMIT);
  await commit(tell, git, SETUP_COMMIT, 0);

  const session = newSession(repo, transcript);
  await playAgent(tell, session, env);

  tell.step(say.DEMO_STEP_PERSON_REJECTED);
  await writeFiles(repo, PERSON_ATTEMPTS[0]);
  await commit(tell, git, PERSON_COMMIT, 1);
  tell.step(say.DEMO_STEP_PERSON_ACCEPTED);
  await writeFiles(repo, PERSON_ATTEMPTS[1]);
  await commit(tell, git, PERSON_COMMIT, 0);

  // The reading commands only read ℛ (the report writes its file outside the repository): run together.
  const reads = { log: ['log'], stats: ['stats'], constraints: ['constraints'], extract: ['extract', '--where', 'source=GENERATOR'], report: ['report', '-o', report] };
  const [log, stats, constraints, example, html] = await Promise.all([reads.log, reads.stats, reads.constraints, reads.extract, reads.report].map(guardloop));
  tell.step(say.DEMO_STEP_LOG);
  tell.shown(typed(reads.log), log, say.EXPECT_EXIT_0, ok0);
  tell.step(say.DEMO_STEP_STATS);
  tell.shown(typed(reads.stats), stats, say.EXPECT_EXIT_0, ok0);
  tell.step(say.DEMO_STEP_CONSTRAINTS);
  tell.shown(typed(reads.constraints), constraints, say.EXPECT_EXIT_0, ok0);
  tell.step(say.DEMO_STEP_EXTRACT);
  const line = onlyJsonLine(example.stdout);
  const pretty = line === null ? example.output : `${JSON.stringify(line, null, 2)}\n${example.stderr}`;
  tell.shown(typed(reads.extract), example, say.EXPECT_ONE_EXAMPLE, (r) => r.code === 0 && line !== null, pretty);
  tell.step(say.DEMO_STEP_REPORT);
  tell.shown(typed(reads.report), html, say.EXPECT_EXIT_0, (r) => r.code === 0 && existsSync(report));

  const kept = !opts.clean;
  if (kept) tell.line(`\n${say.demoKept(dir, repo)}`);
  else {
    // A folder the demo made goes; one given empty is left empty.
    // (with the parents `--dir a/b` made for it: nothing it created is left behind)
    if (made) await rm(top ?? dir, { recursive: true, force: true });
    else for (const entry of await readdir(dir)) await rm(join(dir, entry), { recursive: true, force: true });
    tell.line(`\n${say.demoCleaned(made && top ? top : dir, made)}`);
  }
  return { dir, repo, transcript, report, kept, steps: tell.steps };
}

// `git add -A && git commit -m message` through the installed hooks, expected to exit `code`.
async function commit(tell: Narration, git: (args: string[]) => Promise<Ran>, message: string, code: 0 | 1): Promise<void> {
  const display = `git add -A && git commit -m ${JSON.stringify(message)}`;
  const added = await git(['add', '-A']);
  const ran = added.code === 0 ? await git(['commit', '-m', message]) : added;
  tell.shown(display, ran, code === 0 ? say.EXPECT_EXIT_0 : say.EXPECT_EXIT_1, (r) => r.code === code);
}

// The played Claude Code turn: the prompt through its UserPromptSubmit hook, then each attempt's
// edits and transcript entries and its Stop hook — blocked, blocked, let through.
async function playAgent(tell: Narration, s: ClaudeSession, env: NodeJS.ProcessEnv): Promise<void> {
  const hooks = await claudeHookCommands(s.cwd);
  // Claude Code runs a hook's command with a shell in the project, CLAUDE_PROJECT_DIR set, the payload on stdin.
  const hookEnv = { ...env, CLAUDE_PROJECT_DIR: s.cwd, CLAUDECODE: '1' };
  const runHook = (command: string, payload: unknown) => runCommand('sh', ['-c', command], { cwd: s.cwd, env: hookEnv, input: JSON.stringify(payload) });
  tell.step(say.demoStepPrompt(AGENT_TASK));
  if (!hooks.prompt || !hooks.stop) tell.fail('cat .claude/settings.json', say.EXPECT_HOOK_COMMAND, 0);
  await writePrompt(s, AGENT_TASK);
  tell.shown(`${hooks.prompt}   ${say.demoStdin('UserPromptSubmit')}`, await runHook(hooks.prompt, promptPayload(s, AGENT_TASK)), say.EXPECT_EXIT_0, (r) => r.code === 0);

  const steps = [say.DEMO_STEP_ATTEMPT_1, say.DEMO_STEP_ATTEMPT_2, say.DEMO_STEP_ATTEMPT_3];
  for (const [i, attempt] of AGENT_ATTEMPTS.entries()) {
    const last = i === AGENT_ATTEMPTS.length - 1;
    tell.step(steps[i]);
    await writeFiles(s.cwd, attempt.files);
    await writeAttempt(s, attempt);
    const ran = await runHook(hooks.stop, stopPayload(s, attempt.lastMessage, i > 0));
    const reason = blockReason(ran.stdout);
    tell.shown(`${hooks.stop}   ${say.demoStdin('Stop')}`, ran, last ? say.EXPECT_ALLOW : say.EXPECT_BLOCK, (r) => r.code === 0 && (last ? reason === null : reason !== null));
    if (reason === null) continue;
    tell.note(say.DEMO_REASON_HEADING, reason);
    await writeFeedback(s, reason);
  }
}

// The one JSON line of an output, or null when it holds none, several, or something else.
function onlyJsonLine(stdout: string): unknown {
  const lines = stdout.split('\n').filter((l) => l.trim());
  try {
    return lines.length === 1 ? (JSON.parse(lines[0]) as unknown) : null;
  } catch {
    return null;
  }
}

// The reason of Claude Code's `{"decision":"block"}` reply, or null when the stop was let through.
function blockReason(stdout: string): string | null {
  try {
    const reply = JSON.parse(stdout.trim() || '{}') as { decision?: unknown; reason?: unknown };
    return reply.decision === 'block' && typeof reply.reason === 'string' ? reply.reason : null;
  } catch {
    return null;
  }
}
