import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { hook, records, stopPayload, todoRepo } from './helpers.js';
import { BUTTON, CLAUDE_PROMPT, claudeEarlierTurn, claudeInjected, claudeTurn, codexRollout, codexInjected, jsonl } from './transcripts.js';

// The task ℛ records for a stop, read by the real CLI from the transcript the payload points to.

function transcript(repo: TestRepo, entries: unknown[]): string {
  const file = join(repo.dir, '.git', 'transcript.jsonl');
  writeFileSync(file, jsonl(entries));
  return file;
}

describe('spec.task recorded from the transcript', () => {
  it('Claude Code: a prompt that opens with `<` is the task at both stops, not the previous prompt', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      transcript(repo, [...claudeEarlierTurn(), ...claudeTurn(BUTTON)]);
      repo.write('src/a.js', 'export const a = 1; // TODO: remove me\n');
      expect(JSON.parse((await hook(repo, 'claude', stopPayload('claude', repo.dir, 0))).stdout).decision).toBe('block');
      repo.write('src/a.js', 'export const a = 1;\n');
      expect(await hook(repo, 'claude', stopPayload('claude', repo.dir, 1))).toMatchObject({ code: 0, stdout: '' });
      expect(records(repo).map((r) => [r.status, r.spec.task])).toEqual([
        ['REJECTED', BUTTON],
        ['ACCEPTED', BUTTON],
      ]);
    }));

  it('Claude Code: injected user entries after the prompt are not the task', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      transcript(repo, [...claudeEarlierTurn(), ...claudeTurn(CLAUDE_PROMPT, claudeInjected())]);
      await hook(repo, 'claude', stopPayload('claude', repo.dir, 1));
      expect(records(repo).map((r) => r.spec.task)).toEqual([CLAUDE_PROMPT]);
    }));

  it('Codex: the rollout names the prompt that opens with `<`, past context fragments and the <hook_prompt>', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      const file = transcript(repo, codexRollout(BUTTON, { earlier: 'Set up the repository.', injected: codexInjected() }));
      await hook(repo, 'codex', { ...stopPayload('codex', repo.dir, 1), transcript_path: file });
      expect(records(repo).map((r) => r.spec.task)).toEqual([BUTTON]);
    }));
});
