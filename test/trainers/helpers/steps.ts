import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cleanEnv, exec, withGitRepo, type TestRepo } from '../../helpers/git-repo.js';
import { TRAIN_STEP } from './venv.js';

// What train_step.py does with a file: one step of a trainer, or (`load`) only the JSON loader.
export type StepKind = 'sft-prompt-completion' | 'sft-messages' | 'dpo' | 'kto' | 'load';

// train_step.py's result line (training fields are absent for `load`).
export interface StepResult {
  kind: StepKind;
  loss?: number | string;
  finite?: boolean;
  grad_norm?: number | string | null;
  rows_in_file: number;
  rows_loaded: number;
  rows_in_dataset?: number;
  columns: string[];
  features: Record<string, string>;
  steps?: number;
  label_tokens?: number;
  max_tokens?: number;
  assistant_tokens?: number;
  weighted_assistant_tokens?: number;
  labels_true?: number;
  labels_false?: number;
  timings: Record<string, number>;
  versions: Record<string, string>;
}

// A repository the tests of one file share: made in beforeAll, removed by the returned release().
export async function holdGitRepo(): Promise<{ repo: TestRepo; release: () => Promise<void> }> {
  let repo!: TestRepo;
  let done!: () => void;
  let finished!: Promise<void>;
  await new Promise<void>((ready) => {
    finished = withGitRepo((r) => {
      repo = r;
      ready();
      return new Promise<void>((resolve) => (done = resolve));
    });
  });
  return {
    repo,
    release: async () => {
      done();
      await finished;
    },
  };
}

// The lines of a JSONL file, parsed.
export function readJsonl(file: string): any[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

// `guardloop extract … -o DIR/NAME.jsonl` through the built CLI: the file and its parsed lines.
export async function exportFile(repo: TestRepo, dir: string, name: string, args: string[]): Promise<{ file: string; lines: any[]; stderr: string }> {
  const file = join(dir, `${name}.jsonl`);
  const res = await repo.cli(['extract', ...args, '-o', file]);
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout).toBe('');
  return { file, lines: readJsonl(file), stderr: res.stderr };
}

// Runs train_step.py on a file with the environment's Python, offline, with a Hugging Face home of
// its own under `dir`; fails the test with Python's traceback when it exits non-zero.
export async function runStep(python: string, dir: string, name: string, file: string, kind: StepKind): Promise<{ result: StepResult; ms: number }> {
  const started = Date.now();
  const res = await exec(python, [TRAIN_STEP, file, kind], {
    cwd: dir,
    env: cleanEnv({ HF_HOME: join(dir, `hf-${name}`), HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', NODE_EXTRA_CA_CERTS: undefined }),
  });
  const ms = Date.now() - started;
  expect(res.code, `${kind} on ${file}:\n${res.stderr.slice(-6000)}`).toBe(0);
  const line = res.stdout.split('\n').find((l) => l.startsWith('TRAIN_STEP_RESULT '));
  expect(line, res.stdout.slice(-3000)).toBeDefined();
  return { result: JSON.parse(line!.slice('TRAIN_STEP_RESULT '.length)) as StepResult, ms };
}
