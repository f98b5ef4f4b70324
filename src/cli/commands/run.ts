import { run } from '../../engine/run.js';
import type { RunHook } from '../../engine/select.js';
import { HOOKS } from '../../config/constants.js';
import { cacheHit, failureDetail, guardLine, noGuards, prePushHeader, prePushVerdict, runHeader, runSummary, SKIPPED_BY_ENV } from '../../messages/run.js';
import { badUsage } from '../../messages/cli.js';
import { formatDiagnostics } from '../../messages/config.js';
import { badHook, PRE_PUSH_ARGUMENTS_ONLY } from '../../messages/cli.js';
import type { Command, CommandContext } from '../command.js';
import { withSignals } from '../signals.js';

// `guardloop run`: the one entry point the git hooks and people use.
const command: Command = {
  name: 'run',
  summary: 'Run the guards on the candidate (the staged content; the working tree for --hook stop) and record the verdict in ℛ.',
  usage: 'guardloop run [--hook pre-commit|pre-push|post-commit|stop|manual] [--json] [--no-cache] [--all-files] | guardloop run --hook stop|pre-tool|turn-start --agent NAME < payload.json',
  // pre-push: git's arguments (the remote's name and its URL).
  positionals: true,
  options: {
    hook: { type: 'string', value: 'name', description: 'Run the guards whose `on` includes this hook (default: every guard)' },
    json: { type: 'boolean', description: 'Print the record as JSON on stdout' },
    cache: { type: 'boolean', description: 'Reuse an ACCEPTED verdict for the same content and guards (default; --no-cache runs them)' },
    'all-files': { type: 'boolean', description: 'Match `files` globs against every file, not only the changed ones' },
    task: { type: 'string', value: 'text', description: 'What the change is for (stored as spec.task)' },
    agent: { type: 'string', value: 'name', description: "Answer an agent's hook (claude, codex, cursor, gemini, copilot, qwen): its JSON payload on stdin, its protocol on stdout (with --hook stop, pre-tool or turn-start)" },
  },
  async run(ctx) {
    const hook = (ctx.values.hook as string | undefined) ?? 'run';
    if (typeof ctx.values.agent === 'string' && (hook === 'stop' || hook === 'pre-tool' || hook === 'turn-start')) {
      const { runAgentHook } = await import('../agent-hook.js');
      return runAgentHook(ctx, ctx.values.agent, hook);
    }
    if (ctx.positionals.length && hook !== 'pre-push') {
      ctx.stderr.write(`${badUsage('run', PRE_PUSH_ARGUMENTS_ONLY)}\n`);
      return 2;
    }
    if (hook === 'post-commit') return postCommit(ctx);
    // The pre-push hook judges the pushed commits, never the index (a run on the index would
    // record HEAD's tree ACCEPTED whatever HEAD holds).
    if (hook === 'pre-push') return prePushGate(ctx);
    if (hook !== 'run' && !(HOOKS as readonly string[]).includes(hook)) {
      ctx.stderr.write(`${badUsage('run', badHook(HOOKS, hook))}\n`);
      return 2;
    }
    const json = Boolean(ctx.values.json);
    const say = (line: string) => ctx.stderr.write(`${line}\n`);
    let width = 0;
    const result = await withSignals((signal) =>
      run({
        cwd: ctx.cwd,
        hook: hook as RunHook,
        noCache: ctx.values.cache === false,
        allFiles: Boolean(ctx.values['all-files']),
        task: (ctx.values.task as string | undefined) ?? null,
        env: ctx.env,
        signal,
        onStart: ({ guards, isolated }) => {
          width = Math.max(0, ...guards.map((g) => g.guard.id.length));
          say(guards.length ? runHeader(hook, guards.length, isolated) : noGuards(hook));
        },
        onVerdict: (v, s) => {
          say(guardLine(v, width));
          if (v.status === 'fail' || v.status === 'error' || v.status === 'timeout') say(failureDetail(v, s.guard));
        },
      }),
      // A git hook's run ends with the git that started it.
      { watchGit: hook === 'pre-commit' || hook === 'pre-push' },
    );
    if (result.configWarnings.length) say(formatDiagnostics(result.configWarnings));
    if (result.skipped) {
      say(SKIPPED_BY_ENV);
      return 0;
    }
    if (result.cached && result.record) say(cacheHit(result.record));
    if (!result.cached) say(runSummary(result));
    if (json && result.record) ctx.stdout.write(`${JSON.stringify(result.record)}\n`);
    // The post-commit hook then knows, in shell, that this commit's tree was judged.
    if (hook === 'pre-commit' && result.status === 'ACCEPTED' && result.record) {
      const { markAccepted } = await import('../../audit/accepted-marker.js');
      markAccepted(ctx.cwd, ctx.env, result.record.tree);
    }
    return result.status === 'ACCEPTED' ? 0 : 1;
  },
};

// The pre-push gate (git's `<local ref> <local sha> <remote ref> <remote sha>` lines on stdin, the
// remote and its URL as arguments): refuses the push when a commit it would add has no ACCEPTED
// record. Run by hand at a terminal there is nothing on stdin, so nothing to audit.
async function prePushGate(ctx: CommandContext): Promise<number> {
  const input = (ctx.stdin as NodeJS.ReadStream).isTTY ? '' : await readAll(ctx.stdin);
  const { prePush } = await import('../../audit/pre-push.js');
  const [remote = '', url] = ctx.positionals;
  const say = (line: string) => ctx.stderr.write(`${line}\n`);
  const gate = await prePush({ cwd: ctx.cwd, stdin: input, remote, url, env: ctx.env, say, judgeTips: (tips) => prePushGuards(ctx, tips) });
  for (const line of gate.lines) say(line);
  return gate.code;
}

// The guards declared `on: [pre-push]` (none declared: nothing runs), each pushed tip judged as a
// commit: its own tree in a temporary checkout, its own config, the verdict recorded as pre-push.
async function prePushGuards(ctx: CommandContext, tips: string[]): Promise<{ code: number; lines: string[] }> {
  const { loadConfig } = await import('../../config/load.js');
  const { discoverRepo } = await import('../../git/repo.js');
  const repo = await discoverRepo(ctx.cwd, ctx.env);
  const config = (await loadConfig({ root: repo.root })).config;
  if (!config?.guards.some((g) => g.on.includes('pre-push'))) return { code: 0, lines: [] };
  const say = (line: string) => ctx.stderr.write(`${line}\n`);
  let code = 0;
  for (const commit of tips) {
    let width = 0;
    const result = await withSignals(
      (signal) =>
        run({
          cwd: ctx.cwd, commit, hook: 'pre-push', recordHook: 'pre-push', env: ctx.env, signal,
          onStart: ({ guards }) => {
            width = Math.max(0, ...guards.map((g) => g.guard.id.length));
            say(guards.length ? prePushHeader(commit, guards.length) : noGuards('pre-push'));
          },
          onVerdict: (v, s) => {
            say(guardLine(v, width));
            if (v.status === 'fail' || v.status === 'error' || v.status === 'timeout') say(failureDetail(v, s.guard));
          },
        }),
      { watchGit: true },
    );
    for (const w of result.warnings) say(`  warning: ${w}`);
    say(prePushVerdict(commit, result.status, result.recorded ? (result.record?.id ?? null) : null));
    if (result.status !== 'ACCEPTED') code = 1;
  }
  return { code, lines: [] };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

// The post-commit hook (when the shell found no marker): notes a skip for an unjudged commit and
// says so in one line; always exit 0 (a commit can't be undone from here).
async function postCommit(ctx: CommandContext): Promise<number> {
  const { checkCommitted } = await import('../../audit/post-commit.js');
  const { commitUnverified, postCommitFailed } = await import('../../messages/skip.js');
  try {
    const found = await checkCommitted({ cwd: ctx.cwd, env: ctx.env });
    if (found.commit && found.skip) ctx.stderr.write(`${commitUnverified(found.commit, found.skip.how, found.skip.recorded)}\n`);
  } catch (e) {
    ctx.stderr.write(`${postCommitFailed('HEAD', (e as Error)?.message?.split('\n')[0] ?? String(e))}\n`);
  }
  return 0;
}

export default command;
