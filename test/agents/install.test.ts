import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, withGitRepo } from '../helpers/git-repo.js';
import { stopPayload, todoRepo } from './helpers.js';

const FILES = ['.claude/settings.json', '.codex/hooks.json', '.cursor/hooks.json', '.gemini/settings.json', '.github/hooks/guardloop.json', '.qwen/settings.json'];
const BIN = '.loop/hooks/agent';

describe('guardloop init --agent', () => {
  it('writes each agent’s hook config in its own shape, and a second run changes nothing', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      const res = await repo.cli(['init', '--agent', 'all']);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('trust');
      const json = (f: string) => JSON.parse(repo.read(f));
      expect(json('.claude/settings.json')).toEqual({
        hooks: {
          UserPromptSubmit: [{ hooks: [{ type: 'command', command: `"$CLAUDE_PROJECT_DIR"/${BIN} run --hook turn-start --agent claude`, timeout: 30 }] }],
          Stop: [{ hooks: [{ type: 'command', command: `"$CLAUDE_PROJECT_DIR"/${BIN} run --hook stop --agent claude`, timeout: 360 }] }],
          SubagentStart: [{ hooks: [{ type: 'command', command: `"$CLAUDE_PROJECT_DIR"/${BIN} run --hook turn-start --agent claude`, timeout: 30 }] }],
          SubagentStop: [{ hooks: [{ type: 'command', command: `"$CLAUDE_PROJECT_DIR"/${BIN} run --hook stop --agent claude`, timeout: 360 }] }],
          PreToolUse: [{ matcher: 'Edit|Write|MultiEdit', hooks: [{ type: 'command', command: `"$CLAUDE_PROJECT_DIR"/${BIN} run --hook pre-tool --agent claude`, timeout: 30 }] }],
        },
      });
      expect(json('.codex/hooks.json')).toEqual({
        hooks: {
          UserPromptSubmit: [{ hooks: [{ type: 'command', command: `${BIN} run --hook turn-start --agent codex`, timeout: 30 }] }],
          Stop: [{ hooks: [{ type: 'command', command: `${BIN} run --hook stop --agent codex`, timeout: 360 }] }],
          SubagentStart: [{ hooks: [{ type: 'command', command: `${BIN} run --hook turn-start --agent codex`, timeout: 30 }] }],
          SubagentStop: [{ hooks: [{ type: 'command', command: `${BIN} run --hook stop --agent codex`, timeout: 360 }] }],
          PreToolUse: [{ matcher: 'apply_patch|Edit|Write', hooks: [{ type: 'command', command: `${BIN} run --hook pre-tool --agent codex`, timeout: 30 }] }],
        },
      });
      expect(json('.cursor/hooks.json')).toEqual({
        version: 1,
        hooks: {
          beforeSubmitPrompt: [{ command: `${BIN} run --hook turn-start --agent cursor`, timeout: 30 }],
          stop: [{ command: `${BIN} run --hook stop --agent cursor`, loop_limit: 5, timeout: 360 }],
          subagentStart: [{ command: `${BIN} run --hook turn-start --agent cursor`, timeout: 30 }],
          subagentStop: [{ command: `${BIN} run --hook stop --agent cursor`, loop_limit: 5, timeout: 360 }],
        },
      });
      const gemini = json('.gemini/settings.json');
      expect(gemini.hooks.AfterAgent).toEqual([{ matcher: '*', hooks: [{ name: 'guardloop', type: 'command', command: `"$GEMINI_PROJECT_DIR"/${BIN} run --hook stop --agent gemini`, timeout: 360_000 }] }]);
      expect(gemini.hooks.BeforeTool[0].matcher).toBe('write_file|replace');
      expect(gemini.hooks.BeforeAgent).toEqual([{ matcher: '*', hooks: [{ name: 'guardloop-turn', type: 'command', command: `"$GEMINI_PROJECT_DIR"/${BIN} run --hook turn-start --agent gemini`, timeout: 30_000 }] }]);
      expect(json('.github/hooks/guardloop.json')).toEqual({
        version: 1,
        hooks: {
          userPromptSubmitted: [{ type: 'command', bash: `${BIN} run --hook turn-start --agent copilot`, timeoutSec: 30 }],
          agentStop: [{ type: 'command', bash: `${BIN} run --hook stop --agent copilot`, timeoutSec: 360 }],
          subagentStart: [{ type: 'command', bash: `${BIN} run --hook turn-start --agent copilot`, timeoutSec: 30 }],
          subagentStop: [{ type: 'command', bash: `${BIN} run --hook stop --agent copilot`, timeoutSec: 360 }],
          preToolUse: [{ type: 'command', bash: `${BIN} run --hook pre-tool --agent copilot`, timeoutSec: 30 }],
        },
      });
      expect(json('.qwen/settings.json')).toEqual({
        // Qwen Code's settings format version: a file without it is rewritten by Qwen Code at start-up.
        $version: 4,
        hooks: {
          UserPromptSubmit: [{ hooks: [{ type: 'command', command: `"$QWEN_PROJECT_DIR"/${BIN} run --hook turn-start --agent qwen`, timeout: 30 }] }],
          Stop: [{ hooks: [{ type: 'command', command: `"$QWEN_PROJECT_DIR"/${BIN} run --hook stop --agent qwen`, timeout: 360 }] }],
          SubagentStart: [{ hooks: [{ type: 'command', command: `"$QWEN_PROJECT_DIR"/${BIN} run --hook turn-start --agent qwen`, timeout: 30 }] }],
          SubagentStop: [{ hooks: [{ type: 'command', command: `"$QWEN_PROJECT_DIR"/${BIN} run --hook stop --agent qwen`, timeout: 360 }] }],
          PreToolUse: [{ matcher: 'write_file|edit', hooks: [{ type: 'command', command: `"$QWEN_PROJECT_DIR"/${BIN} run --hook pre-tool --agent qwen`, timeout: 30 }] }],
        },
      });

      const before = FILES.map((f) => repo.read(f));
      const again = await repo.cli(['init', '--agent', 'claude,codex,cursor,gemini,copilot,qwen']);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('nothing to change');
      expect(FILES.map((f) => repo.read(f))).toEqual(before);

      const status = await repo.cli(['status', '--json']);
      const agents = JSON.parse(status.stdout).agents;
      expect(agents.map((a: any) => [a.agent, a.stop, a.tool])).toEqual([
        ['claude', true, true],
        ['codex', true, true],
        ['cursor', true, null],
        ['gemini', true, true],
        ['copilot', true, true],
        ['qwen', true, true],
      ]);
    }));

  it('merges into existing configs without clobbering other keys, events or handlers, and updates its own entry in place', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      const mine = {
        permissions: { allow: ['Bash(npm test)'] },
        hooks: {
          Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }],
          PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'audit.sh' }] }, { matcher: 'Write', hooks: [{ type: 'command', command: 'npx guardloop run --hook pre-tool --agent claude', timeout: 5 }] }],
          Notification: [{ hooks: [{ type: 'command', command: 'notify.sh' }] }],
        },
      };
      repo.write('.claude/settings.json', JSON.stringify(mine, null, 4));
      repo.write('.cursor/hooks.json', JSON.stringify({ version: 1, hooks: { afterFileEdit: [{ command: 'fmt.sh' }], stop: [{ command: 'other-stop.sh' }] } }));
      const res = await repo.cli(['init', '--agent', 'claude,cursor']);
      expect(res.code).toBe(0);
      const text = repo.read('.claude/settings.json');
      expect(text).toMatch(/^ {4}"permissions"/m); // indentation kept
      const claude = JSON.parse(text);
      expect(claude.permissions).toEqual(mine.permissions);
      expect(claude.hooks.Notification).toEqual(mine.hooks.Notification);
      expect(claude.hooks.Stop[0]).toEqual(mine.hooks.Stop[0]);
      expect(claude.hooks.Stop[1].hooks[0].command).toContain(`${BIN} run --hook stop --agent claude`);
      expect(claude.hooks.PreToolUse[0]).toEqual(mine.hooks.PreToolUse[0]);
      // The hand-written guardloop entry was updated in place, not duplicated.
      expect(claude.hooks.PreToolUse).toHaveLength(2);
      expect(claude.hooks.PreToolUse[1]).toEqual({ matcher: 'Edit|Write|MultiEdit', hooks: [{ type: 'command', command: `"$CLAUDE_PROJECT_DIR"/${BIN} run --hook pre-tool --agent claude`, timeout: 30 }] });
      const cursor = JSON.parse(repo.read('.cursor/hooks.json'));
      expect(cursor.hooks.afterFileEdit).toEqual([{ command: 'fmt.sh' }]);
      expect(cursor.hooks.stop.map((h: any) => h.command)).toEqual(['other-stop.sh', `${BIN} run --hook stop --agent cursor`]);
    }));

  it('leaves a config it cannot parse untouched and says how to fix it; rejects an unknown agent name', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      repo.write('.gemini/settings.json', '{ "theme": "dark", // a comment\n}');
      const res = await repo.cli(['init', '--agent', 'gemini']);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('.gemini/settings.json: not valid JSON');
      expect(repo.read('.gemini/settings.json')).toBe('{ "theme": "dark", // a comment\n}');
      const bad = await repo.cli(['init', '--agent', 'claude,windsurf']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('unknown agent "windsurf"');
    }));

  it('the installed Claude Code command runs the local binary and answers the stop', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      await repo.cli(['init', '--agent', 'claude']);
      repo.write('src/a.js', '// TODO\n');
      const command = JSON.parse(readFileSync(join(repo.dir, '.claude/settings.json'), 'utf8')).hooks.Stop[0].hooks[0].command;
      const res = spawnSync('/bin/sh', ['-c', command], { cwd: join(repo.dir, 'src'), env: cleanEnv({ CLAUDE_PROJECT_DIR: repo.dir, CLAUDECODE: '1' }), input: JSON.stringify(stopPayload('claude', repo.dir)), encoding: 'utf8' });
      expect(res.status).toBe(0);
      expect(JSON.parse(res.stdout).decision).toBe('block');
    }));
});
