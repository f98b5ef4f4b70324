import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { processesIn, waitUntil } from '../helpers/processes.js';

// The record's `git fast-import` starts while the guards run (engine/run.ts, NotesStore.prestartImport),
// so its start-up is off the write's path. A run that ends before its record is written — killed, or
// interrupted — must leave nothing of it: no crash report (`fast_import_crash_<pid>`), no empty
// temporary pack (`objects/pack/tmp_pack_*`), no ref of its own, no process.

// A guard that says it started and waits to be let go (marker files outside the repository).
function waitingGuard(repo: TestRepo, marks: string): void {
  repo.config(`guards:\n${guardYaml('wait', `touch ${marks}/started; while [ ! -e ${marks}/release ]; do sleep 0.01; done`)}`);
}

// The fast-imports working in the repository (the one started ahead, while the guard waits).
function fastImports(dir: string): number[] {
  return processesIn(dir).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('fast-import');
    } catch {
      return false;
    }
  });
}

// What a fast-import that died waiting would leave in the git dir.
function leftovers(repo: TestRepo): string[] {
  const git = join(repo.dir, '.git');
  return [
    ...readdirSync(git).filter((n) => n.startsWith('fast_import_crash')),
    ...readdirSync(join(git, 'objects', 'pack')).filter((n) => n.startsWith('tmp_')),
    ...repo.git('for-each-ref', '--format=%(refname)', 'refs/guardloop/').split('\n').filter(Boolean),
  ];
}

// Starts `guardloop run --hook pre-commit` as the leader of a process group of its own (as a hook
// runner or a terminal starts it), waits for the guard to start, and returns it.
async function runWaiting(repo: TestRepo, marks: string) {
  const child = spawn(process.execPath, [CLI, 'run', '--hook', 'pre-commit'], { cwd: repo.dir, env: cleanEnv(), detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b) => (stderr += b));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  expect(await waitUntil(() => existsSync(join(marks, 'started'))), stderr).toBe(true);
  return { child, exited, stderr: () => stderr };
}

async function withMarks<T>(fn: (marks: string) => Promise<T>): Promise<T> {
  const marks = mkdtempSync(join(tmpdir(), 'gl-ahead-marks-'));
  try {
    return await fn(marks);
  } finally {
    writeFileSync(join(marks, 'release'), '');
    rmSync(marks, { recursive: true, force: true });
  }
}

describe("the record's fast-import, started while the guards run", () => {
  it('is running while the guard waits; SIGKILL to guardloop alone (a hook runner timing out) leaves nothing of it, and the next run records', () =>
    withGitRepo((repo) =>
      withMarks(async (marks) => {
        waitingGuard(repo, marks);
        repo.write('a.txt', 'a\n');
        repo.git('add', '-A');
        const before = repo.git('notes', '--ref=guardloop', 'list');
        const run = await runWaiting(repo, marks);
        // Started ahead: waiting for its input while the guard runs.
        expect(await waitUntil(() => fastImports(repo.dir).length === 1), run.stderr()).toBe(true);
        process.kill(run.child.pid!, 'SIGKILL');
        expect((await run.exited).signal).toBe('SIGKILL');
        // Its input ends with guardloop: it ends too, having written nothing.
        expect(await waitUntil(() => fastImports(repo.dir).length === 0)).toBe(true);
        writeFileSync(join(marks, 'release'), '');
        expect(leftovers(repo)).toEqual([]);
        expect(repo.git('notes', '--ref=guardloop', 'list')).toBe(before);
        const next = await repo.cli(['run', '--hook', 'pre-commit']);
        expect(next.code, next.stderr).toBe(0);
        expect(next.stderr).toContain('ACCEPTED');
        expect(leftovers(repo)).toEqual([]);
        expect(repo.git('fsck', '--no-progress', '--no-dangling')).toBe('');
      }),
    ));

  it('a Ctrl-C (SIGINT to the whole process group) while the guard runs: exit 130, no crash report, no temporary pack, no fast-import left', () =>
    withGitRepo((repo) =>
      withMarks(async (marks) => {
        waitingGuard(repo, marks);
        repo.write('a.txt', 'a\n');
        repo.git('add', '-A');
        const run = await runWaiting(repo, marks);
        expect(await waitUntil(() => fastImports(repo.dir).length === 1), run.stderr()).toBe(true);
        process.kill(-run.child.pid!, 'SIGINT');
        const { code } = await run.exited;
        expect(code, run.stderr()).toBe(130);
        expect(await waitUntil(() => fastImports(repo.dir).length === 0)).toBe(true);
        expect(leftovers(repo)).toEqual([]);
      }),
    ));
});
