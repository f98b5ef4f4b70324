import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, exec, notesOf, withGitRepo } from '../helpers/git-repo.js';
import { packTarball } from './tarball.js';

// The packed tarball, installed into a throwaway repository the way a user installs it.
let packDir: string;
let tarball: string;

beforeAll(async () => {
  ({ dir: packDir, tarball } = await packTarball());
}, 120_000);

afterAll(() => rmSync(packDir, { recursive: true, force: true }));

describe('the npm package', () => {
  it('installs from the tarball; `npx guardloop init` then a commit runs the guards and records the verdict', () =>
    withGitRepo(async (repo) => {
      const env = cleanEnv({ npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
      repo.write('package.json', JSON.stringify({ name: 'e2e', private: true, scripts: { test: 'node check.js' } }, null, 2));
      repo.write('check.js', "const fs = require('fs'); if (fs.readFileSync('value.txt', 'utf8').trim() !== 'good') { console.error('value.txt must say good'); process.exit(1); }\n");
      repo.write('value.txt', 'good\n');
      repo.write('.gitignore', 'node_modules/\n');
      const install = await exec('npm', ['install', '--prefer-offline', '--save-dev', tarball, 'husky@9'], { cwd: repo.dir, env });
      expect(install.code, install.stderr).toBe(0);
      const init = await exec('npx', ['--no-install', 'guardloop', 'init'], { cwd: repo.dir, env });
      expect(init.code, init.stderr).toBe(0);
      expect(init.stdout).toContain('.loop/config.yaml: written with test');
      expect(repo.git('config', 'core.hooksPath')).toBe('.husky/_');

      repo.git('add', '-A');
      const ok = await repo.commit('guarded commit');
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stderr).toContain('✓ test');
      const [accepted] = notesOf(repo, 'HEAD^{tree}') as any[];
      expect(accepted).toMatchObject({ status: 'ACCEPTED', hook: 'pre-commit', tool: { name: 'guardloop' } });

      repo.write('value.txt', 'bad\n');
      repo.git('add', '-A');
      const blocked = await repo.commit('broken commit');
      expect(blocked.code).not.toBe(0);
      expect(blocked.stderr).toContain('value.txt must say good');
      expect(repo.git('log', '--format=%s')).toBe('guarded commit');

      const log = await exec('npx', ['--no-install', 'guardloop', 'log', '--json'], { cwd: repo.dir, env });
      expect(log.code, log.stderr).toBe(0);
      expect(log.stdout).toContain('"REJECTED"');
    }), 180_000);
});
