import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, createReadStream, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExportWriteError } from '../../src/errors/export-write-error.js';
import { extract } from '../../src/learn/extract.js';
import { openRepository } from '../../src/store/repository.js';
import { CLI, cleanEnv, exec, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { fakeOid, makeRecord } from '../store/helpers.js';

// Where `-o` and stdout output goes when it is no plain file or stream: a symlink keeps being a
// link (its target is written), a FIFO or /dev/stdout is written directly (never replaced by a
// rename); SIGTERM during `-o` removes the temp file and leaves the checkpoint; a stdout that fails
// (ENOSPC) is EXPORT_WRITE_FAILED, not a crash, and leaves the checkpoint.

// `n` accepted records straight into ℛ (each its own chain), diffs of `size` bytes.
async function records(repo: TestRepo, n: number, size = 300, seed = 'r'): Promise<void> {
  const store = await openRepository({ cwd: repo.dir });
  const all = Array.from({ length: n }, (_, i) => makeRecord(fakeOid(`${seed}${i}`), { artifact: { diff: `diff ${i}\n${'x'.repeat(size)}\n`, files: ['x'], truncated: false } }));
  for (let i = 0; i < all.length; i += 500) await store.append(all.slice(i, i + 500));
  await store.close();
}

async function withScratch(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-extract-out-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const RAW_ALL = ['--policy', 'all', '--format', 'raw'];
const lineCount = (text: string) => text.split('\n').filter(Boolean).length;

describe('guardloop extract -o: what is at the path', () => {
  it('a symlink: its target gets the export, the link stays a link, no temp file is left in either directory', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        await records(repo, 3);
        mkdirSync(join(scratch, 'real'));
        const target = join(scratch, 'real', 'data.jsonl');
        writeFileSync(target, 'old\n');
        const link = join(scratch, 'latest.jsonl');
        symlinkSync(join('real', 'data.jsonl'), link);
        const res = await repo.cli(['extract', ...RAW_ALL, '-o', link]);
        expect(res.code, res.stderr).toBe(0);
        expect(lstatSync(link).isSymbolicLink()).toBe(true);
        expect(lineCount(readFileSync(target, 'utf8'))).toBe(3);
        expect(readdirSync(scratch).sort()).toEqual(['latest.jsonl', 'real']);
        expect(readdirSync(join(scratch, 'real'))).toEqual(['data.jsonl']);

        // A link to a file not made yet: made at the link's target.
        const dangling = join(scratch, 'next.jsonl');
        symlinkSync(join('real', 'next-data.jsonl'), dangling);
        expect((await repo.cli(['extract', ...RAW_ALL, '-o', dangling])).code).toBe(0);
        expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
        expect(lineCount(readFileSync(join(scratch, 'real', 'next-data.jsonl'), 'utf8'))).toBe(3);
      }),
    ));

  it('a FIFO is written directly and stays a FIFO; /dev/stdout writes to the standard output', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        await records(repo, 4);
        const fifo = join(scratch, 'pipe');
        expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
        // The reader opens the FIFO while the export writes it.
        const read = new Promise<string>((resolve, reject) => {
          let text = '';
          createReadStream(fifo, 'utf8')
            .on('data', (d) => (text += d))
            .on('end', () => resolve(text))
            .on('error', reject);
        });
        const res = await repo.cli(['extract', ...RAW_ALL, '-o', fifo]);
        expect(res.code, res.stderr).toBe(0);
        expect(lineCount(await read)).toBe(4);
        expect(lstatSync(fifo).isFIFO()).toBe(true);
        expect(readdirSync(scratch)).toEqual(['pipe']);

        // Through a shell's pipe (Linux opens /dev/stdout of a pipe, not of a socket).
        const out = await exec('sh', ['-c', `"${process.execPath}" "${CLI}" extract ${RAW_ALL.join(' ')} -o /dev/stdout | cat`], { cwd: repo.dir, env: cleanEnv() });
        expect(out.code, out.stderr).toBe(0);
        expect(out.stderr).toContain('4 examples');
        expect(lineCount(out.stdout)).toBe(4);
        expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
      }),
    ));
});

describe('guardloop extract -o: the file replaced keeps its permissions', () => {
  it('a 0600 output stays 0600 (training data carries tasks and guard output)', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        await records(repo, 2, 300, 'first');
        const out = join(scratch, 'private.jsonl');
        writeFileSync(out, '');
        chmodSync(out, 0o600);
        expect((await repo.cli(['extract', ...RAW_ALL, '-o', out])).code).toBe(0);
        expect(statSync(out).mode & 0o777).toBe(0o600);
        expect(readFileSync(out, 'utf8').length).toBeGreaterThan(0);
      }),
    ));
});

describe('guardloop extract: interrupted, or stdout failing', () => {
  it('SIGTERM while -o is being written: exit 143, the temp file removed, no output, the checkpoint as it was', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        await records(repo, 2, 300, 'first');
        const cp = join(scratch, 'cp.json');
        expect((await repo.cli(['extract', ...RAW_ALL, '--checkpoint', cp])).code).toBe(0);
        const saved = readFileSync(cp, 'utf8');
        // Enough of ℛ that the export is still writing when the signal arrives.
        await records(repo, 3_000, 20_000, 'big');
        mkdirSync(join(scratch, 'out'));
        const out = join(scratch, 'out', 'data.jsonl');
        // The temp file's creation, seen by a watch set up before the export starts.
        const watcher = watch(join(scratch, 'out'));
        const tempSeen = new Promise<string>((resolve) => {
          const look = () => {
            const tmp = readdirSync(join(scratch, 'out')).find((n) => n.startsWith('data.jsonl.tmp-'));
            if (tmp) resolve(tmp);
          };
          watcher.on('change', look);
          look();
        });
        const child = spawn(process.execPath, [CLI, 'extract', ...RAW_ALL, '--checkpoint', cp, '-o', out], { cwd: repo.dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
        const tmp = await tempSeen;
        watcher.close();
        expect(tmp).toBe(`data.jsonl.tmp-${child.pid}`);
        child.kill('SIGTERM');
        expect(await closed, stderr).toBe(143);
        expect(stderr).toContain('guardloop extract: interrupted. Nothing was exported');
        expect(readdirSync(join(scratch, 'out'))).toEqual([]);
        expect(readFileSync(cp, 'utf8')).toBe(saved);
        expect(readdirSync(scratch).sort()).toEqual(['cp.json', 'out']);
      }),
    ), 120_000);

  it('stdout on a full device (ENOSPC): exit 2, EXPORT_WRITE_FAILED with its fix, no stack trace, the checkpoint as it was', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        await records(repo, 2, 300, 'first');
        const cp = join(scratch, 'cp.json');
        expect((await repo.cli(['extract', ...RAW_ALL, '--checkpoint', cp])).code).toBe(0);
        const saved = readFileSync(cp, 'utf8');
        await records(repo, 50, 20_000, 'more');
        const full = openSync('/dev/full', 'w');
        let res: { code: number | null; stderr: string };
        try {
          res = await new Promise((resolve) => {
            const child = spawn(process.execPath, [CLI, 'extract', ...RAW_ALL, '--checkpoint', cp], { cwd: repo.dir, env: cleanEnv({ GUARDLOOP_JSON_ERRORS: '1' }), stdio: ['ignore', full, 'pipe'] });
            let stderr = '';
            child.stderr!.on('data', (d) => (stderr += d));
            child.on('close', (code) => resolve({ code, stderr }));
          });
        } finally {
          closeSync(full);
        }
        expect(res.code, res.stderr).toBe(2);
        expect(res.stderr).toContain('could not write to standard output');
        expect(res.stderr).toContain('-o FILE');
        expect(res.stderr).not.toMatch(/\n\s+at /);
        expect(JSON.parse(res.stderr.trim().split('\n').pop()!).code).toBe('EXPORT_WRITE_FAILED');
        expect(readFileSync(cp, 'utf8')).toBe(saved);
      }),
    ));

  it('extract() into a stream whose writes fail: ExportWriteError naming the standard output; the checkpoint as it was', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        await records(repo, 2, 300, 'first');
        const cp = join(scratch, 'cp.json');
        await extract({ cwd: repo.dir, policy: 'all', format: 'raw', checkpoint: cp, output: new Writable({ write: (_c, _e, cb) => cb() }) });
        const saved = readFileSync(cp, 'utf8');
        await records(repo, 40, 20_000, 'more');
        const failing = new Writable({
          write(_chunk, _enc, cb) {
            cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
          },
        });
        failing.on('error', () => {});
        const err = await extract({ cwd: repo.dir, policy: 'all', format: 'raw', checkpoint: cp, output: failing }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ExportWriteError);
        expect((err as ExportWriteError).data).toMatchObject({ file: 'standard output', stage: 'output' });
        expect((err as ExportWriteError).message).toContain('ENOSPC');
        expect(readFileSync(cp, 'utf8')).toBe(saved);
      }),
    ));
});
