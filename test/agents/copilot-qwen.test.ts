import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { copilotSession } from '../../src/agents/copilot.js';
import { qwenPrompt } from '../../src/agents/qwen.js';
import { FIXTURES, hook, records, stopPayload, todoRepo } from './helpers.js';

// The payloads and session logs captured from GitHub Copilot CLI 1.0.102 and Qwen Code 0.24.4 (one
// session each: a TODO written, blocked once, fixed; see fixtures/README.md), replayed through the built CLI.
const lines = (rel: string) =>
  readFileSync(join(FIXTURES, rel), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const PROMPT = 'Create src/a.js exporting a constant a.';

describe('GitHub Copilot CLI and Qwen Code: the captured hook payloads', () => {
  it('copilot: the prompt and the last answer are read from the session log (the block’s reason, queued as a user message, is not the task)', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      copyFileSync(join(FIXTURES, 'copilot/events.jsonl'), join(repo.dir, '.git', 'copilot-events.jsonl'));
      repo.write('src/a.js', 'export const a = 1; // TODO: remove me\n');
      const blocked = await hook(repo, 'copilot', stopPayload('copilot', repo.dir, 0));
      expect(JSON.parse(blocked.stdout)).toEqual({ decision: 'block', reason: expect.stringContaining('no-todo') });
      repo.write('src/a.js', 'export const a = 1;\n');
      const allowed = await hook(repo, 'copilot', stopPayload('copilot', repo.dir, 1));
      expect(allowed).toMatchObject({ code: 0, stdout: '' });
      const rs = records(repo);
      expect(rs.map((r) => [r.status, r.session, r.spec.task, r.lastMessage ?? null])).toEqual([
        // No answer: the log's newest one can be another turn's (here both stops would get the first's).
        ['REJECTED', '5346b57e-dc11-4ca8-ab30-19ee87410ee1', PROMPT, null],
        ['ACCEPTED', '5346b57e-dc11-4ca8-ab30-19ee87410ee1', PROMPT, null],
      ]);
    }));

  it('qwen: the prompt is read from the chat log, the answer from the payload; a block goes on with {"decision":"block"}', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      copyFileSync(join(FIXTURES, 'qwen/chat.jsonl'), join(repo.dir, '.git', 'qwen-chat.jsonl'));
      repo.write('src/a.js', 'export const a = 1; // TODO: remove me\n');
      const blocked = await hook(repo, 'qwen', stopPayload('qwen', repo.dir, 0));
      expect(blocked.code).toBe(0);
      expect(JSON.parse(blocked.stdout)).toEqual({ decision: 'block', reason: expect.stringMatching(/^guardloop rejected this change \(attempt 1 of 5\)/) });
      repo.write('src/a.js', 'export const a = 1;\n');
      expect(await hook(repo, 'qwen', stopPayload('qwen', repo.dir, 1))).toMatchObject({ code: 0, stdout: '' });
      const rs = records(repo);
      expect(rs.map((r) => [r.status, r.agent, r.session, r.spec.task, r.lastMessage])).toEqual([
        ['REJECTED', 'qwen', 'ae145cc7-35ec-44f0-be55-08be63a288e1', PROMPT, 'Created src/a.js.'],
        ['ACCEPTED', 'qwen', 'ae145cc7-35ec-44f0-be55-08be63a288e1', PROMPT, 'Created src/a.js.'],
      ]);
      expect(rs[1].provenance).toEqual([rs[0].id]);
    }));

  it('qwen: guardloop’s notice to the person (a stop let through) goes in systemMessage, which Qwen Code shows', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo, 'agent:\n  onError: allow\n');
      const res = await hook(repo, 'qwen', '[]');
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toEqual({ systemMessage: expect.stringContaining('not a JSON object') });
    }));

  for (const [agent, rel, pathKey, deny] of [
    ['copilot', 'copilot/pretooluse-payloads.jsonl', 'toolArgs', (r: string) => ({ permissionDecision: 'deny', permissionDecisionReason: r })],
    ['qwen', 'qwen/pretooluse-payloads.jsonl', 'tool_input', (r: string) => ({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: r } })],
  ] as const) {
    it(`${agent}: an edit tool call (create/edit, write_file) of a protected path is denied; of any other path, allowed with empty stdout`, () =>
      withGitRepo(async (repo) => {
        todoRepo(repo);
        for (const captured of lines(rel)) {
          const input = captured[pathKey] as Record<string, unknown>;
          const key = 'path' in input ? 'path' : 'file_path';
          const at = (p: string) => ({ ...captured, cwd: repo.dir, [pathKey]: { ...input, [key]: join(repo.dir, p) } });
          const allowed = await hook(repo, agent, at('src/a.js'), { hook: 'pre-tool' });
          expect(allowed).toMatchObject({ code: 0, stdout: '' });
          const denied = await hook(repo, agent, at('.loop/config.yaml'), { hook: 'pre-tool' });
          expect(denied.code).toBe(0);
          expect(JSON.parse(denied.stdout)).toEqual(deny(expect.stringContaining('protected path changed') as unknown as string));
        }
        // A tool that edits nothing (Copilot CLI's view, Qwen Code's read_file) is let through without a look.
        const other = agent === 'copilot' ? { ...lines(rel)[0], toolName: 'view' } : { ...lines(rel)[0], tool_name: 'read_file' };
        expect(await hook(repo, agent, { ...other, cwd: repo.dir }, { hook: 'pre-tool' })).toMatchObject({ code: 0, stdout: '' });
      }));
  }

  for (const [agent, rel] of [
    ['copilot', 'copilot/userpromptsubmitted-payloads.jsonl'],
    ['qwen', 'qwen/userpromptsubmit-payloads.jsonl'],
  ] as const) {
    it(`${agent}: the prompt-submit hook records the turn’s start; its repeats within the turn (the block’s reason, tool results) keep it`, () =>
      withGitRepo(async (repo) => {
        todoRepo(repo);
        const head = repo.git('rev-parse', 'HEAD');
        const [first, ...later] = lines(rel);
        expect(await hook(repo, agent, { ...first, cwd: repo.dir }, { hook: 'turn-start' })).toMatchObject({ code: 0, stdout: '' });
        const turnDir = join(repo.dir, '.git', 'guardloop', 'turns');
        const turn = () => readdirSync(turnDir).map((f) => JSON.parse(readFileSync(join(turnDir, f), 'utf8')).head);
        expect(turn()).toEqual([head]);
        // The agent commits mid-turn; the repeats carry the turn's base over.
        repo.write('src/b.js', 'export const b = 2;\n');
        repo.git('add', '-A');
        repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'agent');
        for (const p of later) expect(await hook(repo, agent, { ...p, cwd: repo.dir }, { hook: 'turn-start' })).toMatchObject({ code: 0, stdout: '' });
        expect(turn()).toEqual([head]);
      }));
  }
});

describe('reading the session logs from their end', () => {
  it('finds the prompt across chunk boundaries and past a long tail; a missing file gives nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guardloop-logs-'));
    try {
      const big = join(dir, 'chat.jsonl');
      const filler = JSON.stringify({ type: 'assistant', provenance: 'assistant_output', message: { role: 'model', parts: [{ text: 'x'.repeat(100_000) }] } });
      writeFileSync(big, `${readFileSync(join(FIXTURES, 'qwen/chat.jsonl'), 'utf8')}${`${filler}\n`.repeat(3)}`);
      expect(qwenPrompt(big)).toBe(PROMPT);
      // No newline at the end, the prompt on the first line.
      writeFileSync(big, readFileSync(join(FIXTURES, 'qwen/chat.jsonl'), 'utf8').split('\n')[0]);
      expect(qwenPrompt(big)).toBe(PROMPT);
      expect(qwenPrompt(join(dir, 'no-such-file.jsonl'))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(copilotSession(join(FIXTURES, 'copilot/events.jsonl'))).toEqual({ prompt: PROMPT });
    expect(copilotSession(null)).toEqual({ prompt: null });
    // A log Copilot CLI hasn't written yet is looked for again (the real CLI's first stop, in
    // test/agents-e2e/copilot.e2e.ts); one that never comes ends the wait with no prompt, no error.
    expect(copilotSession(join(FIXTURES, 'copilot/no-such-events.jsonl'), 100)).toEqual({ prompt: null });
  });
});
