import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardYaml, withGitRepo } from '../helpers/git-repo.js';
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
});
