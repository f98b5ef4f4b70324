import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { guardYaml, type TestRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, records, stopPayload } from '../agents/helpers.js';
import { exportFile, holdGitRepo, runStep } from './helpers/steps.js';

// `datasets.load_dataset("json", …)` infers a file's schema from its first chunk (10 MiB in datasets
// 5.0) and casts every later chunk to it: a metadata value whose JSON type changes after the first
// 10 MiB (null there, a string later; 0 and 1 there, 0.5 later) fails the whole load, so guardloop writes "" for a text not known and reward_dense as 1.0. This is the
// history of a real project: people's commits first (no agent, no task), an agent's work later, and
// guards that fail together or pass together until one passes alone. Each export must load unchanged,
// every row kept, with metadata still a typed struct (not turned into a JSON blob).

// The global setup printed why when this is not ok.
const TRAINERS = inject('trainers');
const CHUNK = 10 << 20;
// Changed-file size: under the record's 1 MiB diff limit, so 16 chains pass the first chunk.
const BIG = 700_000;
const CHAINS = 16;

let repo: TestRepo;
let release: () => Promise<void>;
let out: string;

async function commit(message: string): Promise<number | null> {
  repo.git('add', '-A');
  return (await repo.commit(message)).code;
}

function bigFile(n: number): string {
  const lines: string[] = [];
  for (let i = 0, size = 0; size < BIG; i++) {
    const line = `export const v${n}_${i} = ${(n * 7919 + i * 104729) % 1000003};\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

// init (ACCEPTED); CHAINS person's chains, each adding a ~700 KB file: first with a line both guards
// reject (0 of 2 guards passed), then without it (2 of 2); last, Claude Code's stop hook: a TODO the
// lint guard blocks while the test guard passes (1 of 2), then the fix.
async function buildHistory(): Promise<void> {
  repo.installHook();
  repo.config(`guards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}${guardYaml('tests', '! grep -rn BROKEN src', '    layer: test\n')}`);
  repo.write('src/a.js', 'export const a = 1;\n');
  expect(await commit('init')).toBe(0);
  for (let n = 0; n < CHAINS; n++) {
    repo.write(`src/big-${n}.js`, bigFile(n));
    repo.write('src/flag.js', '// TODO: BROKEN until the table is checked\n');
    expect(await commit(`table ${n}`)).not.toBe(0);
    repo.git('rm', '-q', '--cached', 'src/flag.js');
    rmSync(join(repo.dir, 'src/flag.js'));
    expect(await commit(`table ${n}`)).toBe(0);
  }
  installTranscript(repo);
  repo.write('src/b.js', 'export function b() { return 1; } // TODO tests\n');
  const blocked = await hook(repo, 'claude', stopPayload('claude', repo.dir, 0));
  expect(JSON.parse(blocked.stdout).decision).toBe('block');
  repo.write('src/b.js', 'export function b() { return 1; }\n');
  expect(await hook(repo, 'claude', stopPayload('claude', repo.dir, 1))).toMatchObject({ code: 0, stdout: '' });
  const recs = records(repo);
  expect(recs).toHaveLength(2 + 2 * CHAINS + 1);
  expect(recs.slice(-2).map((r) => [r.status, r.source])).toEqual([
    ['REJECTED', 'GENERATOR'],
    ['ACCEPTED', 'GENERATOR'],
  ]);
}

// The bytes of the file before its first agent line: past the loader's first chunk, or the test
// proves nothing.
function bytesBeforeAgent(file: string): number {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l && JSON.parse(l).metadata.source === 'GENERATOR');
  expect(first).toBeGreaterThan(0);
  return Buffer.byteLength(lines.slice(0, first).join('\n'));
}

describe.skipIf(!TRAINERS.ok)(`files larger than the JSON loader’s first chunk load unchanged${TRAINERS.ok ? '' : ` (skipped: ${TRAINERS.reason.split('\n')[0]})`}`, () => {
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'guardloop-trainers-large-'));
    ({ repo, release } = await holdGitRepo());
    await buildHistory();
  });

  afterAll(async () => {
    await release?.();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  // [name, arguments, rows, whether reward_dense varies in the file (KTO's rejected rows: 0, then 0.5)]
  const cases: Array<[string, string[], number, boolean]> = [
    ['prompt-completion', ['--format', 'prompt-completion'], CHAINS + 1, false],
    ['messages', ['--format', 'messages'], CHAINS + 1, false],
    ['dpo', ['--format', 'dpo'], CHAINS + 1, false],
    ['kto --policy all', ['--format', 'kto', '--policy', 'all'], 1 + 2 * CHAINS + 2, true],
  ];
  for (const [name, args, rows, fractional] of cases) {
    it(`${name}: people's rows (no agent, no task) past the first 10 MiB, then an agent's; every row loads, metadata stays typed`, async () => {
      if (!TRAINERS.ok) throw new Error('unreachable: the suite is skipped without trainers');
      const { file, lines } = await exportFile(repo, out, name.replace(/\W+/g, '-'), args);
      expect(lines).toHaveLength(rows);
      expect(bytesBeforeAgent(file)).toBeGreaterThan(CHUNK);
      const { result, ms } = await runStep(TRAINERS.python, out, name.replace(/\W+/g, '-'), file, 'load');
      console.log(`[trainers] large ${name}: ${lines.length} rows, ${readFileSync(file).length} bytes, loaded in ${ms} ms; metadata ${result.features.metadata}`);
      expect(result.rows_loaded).toBe(rows);
      expect(result.features.metadata.startsWith('{')).toBe(true);
      expect(result.features.metadata).toContain("'agent': Value('string')");
      expect(result.features.metadata).toContain("'task': Value('string')");
      if (fractional) expect(result.features.metadata).toContain("'reward_dense': Value('float64')");
    });
  }
});
