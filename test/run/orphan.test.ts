import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, guardYaml, withGitRepo } from '../helpers/git-repo.js';
import { processesWith, waitUntil } from '../helpers/processes.js';

describe('a git hook whose git went away', () => {
  it('stops its guards when the git that started it is gone (a Ctrl-C a shell between them held back)', () =>
    withGitRepo(async (repo) => {
      const gate = mkdtempSync(join(tmpdir(), 'guardloop-orphan-'));
      try {
        const token = `orphan${Math.floor(Math.random() * 1e9)}`;
        const marker = join(gate, 'started');
        repo.installHook();
        // A guard that would wait forever: only its run being stopped ends it.
        repo.config(`guards:\n${guardYaml('forever', `touch ${marker}; while [ ! -e ${join(gate, token)} ]; do sleep 0.05; done`)}`);
        repo.write('a.txt', 'a\n');
        repo.git('add', '-A');
        const git = spawn('git', ['commit', '-q', '-m', 'x'], { cwd: repo.dir, env: cleanEnv(), stdio: 'ignore' });
        expect(await waitUntil(() => existsSync(marker))).toBe(true);
        expect(processesWith(token).length).toBeGreaterThan(0);
        // Only git dies; the hook's shell and guardloop are not signalled.
        process.kill(git.pid!, 'SIGKILL');
        expect(await waitUntil(() => processesWith(token).length === 0)).toBe(true);
        expect(repo.read('a.txt')).toBe('a\n');
      } finally {
        rmSync(gate, { recursive: true, force: true });
      }
    }));
});
