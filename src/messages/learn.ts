import type { GuardStatus } from '../store/record.js';

// Wording of the training examples `guardloop extract` exports (src/learn/formats): the prompt a model
// is trained on (the constraints in force, the task, the feedback of each rejected attempt) and the
// notes that stand in an artifact for what can't be shown. Fixed wording, so the same ℛ exports the
// same bytes.

// Opens the system message: the guards that judged the change, as the constraints in force.
export const CONSTRAINTS_INTRO = 'You are changing a git repository. A change is accepted only when every one of these guards passes:';

// The system message of a record whose spec names no guard.
export const NO_CONSTRAINTS = 'You are changing a git repository. No guard was declared for this change.';

// One guard in force in the system message.
export function constraintLine(id: string, layer: string, invariant: string): string {
  return `- ${id} (${layer}): ${invariant}`;
}

// Stands for an invariant a guard's spec doesn't give (a check guardloop made, an older record).
export const INVARIANT_UNRECORDED = 'no invariant recorded';

// Opens the user message with the task the change was made for.
export function taskLine(task: string): string {
  return `Task: ${task}`;
}

// Opens the user message when ℛ holds no task for the change (a person's commit, an agent turn whose prompt was not found).
export const TASK_UNRECORDED = 'Task: not recorded. Make the change this repository needs so that every guard passes.';

// Heads the feedback of an earlier attempt in the user message.
export function attemptRejected(k: number): string {
  return `Attempt ${k} was rejected:`;
}

// Heads the feedback of an attempt whose record ℛ no longer holds and whose later records kept no entry for it.
export function attemptWithoutFeedback(k: number, id: string): string {
  return `Attempt ${k} was rejected; its feedback is no longer in ℛ (record ${id}).`;
}

// An attempt that was rejected with no failed guard recorded (an error outside the guards).
export const NO_FAILED_GUARD = 'No failed guard was recorded for it.';

// One failed guard of an earlier attempt: what it protects.
export function failedGuardLine(id: string, layer: string, invariant: string): string {
  return `${id} (${layer}): ${invariant}`;
}

// Introduces a failed guard's output, by how it failed.
export function guardOutputIntro(status: GuardStatus): string {
  if (status === 'timeout') return 'It timed out. Its output:';
  if (status === 'error') return 'It could not run. Its output:';
  return 'It failed. Its output:';
}

// A failed guard that printed nothing.
export function guardNoOutput(status: GuardStatus): string {
  if (status === 'timeout') return 'It timed out and printed nothing.';
  if (status === 'error') return 'It could not run and printed nothing.';
  return 'It failed and printed nothing.';
}

// Put before the tail of a guard's output where the export cut its beginning; the full text is in the record.
export function outputCut(lines: number, characters: number, id: string): string {
  return `[guardloop: ${lines} earlier line(s), ${characters} character(s), of this output are not shown; see them with: guardloop show ${id}]`;
}

// Heads one changed file of an artifact exported as files (--artifact files).
export function fileHeader(path: string): string {
  return `=== ${path} ===`;
}

// Stands for the content of a file the change deleted (--artifact files).
export const FILE_DELETED = '(this change deleted the file)';

// Stands for the content of a binary file (--artifact files): named, not inlined.
export function binaryFile(bytes: number): string {
  return `(binary file, ${bytes} bytes, not shown)`;
}

// Stands for a submodule entry among the changed files (--artifact files): git holds a commit there, not content.
export function submoduleEntry(commit: string): string {
  return `(submodule at commit ${commit})`;
}

// The artifact of an attempt that changed no file.
export const NO_CHANGE = '(this change left every file as it was)';

// Appended to a diff the store cut at its size limit: which files the whole change touched.
export function diffTruncated(files: string[]): string {
  return `[guardloop: this diff was cut when it was recorded; the change touched: ${files.join(', ')}]`;
}

// The assistant turn of an earlier attempt (--turns) whose record ℛ no longer holds: only its feedback is known.
export function artifactUnavailable(id: string): string {
  return `[guardloop: the change of this attempt is not in ℛ (record ${id}); only its feedback is known]`;
}

// --artifact files met a record whose tree git no longer has (TreeMissingError).
export function treeMissing(tree: string, record: string | null): string {
  const whose = record ? `record ${record}` : 'a record';
  return (
    `The tree ${tree} of ${whose} is not in this repository (git gc pruned it, or ℛ came from a clone without it), so --artifact files cannot read the files it changed. ` +
    'Export the diffs the records hold instead: guardloop extract --artifact diff (the default).'
  );
}

// A `--turns` line whose messages are out of order (the messages schema's complaint).
export const TURNS_SHAPE = 'After the system message, turns alternate user and assistant, and only the last assistant turn has weight 1.';

// A KTO line whose label disagrees with its record's status (the kto schema's complaint).
export const KTO_LABEL = 'A KTO label is true exactly for an ACCEPTED record.';

// A raw line holding a SKIPPED record (the raw schema's complaint): skips are never exported.
export const RAW_NOT_SKIPPED = 'A SKIPPED record is never exported.';

// The formatter was asked for a format it doesn't have (the CLI checks --format first).
export function badFormat(name: string, known: readonly string[]): string {
  return `Unknown format '${name}'. Use one of: ${known.join(', ')} (e.g. guardloop extract --format prompt-completion).`;
}

// The formatter was asked for an artifact mode it doesn't have (the CLI checks --artifact first).
export function badArtifactMode(mode: string): string {
  return `Unknown artifact '${mode}'. Use --artifact diff (the default) or --artifact files.`;
}

// --turns with a format other than messages.
export const TURNS_NEED_MESSAGES = '--turns lays a chain out as turns of one conversation: use it with --format messages (guardloop extract --format messages --turns).';

// The formatter was asked for --artifact files without a way to read record trees (an API caller's mistake).
export const FILES_NEED_READER = 'The artifact `files` reads record trees from git: pass readTreeFiles, e.g. treeFiles(cwd).readTreeFiles from src/learn/tree-files.ts.';

// The label of each role in a `--format messages --text` line.
const TURN_LABELS = { system: 'system', user: 'user', assistant: 'assistant' } as const;

// One turn of a `--format messages --text` line: its role's label on a line, then its content (the
// turns are joined by a blank line).
export function turnText(role: keyof typeof TURN_LABELS, content: string): string {
  return `${TURN_LABELS[role]}:\n${content}`;
}

// --text with a format that has no conversational form (alpaca's fields are strings already; raw lines are records).
export function textNeedsConversational(format: string): string {
  return (
    `--text writes the conversational formats as plain strings; --format ${format} has none. ` +
    'Drop --text, or use it with --format prompt-completion, messages, dpo or kto (guardloop extract --format prompt-completion --text).'
  );
}
