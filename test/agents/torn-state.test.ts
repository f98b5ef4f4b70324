import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';
import { hook, installTranscript, stopPayload, todoRepo } from './helpers.js';

// guardloop's local state in .git/guardloop can be torn by a kill or a full disk: a torn file must
// never turn the stops off (each stop must still run the guards and block on a failure).
describe('a torn state file never turns the agent gate off', () => {
  for (const [name, write] of [
    ['the config cache at HEAD', (dir: string) => writeFileSync(join(dir, '.git/guardloop/config-at-head.json'), '{"v":1')],
    ['a turn start', (dir: string) => {
      mkdirSync(join(dir, '.git/guardloop/turns'), { recursive: true });
      for (const f of readdirSync(join(dir, '.git/guardloop/turns'))) writeFileSync(join(dir, '.git/guardloop/turns', f), '{"head":');
    }],
    ['a chain', (dir: string) => {
      for (const f of readdirSync(join(dir, '.git/guardloop/chains'))) writeFileSync(join(dir, '.git/guardloop/chains', f), 'null');
    }],
  ] as const) {
    it(`${name}: three stops in a row still block on the failing guard`, () =>
      withGitRepo(async (repo) => {
        todoRepo(repo, 'agent:\n  maxAttempts: 9\n');
        installTranscript(repo);
        await hook(repo, 'claude', { session_id: '4e994f1e-48f4-4ade-b0e5-8e5f5bea14d2', cwd: repo.dir, hook_event_name: 'UserPromptSubmit', prompt: 'x' }, { hook: 'turn-start' });
        repo.write('src/a.js', '// TODO\n');
        expect(JSON.parse((await hook(repo, 'claude', stopPayload('claude', repo.dir, 0))).stdout).decision).toBe('block');
        write(repo.dir);
        for (let i = 0; i < 3; i++) {
          const reply = await hook(repo, 'claude', stopPayload('claude', repo.dir, 1));
          expect(reply.stderr).not.toContain('internal error');
          expect(JSON.parse(reply.stdout)).toMatchObject({ decision: 'block', reason: expect.stringContaining('no-todo') });
        }
      }));
  }
});
