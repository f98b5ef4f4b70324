import { describe, expect, it } from 'vitest';
import { detectAgent } from '../../src/engine/source.js';
import { withGitRepo } from '../helpers/git-repo.js';
import { records, todoRepo } from './helpers.js';

// The variables the real CLIs set in the shells their agents run (read from Qwen Code 0.24.4's and
// Copilot CLI 1.0.102's shell tool in test:agents, subagents' shells included): a `git commit` made
// there is the agent's (GENERATOR).
const QWEN_SHELL = { QWEN_CODE: '1', QWEN_CODE_SESSION_ID: '1fc353cc-14a2-48c3-93a2-eb77791372ee', QWEN_CODE_AGENT_ID: '' };
const COPILOT_SHELL = { COPILOT_CLI: '1', COPILOT_AGENT_SESSION_ID: '76000d48-309d-4ecf-a73e-266c81af1ec4' };

describe("agents' shells", () => {
  it('tells Qwen Code and Copilot CLI shells apart from a person’s', () => {
    expect(detectAgent(QWEN_SHELL)).toBe('qwen');
    expect(detectAgent({ QWEN_CODE_SESSION_ID: 'x' })).toBe('qwen');
    expect(detectAgent(COPILOT_SHELL)).toBe('copilot');
    // Qwen Code's hooks see QWEN_PROJECT_DIR (and Claude's and Gemini's project variables) but no marker of another agent.
    expect(detectAgent({ QWEN_PROJECT_DIR: '/r', GEMINI_PROJECT_DIR: '/r', CLAUDE_PROJECT_DIR: '/r' })).toBe(null);
    expect(detectAgent({ QWEN_CODE: '0' })).toBe(null);
  });

  it('a git commit from a Qwen Code shell is GENERATOR qwen: the committed config and protected paths apply; approve is refused there', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      repo.installHook();
      repo.config('guards: []\n');
      repo.git('add', '-A');
      const res = await repo.commit('weaken', [], QWEN_SHELL);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain('protected-paths');
      expect(records(repo).pop()).toMatchObject({ source: 'GENERATOR', agent: 'qwen', hook: 'pre-commit', status: 'REJECTED' });
      const approve = await repo.cli(['approve', '--yes'], { env: QWEN_SHELL });
      expect(approve.code).not.toBe(0);
      expect(approve.stderr).toContain('this shell belongs to an agent (qwen)');
    }));
});
