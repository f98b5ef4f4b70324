import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { healthSchema, statsSchema, type Health, type Stats } from '../../src/learn/insight-schemas.js';
import { day, type GenChain, type GenPlan } from '../helpers/history-generator.js';
import { guardYaml, type Spawned, type TestRepo } from '../helpers/git-repo.js';
import { hook, stopPayload } from '../agents/helpers.js';
import { claudeTurn, jsonl } from '../agents/transcripts.js';

// Shared by the stats and health tests: histories whose figures are known by construction, and the
// CLI's --json outputs parsed and validated against their schemas.

// A Monday (UTC): week 1 of the generated plans is the week of 2026-01-05.
export const START = '2026-01-05T10:00:00.000Z';

// One chain of attempts `minutes` apart from `at`, each failing the guards listed (an empty list passes).
export function chain(at: string, fails: string[][], opts: { source?: 'HUMAN' | 'GENERATOR'; agent?: string; escalated?: boolean } = {}): GenChain {
  return {
    attempts: fails.map((fail, i) => ({
      at: day(at, i / 1440),
      source: opts.source ?? 'GENERATOR',
      ...(opts.agent ? { agent: opts.agent } : {}),
      fail,
      ...(opts.escalated && i === fails.length - 1 ? { escalated: true } : {}),
    })),
  };
}

// Ten chains over three weeks, the middle one empty, two skipped commits (the expected figures are
// in stats.test.ts, worked out by hand from this list).
export function tenChains(): GenPlan {
  const w1 = (d: number) => day(START, d);
  const w3 = (d: number) => day(START, 14 + d);
  return {
    config: [{ at: day(START, -1), guards: [{ id: 'typecheck', run: 'tsc', layer: 'type' }, { id: 'lint', run: 'eslint .', layer: 'lint' }, { id: 'test', run: 'vitest run', layer: 'test' }] }],
    chains: [
      chain(w1(0), [[]], { agent: 'claude' }),
      chain(w1(1), [['lint'], []], { agent: 'claude' }),
      chain(w1(2), [['typecheck', 'lint'], ['typecheck'], []], { source: 'HUMAN' }),
      chain(w1(3), [['test'], ['test']], { agent: 'codex', escalated: true }),
      { attempts: [{ at: w1(4), source: 'HUMAN', skip: 'GUARDLOOP=0' }] },
      chain(w3(0), [[]], { source: 'HUMAN' }),
      chain(w3(1), [[]], { agent: 'claude' }),
      chain(w3(2), [['lint']], { agent: 'claude' }),
      chain(w3(3), [['typecheck'], ['typecheck'], ['lint'], []], { agent: 'codex' }),
      { attempts: [{ at: w3(3.5), source: 'HUMAN', skip: 'no-pre-commit' }] },
      chain(w3(4), [[]], { source: 'HUMAN' }),
      chain(w3(5), [['test'], []], { agent: 'claude' }),
    ],
  };
}

// `guardloop stats --json …`, validated against statsSchema.
export async function statsJson(repo: TestRepo, args: string[] = []): Promise<Stats> {
  const res = await repo.cli(['stats', '--json', ...args]);
  expect(res.code, res.stderr).toBe(0);
  const parsed = statsSchema.safeParse(JSON.parse(res.stdout));
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return parsed.data!;
}

// `guardloop health --json`, validated against healthSchema, with its exit code.
export async function healthJson(repo: TestRepo): Promise<{ code: number | null; health: Health; stderr: string }> {
  const res = await repo.cli(['health', '--json']);
  expect([0, 1], res.stderr).toContain(res.code);
  const parsed = healthSchema.safeParse(JSON.parse(res.stdout));
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return { code: res.code, health: parsed.data!, stderr: res.stderr };
}

// The number of chains `guardloop extract` (its default policy) exports, from its summary line.
export async function extractedChains(repo: TestRepo): Promise<number> {
  const res = await repo.cli(['extract']);
  expect(res.code, res.stderr).toBe(0);
  const m = / from (\d+) chains? /.exec(res.stderr);
  expect(m, res.stderr).not.toBeNull();
  return Number(m![1]);
}

async function commit(repo: TestRepo, message: string, code: number, args: string[] = []): Promise<Spawned> {
  repo.git('add', '-A');
  const res = await repo.commit(message, args);
  expect(res.code, res.stderr).toBe(code);
  return res;
}

async function stop(repo: TestRepo, n: 0 | 1, decision: 'block' | 'allow'): Promise<void> {
  const res = await hook(repo, 'claude', stopPayload('claude', repo.dir, n));
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout.includes('"block"'), res.stdout).toBe(decision === 'block');
}

// Chains made through the real CLI: a person's commits through the pre-commit hook (accepted; then
// rejected twice and accepted), a --no-verify commit the post-commit hook records as SKIPPED, and
// Claude Code stops (a refinement after one block; a chain escalated after agent.maxAttempts).
export async function realChains(repo: TestRepo): Promise<void> {
  repo.installHook();
  repo.write('.husky/post-commit', 'guardloop run --hook post-commit\n');
  repo.config(`agent:\n  maxAttempts: 2\nguards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}${guardYaml('no-fixme', '! grep -rn FIXME src', '    layer: review\n')}`);
  repo.write('src/a.js', 'export const a = 1;\n');
  await commit(repo, 'init', 0);
  repo.write('src/a.js', 'export const a = 1; // TODO\n');
  await commit(repo, 'h1', 1);
  repo.write('src/a.js', 'export const a = 1; // TODO\n// FIXME\n');
  await commit(repo, 'h2', 1);
  repo.write('src/a.js', 'export const a = 2;\n');
  await commit(repo, 'h3', 0);
  repo.write('notes.txt', 'unchecked\n');
  await commit(repo, 'skipped', 0, ['--no-verify']);
  writeFileSync(join(repo.dir, '.git', 'transcript.jsonl'), jsonl(claudeTurn('Add b().')));
  repo.write('src/b.js', 'export const b = 2; // TODO\n');
  await stop(repo, 0, 'block');
  repo.write('src/b.js', 'export const b = 2;\n');
  await stop(repo, 1, 'allow');
  repo.write('src/c.js', 'export const c = 3; // FIXME\n');
  await stop(repo, 0, 'block');
  await stop(repo, 1, 'allow');
}
