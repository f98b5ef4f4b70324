// The agent-stop row of the commit benchmark (bench/commit.mjs): Claude Code ends a turn that changed
// nothing, on a tree guardloop already ACCEPTED. The repository is set up with `guardloop init --agent
// claude` (lean mode), its tree committed through the hook (so its record is ACCEPTED), a turn started
// through the UserPromptSubmit hook, and a transcript written as Claude Code writes it (the prompt, then the
// closing message, so the stop doesn't wait for a lagging transcript). The timed command is what Claude
// Code runs: the Stop command from .claude/settings.json, in one `sh -c`, with CLAUDE_PROJECT_DIR set and
// the Stop payload on stdin.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claudeHookCommands, newSession, promptPayload, startTurn, stopPayload, writeAttempt } from './session-claude.mjs';
import { shQuote } from './measure.mjs';

const PROMPT = 'Read src/ and tell me whether anything needs changing; change nothing.';
const LAST = 'I read it through: nothing needs changing, so I changed nothing.';

// The `sh -c` script that runs one of .claude/settings.json's commands as Claude Code does, in `dir`,
// with `payload` (a file) on stdin.
export function claudeHookScript(dir, command, payload) {
  return `cd ${shQuote(dir)} && CLAUDE_PROJECT_DIR=${shQuote(dir)} CLAUDECODE=1 && export CLAUDE_PROJECT_DIR CLAUDECODE && ${command} < ${shQuote(payload)}`;
}

// Sets up the session in `repo` (installed with `--agent claude`, its HEAD's tree ACCEPTED) and returns
// the argv of one stop. Throws when the turn start fails or the stop doesn't let the turn end.
export function setupAgentStop(repo, work, env) {
  const files = join(work, 'claude');
  mkdirSync(files, { recursive: true });
  const session = newSession(repo.dir, join(files, 'transcript.jsonl'));
  writeFileSync(session.transcript, '');
  const hooks = claudeHookCommands(repo.dir);
  const run = (command, payload, name) => {
    const file = join(files, `${name}.json`);
    writeFileSync(file, JSON.stringify(payload));
    const argv = ['sh', '-c', claudeHookScript(repo.dir, command, file)];
    return { argv, res: spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8' }) };
  };
  startTurn(session, PROMPT);
  const turn = run(hooks.prompt, promptPayload(session, PROMPT), 'prompt');
  if (turn.res.status !== 0) throw new Error(`the UserPromptSubmit hook exited ${turn.res.status}: ${turn.res.stderr}`);
  writeAttempt(session, [], LAST);
  const stop = run(hooks.stop, stopPayload(session, LAST, false), 'stop');
  if (stop.res.status !== 0 || /"decision"\s*:\s*"block"/.test(stop.res.stdout)) {
    throw new Error(`the Stop hook did not let a turn that changed nothing end (exit ${stop.res.status}):\n${stop.res.stdout}${stop.res.stderr}`);
  }
  return stop.argv;
}
