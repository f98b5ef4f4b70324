import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FORMAT_SCHEMAS, type Format } from '../../src/learn/formats/index.js';
import { parseRecordLine, type RecordV1 } from '../../src/store/record-schema.js';
import { guardYaml, withGitRepo, type Spawned, type TestRepo } from '../helpers/git-repo.js';
import { hook, records, stopPayload } from '../agents/helpers.js';
import { claudeEarlierTurn, claudeTurn, jsonl } from '../agents/transcripts.js';

// The chains extraction is tested on, all made through the real CLI in one repository: a person's
// commits through husky's pre-commit hook (and a --no-verify commit the post-commit hook records as
// SKIPPED), and Claude Code stops through the stop hook (a refinement, an escalated chain, and a
// change to a protected path a person approves).

export const TASK = 'Add b() next to a() in src/b.js.';
// A secret the built-in redaction masks when the record is written (after `password=`).
export const SECRET = 'hunter-7f3a9c';

// The records of the fixture, by the step that made them.
export interface Chains {
  init: RecordV1;
  // A person's chain: two rejected commits (no-todo; then no-todo and no-fixme), then the accepted one.
  h1: RecordV1;
  h2: RecordV1;
  h3: RecordV1;
  skip: RecordV1;
  // An agent's refinement: a stop blocked by no-todo, then the accepted one.
  a1: RecordV1;
  a2: RecordV1;
  // An agent's chain escalated after agent.maxAttempts (2) rejections.
  e1: RecordV1;
  e2: RecordV1;
  // An agent's change to .loop/config.yaml, rejected, then undone: a refinement like any other.
  r1: RecordV1;
  r2: RecordV1;
  // An agent's change to .loop/config.yaml: rejected, approved by a person, then accepted.
  p1: RecordV1;
  approval: RecordV1;
  p2: RecordV1;
}

export function readRecords(repo: TestRepo): RecordV1[] {
  return records(repo).map((raw) => {
    const parsed = parseRecordLine(JSON.stringify(raw));
    if (!parsed.ok) throw new Error(parsed.detail);
    return parsed.record;
  });
}

// The record(s) a step added, oldest first.
async function step(repo: TestRepo, run: () => Promise<unknown>, expected: number): Promise<RecordV1[]> {
  const before = new Set(readRecords(repo).map((r) => r.id));
  await run();
  const added = readRecords(repo).filter((r) => !before.has(r.id));
  expect(added, 'records the step added').toHaveLength(expected);
  return added;
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
  if (decision === 'block') expect(JSON.parse(res.stdout).decision).toBe('block');
  else expect(res.stdout.includes('"block"')).toBe(false);
}

// Builds every chain in `repo` (a fresh withGitRepo repository).
export async function buildChains(repo: TestRepo): Promise<Chains> {
  repo.installHook();
  repo.write('.husky/post-commit', 'guardloop run --hook post-commit\n');
  repo.config(`agent:\n  maxAttempts: 2\nguards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}${guardYaml('no-fixme', '! grep -rn FIXME src', '    layer: review\n')}`);
  repo.write('src/a.js', 'export const a = () => 1;\n');
  const [init] = await step(repo, () => commit(repo, 'init', 0), 1);

  repo.write('src/a.js', 'export const a = () => 1; // TODO: one\n');
  const [h1] = await step(repo, () => commit(repo, 'h1', 1), 1);
  repo.write('src/a.js', `export const a = () => 1; // TODO: one\n// FIXME: two password=${SECRET}\n`);
  const [h2] = await step(repo, () => commit(repo, 'h2', 1), 1);
  repo.write('src/a.js', 'export const a = () => 2;\n');
  const [h3] = await step(repo, () => commit(repo, 'h3', 0), 1);

  repo.write('notes.txt', 'unchecked\n');
  const [skip] = await step(repo, () => commit(repo, 'skipped', 0, ['--no-verify']), 1);

  writeFileSync(join(repo.dir, '.git', 'transcript.jsonl'), jsonl([...claudeEarlierTurn(), ...claudeTurn(TASK)]));
  repo.write('src/b.js', 'export const b = () => 2; // TODO: agent\n');
  const [a1] = await step(repo, () => stop(repo, 0, 'block'), 1);
  repo.write('src/b.js', 'export const b = () => 2;\n');
  const [a2] = await step(repo, () => stop(repo, 1, 'allow'), 1);

  repo.write('src/c.js', 'export const c = 3; // TODO: escalate\n');
  const [e1] = await step(repo, () => stop(repo, 0, 'block'), 1);
  const [e2] = await step(repo, () => stop(repo, 1, 'allow'), 1);

  repo.write('src/c.js', 'export const c = 3;\n');
  const config = repo.read('.loop/config.yaml');
  repo.config(`${config}# edited by the agent\n`);
  const [r1] = await step(repo, () => stop(repo, 0, 'block'), 1);
  repo.config(config);
  const [r2] = await step(repo, () => stop(repo, 1, 'allow'), 1);

  repo.config(`${config}# relaxed by the agent\n`);
  const [p1] = await step(repo, () => stop(repo, 0, 'block'), 1);
  const [approval] = await step(
    repo,
    async () => {
      const ok = await repo.cli(['approve', '--yes']);
      expect(ok.code, ok.stderr).toBe(0);
    },
    1,
  );
  const [p2] = await step(repo, () => stop(repo, 1, 'allow'), 1);
  const chains = { init, h1, h2, h3, skip, a1, a2, e1, e2, r1, r2, p1, approval, p2 };
  // What the fixture is meant to be.
  expect(Object.values(chains).map((r) => [r.status, r.source, r.retry])).toEqual([
    ['ACCEPTED', 'HUMAN', 0],
    ['REJECTED', 'HUMAN', 0],
    ['REJECTED', 'HUMAN', 1],
    ['ACCEPTED', 'HUMAN', 2],
    ['SKIPPED', 'HUMAN', 0],
    ['REJECTED', 'GENERATOR', 0],
    ['ACCEPTED', 'GENERATOR', 1],
    ['REJECTED', 'GENERATOR', 0],
    ['REJECTED', 'GENERATOR', 1],
    ['REJECTED', 'GENERATOR', 0],
    ['ACCEPTED', 'GENERATOR', 1],
    ['REJECTED', 'GENERATOR', 0],
    ['ACCEPTED', 'HUMAN', 0],
    ['ACCEPTED', 'GENERATOR', 1],
  ]);
  expect(e2.escalated).toBe(true);
  for (const r of [r1, p1]) expect(r.verdicts.filter((v) => v.status !== 'pass').map((v) => v.guard)).toEqual(['protected-paths']);
  expect(r2.artifact.files).not.toContain('.loop/config.yaml');
  expect(approval.approval?.paths.map((p) => p.path)).toEqual(['.loop/config.yaml']);
  expect(p2.artifact.files).toContain('.loop/config.yaml');
  return chains;
}

// One repository with the chains built, shared by a file's tests (built in beforeAll, removed in afterAll).
export function sharedChains(): { get: () => { repo: TestRepo; chains: Chains }; setUp: () => Promise<void>; tearDown: () => Promise<void> } {
  let repo: TestRepo;
  let chains: Chains;
  let release: () => void;
  let finished: Promise<void>;
  return {
    get: () => ({ repo, chains }),
    async setUp() {
      await new Promise<void>((ready, fail) => {
        finished = withGitRepo(async (r) => {
          repo = r;
          try {
            chains = await buildChains(r);
          } catch (e) {
            fail(e);
            return;
          }
          ready();
          await new Promise<void>((done) => (release = done));
        });
      });
    },
    async tearDown() {
      release?.();
      await finished;
    },
  };
}

// `guardloop extract` through the built CLI: its exit code, the JSONL lines (parsed), stdout and stderr.
export async function extractCli(repo: TestRepo, args: string[]): Promise<Spawned & { lines: any[] }> {
  const res = await repo.cli(['extract', ...args]);
  const lines = res.code === 0 ? res.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  return { ...res, lines };
}

// Every line valid against its format's schema.
export function validate(format: Format, lines: unknown[]): void {
  for (const l of lines) {
    const res = FORMAT_SCHEMAS[format].safeParse(l);
    expect(res.success, `${format} line: ${JSON.stringify(res.error?.issues)}`).toBe(true);
  }
}

// The metadata keys of a line, sorted, with the JSON type of each value (null counts as a string:
// the nullable fields are strings where they are set).
export function metadataShape(line: { metadata: Record<string, unknown> }): string {
  return Object.entries(line.metadata)
    .map(([k, v]) => `${k}:${v === null ? 'string' : Array.isArray(v) ? 'array' : typeof v}`)
    .sort()
    .join(',');
}

// Every file under `dir` with its bytes and mtime (a rename or a touch counts as a change).
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return {};
  }
  for (const name of names) {
    const path = join(dir, name);
    const st = statSync(path);
    out[name] = st.isDirectory() ? 'dir' : `${st.mtimeMs} ${readFileSync(path).toString('base64')}`;
  }
  return out;
}
