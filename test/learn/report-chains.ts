import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { guardYaml, type Spawned, type TestRepo } from '../helpers/git-repo.js';
import { hook, records, stopPayload } from '../agents/helpers.js';
import { claudeTurn, jsonl } from '../agents/transcripts.js';

// The ℛ the report's CLI and browser tests draw, made through the real CLI: a person's commits
// through husky's pre-commit hook (rejected by no-todo, then accepted), and Claude Code stops through
// the stop hook (a refinement after no-fixme rejected it, and a chain escalated after two rejections
// whose feedback, the guard's output, carries markup that must stay inert in the page).

// What the escalated chain's guard prints back (grep shows the offending line).
export const HOSTILE_LINE = '// TODO <script>window.__pwned = 1</script></textarea><img src=x onerror="window.__pwned = 2">';
export const TASK = 'Add c() in src/c.js <b>bold</b>.';

async function commit(repo: TestRepo, message: string, code: number): Promise<void> {
  repo.git('add', '-A');
  const res: Spawned = await repo.commit(message);
  expect(res.code, res.stderr).toBe(code);
}

async function stop(repo: TestRepo, n: 0 | 1, decision: 'block' | 'allow'): Promise<void> {
  const res = await hook(repo, 'claude', stopPayload('claude', repo.dir, n));
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout.includes('"block"'), res.stdout).toBe(decision === 'block');
}

// Builds the chains in `repo` (a fresh withGitRepo repository): 7 records, 4 chains.
export async function buildReportChains(repo: TestRepo): Promise<void> {
  repo.installHook();
  repo.config(`agent:\n  maxAttempts: 2\nguards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}${guardYaml('no-fixme', '! grep -rn FIXME src', '    layer: review\n')}`);
  repo.write('src/a.js', 'export const a = () => 1;\n');
  await commit(repo, 'init', 0);
  // A person's chain: rejected by no-todo, then accepted.
  repo.write('src/a.js', 'export const a = () => 1; // TODO: one\n');
  await commit(repo, 'h1', 1);
  repo.write('src/a.js', 'export const a = () => 2;\n');
  await commit(repo, 'h2', 0);
  // An agent's refinement: no-fixme blocks its stop, the next one is accepted.
  writeFileSync(join(repo.dir, '.git', 'transcript.jsonl'), jsonl(claudeTurn(TASK)));
  repo.write('src/b.js', 'export const b = () => 2; // FIXME: agent\n');
  await stop(repo, 0, 'block');
  repo.write('src/b.js', 'export const b = () => 2;\n');
  await stop(repo, 1, 'allow');
  // An agent's chain escalated after agent.maxAttempts (2) rejections by no-todo.
  repo.write('src/c.js', `export const c = 3; ${HOSTILE_LINE}\n`);
  await stop(repo, 0, 'block');
  await stop(repo, 1, 'allow');
  const all = records(repo);
  expect(all.map((r) => [r.status, r.source, r.retry])).toEqual([
    ['ACCEPTED', 'HUMAN', 0],
    ['REJECTED', 'HUMAN', 0],
    ['ACCEPTED', 'HUMAN', 1],
    ['REJECTED', 'GENERATOR', 0],
    ['ACCEPTED', 'GENERATOR', 1],
    ['REJECTED', 'GENERATOR', 0],
    ['REJECTED', 'GENERATOR', 1],
  ]);
  expect(all[6].escalated).toBe(true);
}
