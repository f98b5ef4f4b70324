import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promptCompletionLineSchema } from '../../src/learn/formats/schemas.js';
import { AGENT_TASK } from '../../src/setup/demo-project.js';
import { parseRecordLine, type RecordV1 } from '../../src/store/record-schema.js';
import { cleanEnv, CLI, exec, type Spawned } from '../helpers/git-repo.js';

// `guardloop demo`, spawned as a person runs it: every fact each step tells is checked in what it
// left behind — ℛ's records (the agent's chain of three through Claude Code's stop hook, the person's
// commits through the pre-commit hook), the exported example, the report — and that it touched
// nothing else: not the repository GIT_DIR names, not the global git config, not a non-empty --dir.

const run = (cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<Spawned> =>
  exec(process.execPath, [CLI, 'demo', ...args], { cwd, env: cleanEnv(env) });

const git = (cwd: string, args: string[]) => {
  const res = spawnSync('git', args, { cwd, env: cleanEnv({ GIT_CONFIG_GLOBAL: '/dev/null' }), encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')}: ${res.stderr}`);
  return res.stdout.trim();
};

// Every record of ℛ in `repo`, oldest first, parsed with the record schema.
function recordsIn(repo: string): RecordV1[] {
  return git(repo, ['notes', '--ref=guardloop', 'list'])
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => git(repo, ['notes', '--ref=guardloop', 'show', l.split(' ')[1]]).split('\n'))
    .filter(Boolean)
    .map((line) => {
      const parsed = parseRecordLine(line);
      if (!parsed.ok) throw new Error(parsed.detail);
      return parsed.record;
    })
    .sort((a, b) => a.ts.localeCompare(b.ts) || a.provenance.length - b.provenance.length);
}

const failed = (r: RecordV1) => r.verdicts.filter((v) => v.status !== 'pass').map((v) => `${v.guard}:${v.status}`);

// The lines of one numbered step (from "N. " to the next step or the closing line).
function stepLines(stdout: string, n: number): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${n}. `));
  expect(start, `step ${n} is told`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && (/^\d+\. /.test(l) || l.startsWith('Done.')));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('guardloop demo', () => {
  let scratch: string;
  let result: Spawned;
  let dir: string;
  let repo: string;
  let other: string;
  let home: string;
  const globalConfig = '[user]\n\tname = Global User\n\temail = global@example.com\n[commit]\n\tgpgsign = true\n[core]\n\thooksPath = /nonexistent/hooks\n';

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'guardloop-demo-test-'));
    dir = join(scratch, 'new', 'demo');
    repo = join(dir, 'repo');
    // Another repository, which GIT_DIR points at as inside a hook, and a HOME whose global git config
    // would break the demo's commits (signing, another hooks path) if the demo read it.
    other = join(scratch, 'other');
    mkdirSync(other);
    git(other, ['init', '-q', '-b', 'main']);
    home = join(scratch, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.gitconfig'), globalConfig);
    result = await run(scratch, ['--dir', dir], {
      HOME: home,
      GIT_DIR: join(other, '.git'),
      GIT_INDEX_FILE: join(other, '.git', 'index'),
      GIT_WORK_TREE: other,
      // The shell of an agent: the person's commits in the demo must still be a person's.
      CLAUDECODE: '1',
      GUARDLOOP: '0',
    });
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('exits 0 after numbered steps, each with its line and its commands, and keeps the folder with how to delete it', () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stderr).toBe('');
    const steps = result.stdout.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(steps.map((l) => Number(l.split('.')[0]))).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    for (let n = 1; n <= 14; n++) expect(stepLines(result.stdout, n).some((l) => l.startsWith('   $ ')), `step ${n} shows a command`).toBe(true);
    expect(result.stdout).toContain(`rm -rf ${dir}`);
    expect(existsSync(join(repo, '.git'))).toBe(true);
  });

  it("ℛ holds the agent's chain through Claude Code's stop hook: REJECTED (no-todo), REJECTED (tests), ACCEPTED, linked by provenance", () => {
    const agent = recordsIn(repo).filter((r) => r.source === 'GENERATOR');
    expect(agent.map((r) => [r.status, r.hook, r.agent, failed(r)])).toEqual([
      ['REJECTED', 'stop', 'claude', ['no-todo:fail']],
      ['REJECTED', 'stop', 'claude', ['tests:fail']],
      ['ACCEPTED', 'stop', 'claude', []],
    ]);
    const [a1, a2, a3] = agent;
    expect(a1.provenance).toEqual([]);
    expect(a2.provenance).toEqual([a1.id]);
    expect(a3.provenance).toEqual([a1.id, a2.id]);
    expect(new Set(agent.map((r) => r.session)).size).toBe(1);
    // The task came from the transcript the demo wrote as Claude Code does.
    for (const r of agent) expect(r.spec.task).toBe(AGENT_TASK);
    // The stop was judged against the commit the prompt hook recorded: the setup commit.
    const setup = git(repo, ['rev-list', '--max-parents=0', 'HEAD']);
    for (const r of agent) expect(r.base).toBe(setup);
    // Each block's reason reached the agent: the demo put it into the transcript as Claude Code does.
    const transcript = readFileSync(join(dir, 'claude', 'session.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const feedback = transcript.filter((e) => e.isMeta === true).map((e) => e.message.content as string);
    expect(feedback).toHaveLength(2);
    expect(feedback[0]).toContain('## no-todo failed');
    expect(feedback[1]).toContain('## tests failed');
  });

  it("ℛ holds the person's commits through the pre-commit hook: the setup ACCEPTED, then a chain REJECTED (tests), ACCEPTED", () => {
    const person = recordsIn(repo).filter((r) => r.source === 'HUMAN');
    expect(person.map((r) => [r.status, r.hook, failed(r)])).toEqual([
      ['ACCEPTED', 'pre-commit', []],
      ['REJECTED', 'pre-commit', ['tests:fail']],
      ['ACCEPTED', 'pre-commit', []],
    ]);
    expect(person[1].provenance).toEqual([]);
    expect(person[2].provenance).toEqual([person[1].id]);
    // Two commits, the rejected one never made; by the demo's own identity, not the global one.
    expect(git(repo, ['log', '--format=%an <%ae>|%s'])).toBe(
      'Demo Person <person@example.com>|farewell() from the agent, and a shorter greeting\nDemo Person <person@example.com>|A greeting library, guarded by guardloop',
    );
    expect(git(repo, ['rev-parse', 'HEAD^{tree}'])).toBe(person[2].tree);
    expect(stepLines(result.stdout, 8).join('\n')).toContain('REJECTED');
    expect(stepLines(result.stdout, 9).join('\n')).toContain('ACCEPTED');
  });

  it('prints one exported example: valid prompt-completion JSON of the agent’s chain, with both rejections’ feedback in its prompt', () => {
    const lines = stepLines(result.stdout, 13);
    const start = lines.findIndex((l) => l.startsWith('   $ npx guardloop extract'));
    const end = lines.findIndex((l, i) => i > start && l.startsWith('     guardloop extract:'));
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const example = JSON.parse(lines.slice(start + 1, end).map((l) => l.slice(5)).join('\n'));
    expect(promptCompletionLineSchema.safeParse(example).success).toBe(true);
    const agent = recordsIn(repo).filter((r) => r.source === 'GENERATOR');
    expect(example.metadata).toMatchObject({ record_id: agent[2].id, chain: agent.map((r) => r.id), source: 'GENERATOR', agent: 'claude', retry: 2, task: AGENT_TASK });
    expect(example.prompt[1].content).toContain('Attempt 1 was rejected:');
    expect(example.prompt[1].content).toContain('Attempt 2 was rejected:');
    expect(example.completion[0].content).toBe(agent[2].artifact.diff);
  });

  it('prints log, stats and constraints, and writes a self-contained report (no http(s) URL in a src or href)', () => {
    expect(stepLines(result.stdout, 10).filter((l) => /\b(ACCEPTED|REJECTED)\b/.test(l))).toHaveLength(6);
    for (const n of [11, 12]) expect(stepLines(result.stdout, n).filter((l) => l.startsWith('     ')).length, `step ${n} has output`).toBeGreaterThan(0);
    expect(stepLines(result.stdout, 12).join('\n')).toMatch(/no-todo[\s\S]*tests|tests[\s\S]*no-todo/);
    const report = join(dir, 'report.html');
    expect(stepLines(result.stdout, 14).join('\n')).toContain(report);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/<html/i);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(?:https?:)?\/\//i);
  });

  it('touched nothing outside its folder: not the repository GIT_DIR named, not the global git config', () => {
    expect(readFileSync(join(home, '.gitconfig'), 'utf8')).toBe(globalConfig);
    expect(spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: other, env: cleanEnv() }).status).not.toBe(0);
    expect(spawnSync('git', ['notes', '--ref=guardloop', 'list'], { cwd: other, env: cleanEnv(), encoding: 'utf8' }).stdout).toBe('');
    expect(readdirSync(join(other, '.git', 'hooks')).filter((f) => !f.endsWith('.sample'))).toEqual([]);
    expect(git(other, ['config', '--local', '--list'])).not.toContain('hookspath');
  });
});

describe('guardloop demo --dir and --clean', () => {
  it('refuses a --dir that is not empty, says how to go on, and writes nothing there', () =>
    withScratch(async (scratch) => {
      writeFileSync(join(scratch, 'notes.txt'), 'mine\n');
      const res = await run(scratch, ['--dir', scratch]);
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toContain(`guardloop demo: ${scratch} is not empty`);
      expect(res.stderr).toContain(`guardloop demo --dir ${scratch}/guardloop-demo`);
      expect(readdirSync(scratch)).toEqual(['notes.txt']);
      // A file where the folder should be: refused the same way.
      const file = await run(scratch, ['--dir', 'notes.txt']);
      expect(file.code).toBe(2);
      expect(file.stderr).toContain(`guardloop demo: ${join(scratch, 'notes.txt')} exists and is not a folder`);
      expect(readFileSync(join(scratch, 'notes.txt'), 'utf8')).toBe('mine\n');
    }));

  it('--clean removes the temp folder it made once the demo has run', () =>
    withScratch(async (scratch) => {
      const res = await run(scratch, ['--clean'], { TMPDIR: scratch });
      expect(res.code, res.stderr + res.stdout).toBe(0);
      const made = /under (\S+guardloop-demo-\w+)\./.exec(res.stdout)?.[1];
      expect(made?.startsWith(scratch)).toBe(true);
      expect(res.stdout).toContain(`Removed ${made}`);
      expect(existsSync(made!)).toBe(false);
      expect(readdirSync(scratch).filter((f) => f.startsWith('guardloop-demo-'))).toEqual([]);
    }));
});

async function withScratch(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-demo-test-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
