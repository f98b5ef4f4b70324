import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exec, guardYaml, PROJECT, withGitRepo } from '../helpers/git-repo.js';
import { hook, stopPayload, todoRepo } from './helpers.js';

describe('the config an agent run uses', () => {
  it('is resolved once per HEAD and kept; a new commit of .loop/config.yaml takes effect at the next stop', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      repo.write('src/a.js', 'export const a = 1; // TODO\n');
      const first = JSON.parse((await hook(repo, 'claude', stopPayload('claude', repo.dir))).stdout);
      expect(first.reason).toContain('## no-todo failed');
      expect(existsSync(join(repo.dir, '.git', 'guardloop', 'config-at-head.json'))).toBe(true);
      // Same HEAD, served from the kept config: the same guard decides.
      const again = JSON.parse((await hook(repo, 'claude', stopPayload('claude', repo.dir, 1))).stdout);
      expect(again.reason).toContain('## no-todo failed');
      // A person commits a different guard set: the next stop uses it.
      repo.config(`guards:\n${guardYaml('always-ok', 'true')}`);
      repo.git('add', '.loop/config.yaml');
      repo.git('commit', '-q', '-m', 'relax guards');
      const after = await hook(repo, 'claude', stopPayload('claude', repo.dir));
      expect(after.code).toBe(0);
      expect(after.stdout.trim()).toBe('');
    }));

  it('reads `extends: [guardloop/…]` from an installed package (node_modules is never committed)', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      // A registry install: node_modules/guardloop is a real folder inside the repository, not a link out of it.
      rmSync(join(repo.dir, 'node_modules', 'guardloop'));
      mkdirSync(join(repo.dir, 'node_modules', 'guardloop'), { recursive: true });
      for (const part of ['package.json', 'guards', 'dist']) cpSync(join(PROJECT, part), join(repo.dir, 'node_modules', 'guardloop', part), { recursive: true });
      repo.config(`extends:\n  - guardloop/conflict-markers\nguards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}`);
      repo.git('add', '.loop/config.yaml');
      repo.git('commit', '-q', '-m', 'extends');
      repo.write('src/a.js', 'export const a = 1; // TODO\n');
      // The installed copy answers the stop, as the hook `init --agent` writes would run it.
      const installed = join(repo.dir, 'node_modules', 'guardloop', 'dist', 'cli.cjs');
      const reply = await exec(process.execPath, [installed, 'run', '--hook', 'stop', '--agent', 'claude'], { cwd: repo.dir, input: JSON.stringify(stopPayload('claude', repo.dir)) });
      expect(reply.stderr).not.toContain('cannot find');
      expect(JSON.parse(reply.stdout).reason).toContain('## no-todo failed');
    }));
});
