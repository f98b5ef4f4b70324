import { existsSync, readFileSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { FIXTURES, hook, installTranscript, records, stopPayload } from './helpers.js';

// Subagents and plan mode, through the real hook command (the built CLI, payload on stdin): the
// payloads are the ones the real CLIs sent (Copilot CLI 1.0.102, Qwen Code 0.24.4, Codex 0.169.0, each
// driven against a local mock: a subagent that wrote a file, was blocked once and fixed it).

const SESSION = '4e994f1e-48f4-4ade-b0e5-8e5f5bea14d2';

// A repository whose stop guard rejects any TODO under src/ and notes each run in `ran.txt` (outside src/).
function guardedRepo(repo: TestRepo, extra = ''): string {
  const marker = join(repo.dir, '.git', 'ran.txt');
  repo.installPackage();
  repo.config(`guards:\n${guardYaml('no-todo', `echo run >> '${marker}'; ! grep -rn TODO src`, '    layer: lint\n')}${extra}`);
  repo.write('src/a.js', 'export const a = 1;\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'init');
  return marker;
}

const runs = (marker: string) => (existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).length : 0);

// The captured payloads of one agent's subagent session, pointed at the repository (transcripts at
// paths that don't exist: the agents' own logs are not this test's subject).
function captured(file: string, dir: string): Array<Record<string, unknown>> {
  const away = (v: unknown) => (typeof v === 'string' ? join(dir, '.git', 'no-transcript.jsonl') : v);
  return readFileSync(join(FIXTURES, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .map((e) => ({ ...e, cwd: dir, transcript_path: away(e.transcript_path), transcriptPath: away(e.transcriptPath), agent_transcript_path: away(e.agent_transcript_path) }));
}

const claudeSub = (dir: string, event: 'SubagentStart' | 'SubagentStop', agent = 'a5b8c0d1e2f3', extra: Record<string, unknown> = {}) => ({
  session_id: SESSION,
  transcript_path: join(dir, '.git', 'transcript.jsonl'),
  cwd: dir,
  permission_mode: 'default',
  hook_event_name: event,
  agent_id: agent,
  agent_type: 'general-purpose',
  ...(event === 'SubagentStop' ? { stop_hook_active: false, agent_transcript_path: '', last_assistant_message: 'Done.' } : {}),
  ...extra,
});

describe('plan mode', () => {
  it('a Claude Code stop or SubagentStop in plan mode is let through at once: no guard runs, nothing is recorded; the next stop judges the tree', () =>
    withGitRepo(async (repo) => {
      const marker = guardedRepo(repo);
      installTranscript(repo);
      repo.write('src/a.js', '// TODO: left from an earlier turn\n');
      const plan = await hook(repo, 'claude', { ...stopPayload('claude', repo.dir), permission_mode: 'plan' });
      expect(plan).toMatchObject({ code: 0, stdout: '' });
      const planSub = await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStop', 'a1', { permission_mode: 'plan' }));
      expect(planSub).toMatchObject({ code: 0, stdout: '' });
      expect(runs(marker)).toBe(0);
      expect(records(repo)).toEqual([]);
      // Out of plan mode the same tree is judged.
      const next = await hook(repo, 'claude', stopPayload('claude', repo.dir));
      expect(JSON.parse(next.stdout)).toMatchObject({ decision: 'block', reason: expect.stringContaining('(attempt 1 of 5)') });
      expect(runs(marker)).toBeGreaterThanOrEqual(1);
    }));

  it('Qwen Code: its plan approval mode (permission_mode "plan") is let through the same way; yolo is judged', () =>
    withGitRepo(async (repo) => {
      const marker = guardedRepo(repo);
      repo.write('src/a.js', '// TODO\n');
      const plan = await hook(repo, 'qwen', { ...stopPayload('qwen', repo.dir), permission_mode: 'plan' });
      expect(plan).toMatchObject({ code: 0, stdout: '' });
      expect(records(repo)).toEqual([]);
      const yolo = await hook(repo, 'qwen', stopPayload('qwen', repo.dir));
      expect(JSON.parse(yolo.stdout).decision).toBe('block');
      expect(runs(marker)).toBeGreaterThanOrEqual(1);
    }));
});

describe('subagents (Claude Code)', () => {
  it('a subagent that changed nothing since its SubagentStart is let through without a run, even with the parent’s failing edit in the tree', () =>
    withGitRepo(async (repo) => {
      const marker = guardedRepo(repo);
      installTranscript(repo);
      // The parent's own unfinished edit: its stop will judge it, the read-only subagent is not blocked for it.
      repo.write('src/a.js', '// TODO: the parent is still on it\n');
      const start = await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStart'), { hook: 'turn-start' });
      expect(start).toMatchObject({ code: 0, stdout: '' });
      // The user's index was not touched by recording the start.
      expect(repo.git('status', '--porcelain')).toBe('M src/a.js');
      const stop = await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStop'));
      expect(stop).toMatchObject({ code: 0, stdout: '' });
      expect(runs(marker)).toBe(0);
      expect(records(repo)).toEqual([]);
      // The parent's stop is judged as before.
      const parent = await hook(repo, 'claude', stopPayload('claude', repo.dir));
      expect(JSON.parse(parent.stdout).decision).toBe('block');
      expect(records(repo).map((r) => [r.session, r.retry])).toEqual([[SESSION, 0]]);
    }));

  it('a subagent that changed something is judged in a chain of its own: its retries and escalation don’t count against its parent', () =>
    withGitRepo(async (repo) => {
      guardedRepo(repo, 'agent:\n  maxAttempts: 2\n');
      installTranscript(repo);
      await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStart'), { hook: 'turn-start' });
      repo.write('src/b.js', '// TODO from the subagent\n');
      const first = JSON.parse((await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStop'))).stdout);
      expect(first).toMatchObject({ decision: 'block', reason: expect.stringContaining('(attempt 1 of 2)') });
      const second = JSON.parse((await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStop', undefined, { stop_hook_active: true }))).stdout);
      // Escalated: let through, the person told.
      expect(second.decision).toBeUndefined();
      expect(second.systemMessage).toContain('rejected 2 times in a row');
      // The parent's first stop on the same tree is the first attempt of the parent's chain.
      const parent = JSON.parse((await hook(repo, 'claude', stopPayload('claude', repo.dir))).stdout);
      expect(parent).toMatchObject({ decision: 'block', reason: expect.stringContaining('(attempt 1 of 2)') });
      const rs = records(repo);
      expect(rs.map((r) => [r.session, r.retry, r.escalated ?? false])).toEqual([
        [`${SESSION}/a5b8c0d1e2f3`, 0, false],
        [`${SESSION}/a5b8c0d1e2f3`, 1, true],
        [SESSION, 0, false],
      ]);
      for (const r of rs) expect(r).toMatchObject({ source: 'GENERATOR', agent: 'claude', hook: 'stop' });
    }));

  it('a subagent whose change was reverted, or that committed, is checked soundly: same content and HEAD pass, a moved HEAD runs', () =>
    withGitRepo(async (repo) => {
      const marker = guardedRepo(repo);
      installTranscript(repo);
      await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStart', 'rev'), { hook: 'turn-start' });
      repo.write('src/tmp.js', 'scratch\n');
      rmSync(join(repo.dir, 'src/tmp.js'));
      expect((await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStop', 'rev'))).stdout).toBe('');
      expect(runs(marker)).toBe(0);
      // A subagent that commits what it found leaves the content as it was, but HEAD moved: judged.
      repo.write('src/c.js', 'export const c = 3;\n');
      await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStart', 'com'), { hook: 'turn-start' });
      repo.git('add', '-A');
      repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'by the subagent');
      expect((await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStop', 'com'))).code).toBe(0);
      expect(runs(marker)).toBeGreaterThanOrEqual(1);
      expect(records(repo).map((r) => [r.session, r.status])).toEqual([[`${SESSION}/com`, 'ACCEPTED']]);
    }));

  it('without a recorded start (no SubagentStart hook) the subagent’s stop runs the guards', () =>
    withGitRepo(async (repo) => {
      const marker = guardedRepo(repo);
      installTranscript(repo);
      const stop = await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStop', 'nostart'));
      expect(stop).toMatchObject({ code: 0 });
      expect(runs(marker) + records(repo).length).toBeGreaterThanOrEqual(1);
      expect(records(repo).map((r) => r.session)).toEqual([`${SESSION}/nostart`]);
    }));

  it('a start is forgotten once its subagent is let through, and one left behind by a killed subagent is swept', () =>
    withGitRepo(async (repo) => {
      guardedRepo(repo);
      installTranscript(repo);
      const dir = join(repo.dir, '.git', 'guardloop', 'subagents');
      await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStart', 'killed'), { hook: 'turn-start' });
      const [left] = readdirSync(dir);
      // Two days old: its subagent never came back.
      const old = new Date(Date.now() - 2 * 24 * 60 * 60_000);
      utimesSync(join(dir, left), old, old);
      await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStart'), { hook: 'turn-start' });
      expect(readdirSync(dir)).toHaveLength(1);
      expect(readdirSync(dir)).not.toContain(left);
      await hook(repo, 'claude', claudeSub(repo.dir, 'SubagentStop'));
      expect(readdirSync(dir)).toEqual([]);
    }));
});

describe('a parent whose subagents still run in the background', () => {
  it('is let through unjudged (the person told) while they run, and judged at the stop after they finish; a background shell changes nothing', () =>
    withGitRepo(async (repo) => {
      const marker = guardedRepo(repo);
      installTranscript(repo);
      // A background subagent's unfinished work (Claude Code's background_tasks as 2.1.330 sends them).
      repo.write('src/sub.js', '// TODO: the subagent is still on it\n');
      const running = { id: 'a1bbb9f16c3dc0930', type: 'subagent', status: 'running', description: 'Write a file', agent_type: 'general-purpose' };
      const early = await hook(repo, 'claude', { ...stopPayload('claude', repo.dir), background_tasks: [running] });
      expect(early.code).toBe(0);
      expect(JSON.parse(early.stdout).systemMessage).toContain('1 subagent still runs in the background, so this stop was not judged yet');
      expect(runs(marker)).toBe(0);
      expect(records(repo)).toEqual([]);
      // Qwen Code lists its background agents with an agent_type.
      const qwen = await hook(repo, 'qwen', { ...stopPayload('qwen', repo.dir), background_tasks: [{ id: 'general-purpose-call_1', status: 'running', agent_type: 'general-purpose', description: 'x' }] });
      expect(JSON.parse(qwen.stdout).systemMessage).toContain('still runs in the background');
      expect(records(repo)).toEqual([]);
      // A running background shell is no subagent; a finished subagent is not waited for.
      const shell = await hook(repo, 'claude', { ...stopPayload('claude', repo.dir), background_tasks: [{ id: 'b1', type: 'shell', status: 'running' }, { ...running, status: 'completed' }] });
      expect(JSON.parse(shell.stdout).decision).toBe('block');
    }));
});

describe('subagents (GitHub Copilot CLI, captured payloads)', () => {
  it('subagentStart → its own agentStop (let through at once) → subagentStop: blocked in its own chain, then fixed; the parent’s agentStop after it', () =>
    withGitRepo(async (repo) => {
      const marker = guardedRepo(repo);
      const [start, ownStop, subStop, ownStop2, subStop2, parentStop] = captured('copilot/subagent-payloads.jsonl', repo.dir);
      const parent = start.sessionId as string;
      const agent = start.agentId as string;
      expect((await hook(repo, 'copilot', start, { hook: 'turn-start' })).stdout).toBe('');
      repo.write('src/sub.js', '// TODO from the subagent\n');
      // The subagent's own agentStop (sessionId = agentId) can't block; its subagentStop judges it.
      expect(await hook(repo, 'copilot', ownStop)).toMatchObject({ code: 0, stdout: '' });
      expect(runs(marker)).toBe(0);
      const blocked = JSON.parse((await hook(repo, 'copilot', subStop)).stdout);
      expect(blocked).toMatchObject({ decision: 'block', reason: expect.stringContaining('src/sub.js:1:// TODO from the subagent') });
      repo.write('src/sub.js', 'export const sub = 1;\n');
      expect((await hook(repo, 'copilot', ownStop2)).stdout).toBe('');
      expect((await hook(repo, 'copilot', subStop2)).stdout).toBe('');
      expect((await hook(repo, 'copilot', parentStop)).stdout).toBe('');
      const rs = records(repo).filter((r) => r.session !== parent);
      expect(rs.map((r) => [r.session, r.status, r.retry, r.lastMessage])).toEqual([
        [`${parent}/${agent}`, 'REJECTED', 0, 'sub finished'],
        [`${parent}/${agent}`, 'ACCEPTED', 1, 'sub finished'],
      ]);
    }));

  it('a subagent that changed nothing is let through at its subagentStop without a run', () =>
    withGitRepo(async (repo) => {
      const marker = guardedRepo(repo);
      repo.write('src/a.js', '// TODO of the parent\n');
      const [start, ownStop, subStop] = captured('copilot/subagent-payloads.jsonl', repo.dir);
      await hook(repo, 'copilot', start, { hook: 'turn-start' });
      expect((await hook(repo, 'copilot', ownStop)).stdout).toBe('');
      expect((await hook(repo, 'copilot', subStop)).stdout).toBe('');
      expect(runs(marker)).toBe(0);
      expect(records(repo)).toEqual([]);
    }));
});

describe('subagents (Qwen Code and Codex, captured payloads)', () => {
  for (const [agent, file] of [
    ['qwen', 'qwen/subagent-payloads.jsonl'],
    ['codex', 'codex/subagent-payloads.jsonl'],
  ] as const) {
    it(`${agent}: SubagentStart records the start; an unchanged subagent passes; a changed one is blocked in its own chain`, () =>
      withGitRepo(async (repo) => {
        const marker = guardedRepo(repo);
        const events = captured(file, repo.dir);
        const start = events.find((e) => e.hook_event_name === 'SubagentStart')!;
        const [stop, again] = events.filter((e) => e.hook_event_name === 'SubagentStop');
        const chain = `${start.session_id}/${start.agent_id}`;
        await hook(repo, agent, start, { hook: 'turn-start' });
        expect((await hook(repo, agent, stop)).code).toBe(0);
        expect(runs(marker)).toBe(0);
        expect(records(repo)).toEqual([]);
        // The same subagent starts again (resumed) and writes a TODO.
        await hook(repo, agent, start, { hook: 'turn-start' });
        repo.write('src/sub.js', '// TODO\n');
        expect(JSON.parse((await hook(repo, agent, stop)).stdout)).toMatchObject({ decision: 'block', reason: expect.stringContaining('(attempt 1 of 5)') });
        repo.write('src/sub.js', 'export {};\n');
        await hook(repo, agent, again);
        expect(records(repo).map((r) => [r.session, r.status, r.retry])).toEqual([
          [chain, 'REJECTED', 0],
          [chain, 'ACCEPTED', 1],
        ]);
      }));
  }
});

describe('subagents (Cursor, documented payloads)', () => {
  it('subagentStart is allowed with {"permission":"allow"}; subagentStop blocks with followup_message in the subagent’s chain', () =>
    withGitRepo(async (repo) => {
      guardedRepo(repo);
      const base = { conversation_id: 'c0ffee00-1111-4222-8333-444455556666', generation_id: 'g1', workspace_roots: [repo.dir], cursor_version: '3.18.25' };
      const id = 'call-0b1c2d3e-1\nfc_0a1b_1';
      const start = { ...base, hook_event_name: 'subagentStart', subagent_id: id, subagent_type: 'generalPurpose', task: 'Write src/sub.js', parent_conversation_id: base.conversation_id, tool_call_id: id, is_parallel_worker: false };
      expect(JSON.parse((await hook(repo, 'cursor', start, { hook: 'turn-start' })).stdout)).toEqual({ permission: 'allow' });
      repo.write('src/sub.js', '// TODO\n');
      const stop = { ...base, hook_event_name: 'subagentStop', subagent_id: id, subagent_type: 'generalPurpose', status: 'completed', parent_conversation_id: base.conversation_id, loop_count: 0 };
      expect(JSON.parse((await hook(repo, 'cursor', stop)).stdout).followup_message).toContain('(attempt 1 of 5)');
      expect(records(repo).map((r) => r.session)).toEqual([`${base.conversation_id}/call-0b1c2d3e-1 fc_0a1b_1`]);
      // An aborted subagent is never blocked.
      expect((await hook(repo, 'cursor', { ...stop, status: 'aborted' })).stdout).toBe('{}\n');
      // A start that can't be recorded (no repository there) still lets the subagent start, and says why.
      const lost = await hook(repo, 'cursor', { ...start, workspace_roots: [tmpdir()] }, { hook: 'turn-start' });
      expect(lost.code).toBe(0);
      expect(JSON.parse(lost.stdout)).toEqual({ permission: 'allow' });
      expect(lost.stderr).toContain('could not record what the work tree held when this subagent started');
    }));
});
