// Wording of `guardloop demo`: one line per step saying what happens and why, the closing lines, and
// its two failures (a --dir that is not empty, a step that did not go as the demo expects).

// The demo's first line: what it plays, and where.
export function demoHeader(dir: string): string {
  return `guardloop demo: the whole loop (guards, an agent's stop hook, a person's commits, ℛ and what it teaches) played in a throwaway repository under ${dir}. Your git config and your own repositories are left alone.`;
}

// Step: the project and its two guards.
export const DEMO_STEP_PROJECT =
  'A new git repository with a small greeting library (src/greet.js and its test) and two guards declared in .loop/config.yaml, no-todo (lint) and tests (test), each with the invariant it enforces; guardloop is linked into node_modules as `npm install` would put it.';

// Step: `guardloop init --agent claude`.
export const DEMO_STEP_INIT = "guardloop init --agent claude installs the git hooks (.loop/hooks: pre-commit runs the guards) and Claude Code's hooks (.claude/settings.json: the stop hook runs them when the agent finishes).";

// Step: the person's setup commit, accepted.
export const DEMO_STEP_SETUP_COMMIT = 'The person commits the project: the pre-commit hook runs both guards on what is staged, both pass, and ℛ (refs/notes/guardloop) gets its first record, ACCEPTED.';

// Step: the agent's prompt, through the UserPromptSubmit hook.
export function demoStepPrompt(task: string): string {
  return `Claude Code is given the task "${task}" The agent is played (its edits are scripted) but its hooks are the real ones, run as Claude Code runs them: the command from .claude/settings.json, the payload on stdin. The prompt hook records the commit the turn starts from.`;
}

// Step: the agent's first attempt, blocked by no-todo.
export const DEMO_STEP_ATTEMPT_1 = "Attempt 1: farewell() with a TODO left in it. The stop hook runs the guards on the working tree: no-todo fails, so the stop is blocked and the failure becomes the agent's next instruction.";

// Step: the agent's second attempt, blocked by tests.
export const DEMO_STEP_ATTEMPT_2 = "Attempt 2: the TODO is gone, but the farewell lost its '!'. Now tests fails: blocked again, with the test's output as the feedback.";

// Step: the agent's third attempt, accepted.
export const DEMO_STEP_ATTEMPT_3 = "Attempt 3: fixed. Both guards pass and the stop goes through; ℛ links the three attempts into one chain (each record's provenance names the attempts before it).";

// Step: the person's commit, rejected.
export const DEMO_STEP_PERSON_REJECTED = "The person commits the agent's work with a change of their own (a shorter greeting) and forgets its test: the pre-commit hook rejects the commit, and nothing is committed.";

// Step: the person's commit, accepted.
export const DEMO_STEP_PERSON_ACCEPTED = "The person updates the test and commits again: accepted, and recorded as the second attempt of the person's chain.";

// Step: guardloop log.
export const DEMO_STEP_LOG = 'guardloop log: every verdict in ℛ, newest first (the setup commit, the agent’s three attempts, the person’s two).';

// Step: guardloop stats.
export const DEMO_STEP_STATS = 'guardloop stats: first-attempt acceptance, retries per accepted chain, and rejections per guard, layer, source and agent.';

// Step: guardloop constraints.
export const DEMO_STEP_CONSTRAINTS =
  'guardloop constraints: the constraint log, when each guard came in, what it caught, and whether it pays rent (here both are new: they came in minutes ago, inside the 7-day grace period).';

// Step: one exported training example.
export const DEMO_STEP_EXTRACT =
  "One training example from ℛ (guardloop extract): the agent's chain as prompt-completion, with the task and both rejections' feedback as the prompt and the accepted diff as the completion.";

// Step: guardloop report.
export const DEMO_STEP_REPORT = 'guardloop report: all of it in one self-contained HTML file (charts, the constraint log, the chains), which opens from disk.';

// Under a blocked stop's output: the reason as the agent is given it.
export const DEMO_REASON_HEADING = 'The reason, as the agent reads it:';

// A path as a POSIX shell reads it back: as is when it holds nothing a shell splits or expands,
// else in single quotes (a `rm -rf` line copied from the terminal must remove exactly that folder).
function shq(path: string): string {
  return /^[A-Za-z0-9_\/.,:@%+=-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

// The closing lines when the folder is kept (the default).
export function demoKept(dir: string, repo: string): string {
  return `Done. The demo is kept in ${dir}: cd ${shq(repo)} and look around (npx guardloop show HEAD, git notes --ref=guardloop list). Delete it with: rm -rf ${shq(dir)}`;
}

// The closing line with --clean: the folder the demo made is removed, a given one emptied.
export function demoCleaned(dir: string, made: boolean): string {
  return `Done. ${made ? 'Removed' : 'Emptied'} ${dir} (--clean); run guardloop demo without --clean to keep the repository and the report.`;
}

// `--dir DIR` names a folder that holds files (DemoDirNotEmptyError): nothing was written.
export function demoDirNotEmpty(dir: string): string {
  return `guardloop demo: ${dir} is not empty, and the demo builds its repository only in a new or empty folder, so that it never mixes with files it did not make. Nothing was written. Give a new folder, e.g. guardloop demo --dir ${dir.replace(/\/+$/, '')}/guardloop-demo, or leave out --dir for a new temp folder.`;
}

// `--dir DIR` names something that is not a folder (DemoDirNotEmptyError).
export function demoDirNotAFolder(dir: string): string {
  return `guardloop demo: ${dir} exists and is not a folder. Nothing was written. Give a new or empty folder, e.g. guardloop demo --dir ${dir}-demo, or leave out --dir for a new temp folder.`;
}

// `--dir DIR` (or the temp folder) can't be made or written to (DemoDirError): nothing was written.
export function demoDirUnwritable(dir: string, detail: string): string {
  return `guardloop demo: ${dir} can't be made or written to (${detail}). Nothing was written. Give a folder you can write to, e.g. guardloop demo --dir ~/guardloop-demo, or set TMPDIR to one.`;
}

// A step did not do what the demo expects (DemoStepError); its output was printed above.
export function demoStepFailed(step: number, command: string, expected: string, code: number, dir: string): string {
  return `guardloop demo: step ${step} did not go as expected: \`${command}\` exited ${code}, and the demo expects ${expected} (its output is above). The demo's folder is kept for a look: ${dir}. The demo needs git ≥ 2.30 and Node ≥ 20 on PATH; if both are there, report the output above as a bug of guardloop demo.`;
}

// What a step expects (demoStepFailed): a command that succeeds.
export const EXPECT_EXIT_0 = 'exit 0';
// What a step expects: a commit the pre-commit hook rejects.
export const EXPECT_EXIT_1 = 'exit 1 (the commit rejected)';
// What a step expects: a stop the guards block.
export const EXPECT_BLOCK = 'a blocked stop ({"decision":"block"} on stdout)';
// What a step expects: a stop the guards let through.
export const EXPECT_ALLOW = 'a stop let through (exit 0, no block on stdout)';
// What a step expects: the agent's chain exported as one line.
export const EXPECT_ONE_EXAMPLE = 'one exported example of the agent’s chain on stdout';
// What a step expects: the hooks init wrote for Claude Code.
export const EXPECT_HOOK_COMMAND = "guardloop's UserPromptSubmit and Stop hooks in .claude/settings.json";

// After a played hook's command line: what it reads on stdin.
export function demoStdin(event: string): string {
  return `# stdin: Claude Code's ${event} payload`;
}
