import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { processesWith, waitUntil } from '../helpers/processes.js';

// A guard whose grandchild ignores SIGTERM and writes its pid to `marker` (outside the repository).
// `detach`: the grandchild is started by a subshell that exits at once, so it is reparented to init
// and is no longer in the guard's tree. The guard itself then sleeps (and dies of the SIGTERM).
// Every process's command line holds `token`.
function stubbornGuard(token: string, marker: string, detach: boolean): string {
  const grandchild = `sh -c 'trap "" TERM; echo $$ > ${marker}.tmp && mv ${marker}.tmp ${marker}; while :; do sleep 1.${token}; done' &`;
  return `${detach ? `(${grandchild});` : grandchild} sleep 1000.${token}`;
}

async function scene(fn: (repo: TestRepo, token: string, marker: string, dir: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-kill-'));
  const token = String(Math.floor(Math.random() * 1e9));
  try {
    await withGitRepo(async (repo) => {
      repo.installPackage();
      repo.write('a.txt', 'x\n');
      await fn(repo, token, join(dir, 'grandchild.pid'), dir);
    });
  } finally {
    for (const pid of processesWith(token)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each([false, true])('a guard with a grandchild that ignores SIGTERM (detached: %s)', (detach) => {
  it('leaves no process behind when it times out', () =>
    scene(async (repo, token, marker) => {
      repo.config(`guards:\n${guardYaml('stubborn', stubbornGuard(token, marker, detach), '    timeout: 1s\n')}`);
      repo.git('add', '-A');
      const res = await repo.cli(['run', '--json']);
      expect(res.code, res.stderr).toBe(1);
      expect(JSON.parse(res.stdout.trim().split('\n').pop()!).verdicts[0]).toMatchObject({ guard: 'stubborn', status: 'timeout' });
      // The grandchild did start (the test is not vacuous), and it is gone, like every other process of the guard.
      expect(existsSync(marker)).toBe(true);
      const pid = readFileSync(marker, 'utf8').trim();
      expect(await waitUntil(() => processesWith(token).length === 0, 30_000), `left: ${processesWith(token)} (grandchild ${pid})`).toBe(true);
    }));

  it('leaves no process behind when the run is interrupted (SIGINT to guardloop run)', () =>
    scene(async (repo, token, marker) => {
      repo.config(`guards:\n${guardYaml('stubborn', stubbornGuard(token, marker, detach))}`);
      repo.git('add', '-A');
      const child = spawn(process.execPath, [CLI, 'run'], { cwd: repo.dir, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b) => (err += b));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      // Interrupted once the grandchild runs.
      expect(await waitUntil(() => existsSync(marker), 30_000), err).toBe(true);
      const pid = readFileSync(marker, 'utf8').trim();
      child.kill('SIGINT');
      expect(await closed, err).toBe(130);
      expect(await waitUntil(() => processesWith(token).length === 0, 30_000), `left: ${processesWith(token)} (grandchild ${pid})`).toBe(true);
    }));
});
