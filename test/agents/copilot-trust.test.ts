import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copilotTrust } from '../../src/agents/trust.js';
import { withGitRepo } from '../helpers/git-repo.js';
import { todoRepo } from './helpers.js';

// Where GitHub Copilot CLI 1.0.102 keeps folder trust, as the real CLI showed it (test:agents drives
// it): `trustedFolders` in ~/.copilot/config.json, a file it writes with `//` comment lines; a folder
// above the repository trusts it, a linked worktree is trusted through its main worktree, and
// COPILOT_ALLOW_ALL=true (that value only) trusts every folder.

// config.json as Copilot CLI writes it.
const config = (folders: string[]) => `// User settings belong in settings.json.\n// This file is managed automatically.\n${JSON.stringify({ trustedFolders: folders, firstLaunchAt: '2026-03-11T00:00:00.000Z' }, null, 2)}\n`;

function home(): { dir: string; write(text: string): void; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-copilot-home-'));
  mkdirSync(join(dir, '.copilot'));
  return { dir, write: (text) => writeFileSync(join(dir, '.copilot', 'config.json'), text), done: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('Copilot CLI folder trust', () => {
  it('reads trustedFolders from ~/.copilot/config.json (or $COPILOT_HOME/config.json): the folder, a folder above it, the main worktree', async () => {
    const h = home();
    try {
      const env = { HOME: h.dir };
      const file = join(h.dir, '.copilot', 'config.json');
      const none = await copilotTrust(['/w/repo'], env);
      expect(none).toMatchObject({ trusted: false, file });
      expect(none.detail).toContain(`add "/w/repo" to "trustedFolders" in ${file}`);
      h.write(config(['/w/repo']));
      expect(await copilotTrust(['/w/repo'], env)).toEqual({ trusted: true, detail: '', file });
      expect(await copilotTrust(['/w/repo/packages/app'], env)).toMatchObject({ trusted: true });
      // A sibling with a common prefix is not inside it.
      expect(await copilotTrust(['/w/repo-other'], env)).toMatchObject({ trusted: false });
      h.write(config(['/w']));
      expect(await copilotTrust(['/w/repo'], env)).toMatchObject({ trusted: true });
      // A linked worktree elsewhere, trusted through its main worktree.
      h.write(config(['/w/repo']));
      expect(await copilotTrust(['/tmp/wt', '/w/repo'], env)).toMatchObject({ trusted: true });
      // COPILOT_HOME is the folder itself.
      expect(await copilotTrust(['/w/repo'], { HOME: '/nowhere', COPILOT_HOME: join(h.dir, '.copilot') })).toMatchObject({ trusted: true });
    } finally {
      h.done();
    }
  });

  it('COPILOT_ALLOW_ALL=true trusts every folder (other values don’t); a config that is not JSON is reported with its fix', async () => {
    const h = home();
    try {
      expect(await copilotTrust(['/w/repo'], { HOME: h.dir, COPILOT_ALLOW_ALL: 'true' })).toMatchObject({ trusted: true });
      for (const v of ['1', 'yes', 'TRUE']) expect(await copilotTrust(['/w/repo'], { HOME: h.dir, COPILOT_ALLOW_ALL: v })).toMatchObject({ trusted: false });
      h.write('{ "trustedFolders": [');
      const bad = await copilotTrust(['/w/repo'], { HOME: h.dir });
      expect(bad.trusted).toBe(false);
      expect(bad.detail).toContain('could not be read as JSON');
    } finally {
      h.done();
    }
  });

  it('guardloop status says whether Copilot CLI trusts the repository, and the exact fix when it doesn’t', () =>
    withGitRepo(async (repo) => {
      todoRepo(repo);
      await repo.cli(['init', '--agent', 'copilot']);
      const h = home();
      try {
        const status = async () => {
          const res = await repo.cli(['status', '--json'], { env: { HOME: h.dir } });
          return { code: res.code, report: JSON.parse(res.stdout) };
        };
        const untrusted = await status();
        expect(untrusted.code).toBe(1);
        const copilot = untrusted.report.agents.find((a: any) => a.agent === 'copilot');
        expect(copilot.trust).toMatchObject({ trusted: false, file: join(h.dir, '.copilot', 'config.json') });
        expect(untrusted.report.problems).toContainEqual({ route: 'agent-untrusted', message: expect.stringContaining(`copilot: this folder is not trusted in GitHub Copilot CLI`) });
        const text = await repo.cli(['status'], { env: { HOME: h.dir } });
        expect(text.stdout).toMatch(/copilot .*NOT TRUSTED ✗\n\s+this folder is not trusted in GitHub Copilot CLI .*add "[^"]+" to "trustedFolders"/);
        h.write(config([repo.dir]));
        const trusted = await status();
        expect(trusted.report.agents.find((a: any) => a.agent === 'copilot').trust.trusted).toBe(true);
        expect(trusted.report.problems.filter((p: any) => p.route === 'agent-untrusted')).toEqual([]);
        expect((await repo.cli(['status'], { env: { HOME: h.dir } })).stdout).toMatch(/copilot .*trusted ✓/);
      } finally {
        h.done();
      }
    }));
});
