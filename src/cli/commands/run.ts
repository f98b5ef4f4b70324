import { run } from '../../engine/run.js';
import type { RunHook } from '../../engine/select.js';
import { HOOKS } from '../../config/constants.js';
import { cacheHit, failureDetail, guardLine, noGuards, runHeader, runSummary, SKIPPED_BY_ENV } from '../../messages/run.js';
import { badUsage } from '../../messages/cli.js';
import { formatDiagnostics } from '../../messages/config.js';
import { badHook } from '../../messages/cli.js';
import type { Command } from '../command.js';
import { withSignals } from '../signals.js';

// `guardloop run`: the one entry point the git hooks and people use.
const command: Command = {
  name: 'run',
  summary: 'Run the guards on the candidate (the staged content; the working tree for --hook stop) and record the verdict in ℛ.',
  usage: 'guardloop run [--hook pre-commit|pre-push|stop|manual] [--json] [--no-cache] [--all-files] | guardloop run --hook stop|pre-tool|turn-start --agent NAME < payload.json',
  options: {
    hook: { type: 'string', value: 'name', description: 'Run the guards whose `on` includes this hook (default: every guard)' },
    json: { type: 'boolean', description: 'Print the record as JSON on stdout' },
    cache: { type: 'boolean', description: 'Reuse an ACCEPTED verdict for the same content and guards (default; --no-cache runs them)' },
    'all-files': { type: 'boolean', description: 'Match `files` globs against every file, not only the changed ones' },
    task: { type: 'string', value: 'text', description: 'What the change is for (stored as spec.task)' },
    agent: { type: 'string', value: 'name', description: "Answer an agent's hook (claude, codex, cursor, gemini, copilot): its JSON payload on stdin, its protocol on stdout (with --hook stop, pre-tool or turn-start)" },
  },
  async run(ctx) {
    const hook = (ctx.values.hook as string | undefined) ?? 'run';
    if (typeof ctx.values.agent === 'string' && (hook === 'stop' || hook === 'pre-tool' || hook === 'turn-start')) {
      const { runAgentHook } = await import('../agent-hook.js');
      return runAgentHook(ctx, ctx.values.agent, hook);
    }
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
    return result.status === 'ACCEPTED' ? 0 : 1;
  },
};

export default command;
