import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { guardYaml, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload } from '../agents/helpers.js';
import { exportFile as exportVia, holdGitRepo, runStep, type StepKind, type StepResult } from './helpers/steps.js';

// Proof that trainers take the exports: ℛ built through the real hooks (a person's commits through
// the pre-commit hook, Claude Code's stop hook), exported by the real `guardloop extract` in each
// conversational format, each file loaded UNCHANGED with `datasets.load_dataset("json", …)` and
// trained one step by TRL (SFTTrainer, DPOTrainer, KTOTrainer) on a tiny Qwen2 built from a config,
// with a tokenizer trained on the file's own text (test/trainers/train_step.py). Each step must give a
// finite loss and a non-zero gradient, and keep every row of the file.

// The global setup printed why when this is not ok.
const TRAINERS = inject('trainers');

let repo: TestRepo;
let release: () => Promise<void>;
let out: string;
const measured: Array<{ name: string; ms: number; result: StepResult }> = [];

async function commit(message: string): Promise<number | null> {
  repo.git('add', '-A');
  return (await repo.commit(message)).code;
}

// ℛ of three refinement chains and one plain acceptance:
//   a person's: init (ACCEPTED, no earlier attempt) · TODO (REJECTED: lint) · BROKEN (REJECTED: test) · fixed (ACCEPTED)
//   a person's: BROKEN (REJECTED: test) · fixed (ACCEPTED)
//   Claude Code's stop hook: TODO (REJECTED: lint, blocked) · fixed (ACCEPTED)
async function buildChains(): Promise<void> {
  repo.installHook();
  repo.config(`guards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}${guardYaml('tests', '! grep -rn BROKEN src', '    layer: test\n')}`);
  repo.write('src/a.js', 'export const a = 1;\n');
  expect(await commit('init')).toBe(0);
  repo.write('src/a.js', 'export const a = () => 2; // TODO handle 3\n');
  expect(await commit('a returns 2')).not.toBe(0);
  repo.write('src/a.js', 'export const a = () => 2; // BROKEN for 3\n');
  expect(await commit('a returns 2')).not.toBe(0);
  repo.write('src/a.js', 'export const a = (n) => (n === 3 ? 3 : 2);\n');
  expect(await commit('a returns 2')).toBe(0);
  repo.write('src/c.js', 'export const c = "BROKEN";\n');
  expect(await commit('add c')).not.toBe(0);
  repo.write('src/c.js', 'export const c = "c";\n');
  expect(await commit('add c')).toBe(0);
  installTranscript(repo);
  repo.write('src/b.js', 'export function b() { return 1; } // TODO tests\n');
  const blocked = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
  expect(JSON.parse(blocked.stdout).decision).toBe('block');
  repo.write('src/b.js', 'export function b() { return 1; }\n');
  expect(await hook(repo, 'claude', stopPayload('claude', repo.dir, 1))).toMatchObject({ code: 0, stdout: '' });
  expect(records(repo).map((r) => [r.status, r.source])).toEqual([
    ['ACCEPTED', 'HUMAN'],
    ['REJECTED', 'HUMAN'],
    ['REJECTED', 'HUMAN'],
    ['ACCEPTED', 'HUMAN'],
    ['REJECTED', 'HUMAN'],
    ['ACCEPTED', 'HUMAN'],
    ['REJECTED', 'GENERATOR'],
    ['ACCEPTED', 'GENERATOR'],
  ]);
}

const exportFile = (name: string, args: string[]) => exportVia(repo, out, name, args);

// One training step of `kind` on the file, its result printed with what it cost.
async function trainStep(name: string, file: string, kind: StepKind): Promise<StepResult> {
  if (!TRAINERS.ok) throw new Error('unreachable: the suite is skipped without trainers');
  const { result, ms } = await runStep(TRAINERS.python, out, name, file, kind);
  measured.push({ name, ms, result });
  console.log(
    `[trainers] ${name} (${kind}): loss ${result.loss}, grad_norm ${result.grad_norm}, rows ${result.rows_in_file} → ${result.rows_in_dataset}, ` +
      `${ms} ms (python ${JSON.stringify(result.timings)}); columns ${JSON.stringify(result.features)}` +
      (result.max_tokens ? `; longest row ${result.max_tokens} tokens` : ''),
  );
  return result;
}

// What every step must show: a finite loss and a finite, non-zero gradient after one optimizer step
// (the rows reached the loss), and no row of the file lost, neither by the JSON loader nor by the
// trainer's preprocessing (too long, unparsable, filtered).
function expectTrained(result: StepResult, rows: number): void {
  expect(result.finite, `loss ${result.loss}`).toBe(true);
  expect(typeof result.loss).toBe('number');
  expect(typeof result.grad_norm, `grad_norm ${result.grad_norm}`).toBe('number');
  expect(result.grad_norm).toBeGreaterThan(0);
  expect(result.steps).toBe(1);
  expect(result.rows_in_file).toBe(rows);
  expect(result.rows_loaded).toBe(rows);
  expect(result.rows_in_dataset).toBe(rows);
}

describe.skipIf(!TRAINERS.ok)(`TRL trains on guardloop's exports${TRAINERS.ok ? '' : ` (skipped: ${TRAINERS.reason.split('\n')[0]})`}`, () => {
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'guardloop-trainers-'));
    ({ repo, release } = await holdGitRepo());
    await buildChains();
  });

  afterAll(async () => {
    await release?.();
    if (out) rmSync(out, { recursive: true, force: true });
    if (TRAINERS.ok && measured.length) {
      console.log(`[trainers] ${TRAINERS.dir}: ${Object.entries(measured[0].result.versions).map(([n, v]) => `${n} ${v}`).join(', ')}`);
      for (const m of measured) console.log(`[trainers] ${m.name.padEnd(22)} ${String(m.ms).padStart(6)} ms  train ${m.result.timings.train_s} s  loss ${m.result.loss}`);
      console.log(`[trainers] all steps: ${measured.reduce((s, m) => s + m.ms, 0)} ms`);
    }
  });

  it('prompt-completion → SFTTrainer (loss on the completion only): one row per refinement chain', async () => {
    const { file, lines } = await exportFile('prompt-completion', ['--format', 'prompt-completion']);
    expect(lines).toHaveLength(3);
    // Human and agent rows in one file: agent and task are "" on some rows (not null), a name or a task on others.
    expect(new Set(lines.map((l) => l.metadata.source))).toEqual(new Set(['HUMAN', 'GENERATOR']));
    const result = await trainStep('prompt-completion', file, 'sft-prompt-completion');
    expectTrained(result, 3);
    expect(result.columns).toEqual(['prompt', 'completion', 'metadata']);
    expect(result.label_tokens).toBeGreaterThan(0);
  });

  it('messages → SFTTrainer with assistant_only_loss (TRL’s Qwen2.5 training template)', async () => {
    const { file, lines } = await exportFile('messages', ['--format', 'messages']);
    expect(lines).toHaveLength(3);
    const result = await trainStep('messages', file, 'sft-messages');
    expectTrained(result, 3);
    expect(result.columns).toEqual(['messages', 'metadata']);
    // One assistant turn per row: the loss covers exactly it.
    expect(result.label_tokens).toBe(result.assistant_tokens);
    expect(result.label_tokens).toBe(result.weighted_assistant_tokens);
  });

  it('messages --turns → SFTTrainer loads and trains it, but ignores "weight": the loss covers the weight-0 attempts too', async () => {
    const { file, lines } = await exportFile('messages-turns', ['--format', 'messages', '--turns']);
    expect(lines).toHaveLength(3);
    // The first chain has two rejected attempts before the accepted one.
    expect(lines.map((l) => l.messages.filter((m: any) => m.role === 'assistant').map((m: any) => m.weight))).toEqual([[0, 0, 1], [0, 1], [0, 1]]);
    const result = await trainStep('messages-turns', file, 'sft-messages');
    expectTrained(result, 3);
    // TRL 1.13's SFTTrainer masks by role (assistant_only_loss), not by a message's weight: every
    // assistant turn is trained on. A trainer that honours weights would train on the fixes only.
    expect(result.label_tokens).toBe(result.assistant_tokens);
    expect(result.weighted_assistant_tokens).toBeLessThan(result.assistant_tokens!);
  });

  it('dpo → DPOTrainer: one row per (accepted, rejected attempt) pair', async () => {
    const { file, lines } = await exportFile('dpo', ['--format', 'dpo']);
    expect(lines).toHaveLength(4);
    const result = await trainStep('dpo', file, 'dpo');
    expectTrained(result, 4);
    expect(result.columns).toEqual(['prompt', 'chosen', 'rejected', 'metadata']);
  });

  it('kto → KTOTrainer: every attempt of the refinement chains, label a JSON boolean', async () => {
    const { file, lines } = await exportFile('kto', ['--format', 'kto']);
    expect(lines.map((l) => l.label)).toEqual([false, false, true, false, true, false, true]);
    const result = await trainStep('kto', file, 'kto');
    expectTrained(result, 7);
    expect(result.features.label).toBe("Value('bool')");
    expect([result.labels_true, result.labels_false]).toEqual([3, 4]);
  });

  it('kto --policy all → KTOTrainer: every ACCEPTED and REJECTED record, the plain acceptance included', async () => {
    const { file, lines } = await exportFile('kto-all', ['--format', 'kto', '--policy', 'all']);
    expect(lines).toHaveLength(8);
    const result = await trainStep('kto-all', file, 'kto');
    expectTrained(result, 8);
    expect([result.labels_true, result.labels_false]).toEqual([4, 4]);
  });

  // --text: TRL's standard (plain-string) types of the same content.
  it('prompt-completion --text → SFTTrainer on plain strings', async () => {
    const { file, lines } = await exportFile('pc-text', ['--format', 'prompt-completion', '--text']);
    expect(lines).toHaveLength(3);
    expect(typeof lines[0].prompt).toBe('string');
    const result = await trainStep('pc-text', file, 'sft-prompt-completion');
    expectTrained(result, 3);
    expect(result.features.prompt).toBe("Value('string')");
  });

  it('messages --text → SFTTrainer language modeling on one text column', async () => {
    const { file, lines } = await exportFile('messages-text', ['--format', 'messages', '--text']);
    expect(lines).toHaveLength(3);
    const result = await trainStep('messages-text', file, 'sft-prompt-completion');
    expectTrained(result, 3);
    expect(result.columns).toEqual(['text', 'metadata']);
  });

  it('dpo --text → DPOTrainer on plain strings', async () => {
    const { file, lines } = await exportFile('dpo-text', ['--format', 'dpo', '--text']);
    expect(lines).toHaveLength(4);
    const result = await trainStep('dpo-text', file, 'dpo');
    expectTrained(result, 4);
    expect(result.features.chosen).toBe("Value('string')");
  });

  it('alpaca loads unchanged, every row typed (Axolotl and Unsloth read instruction/input/output)', async () => {
    const { file, lines } = await exportFile('alpaca', ['--format', 'alpaca']);
    expect(lines).toHaveLength(3);
    if (!TRAINERS.ok) throw new Error('unreachable: the suite is skipped without trainers');
    const { result } = await runStep(TRAINERS.python, out, 'alpaca', file, 'load');
    expect(result.rows_loaded).toBe(3);
    expect(result.columns).toEqual(['instruction', 'input', 'output', 'metadata']);
  });
});
