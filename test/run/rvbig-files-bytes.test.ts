import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, withGitRepo, type TestRepo } from '../helpers/git-repo.js';

// Linux's limit on one argument string (MAX_ARG_STRLEN), in bytes: a `sh -c` command line longer than
// this can't start at all (spawn fails with E2BIG).
const MAX_ARG_STRLEN = 128 * 1024;
const INVARIANT = 'In this codebase, a file the check rejects must never be committed, because it causes a broken build.';

// A guard command that records the paths it is given, one JSON file per invocation.
const RECORDER = `const { writeFileSync } = require('node:fs');
const [dir, ...paths] = process.argv.slice(2);
writeFileSync(require('node:path').join(dir, process.pid + '-' + Math.random().toString(36).slice(2)), JSON.stringify(paths));
`;

// The status of the record on HEAD's tree (its note is large: the diff names 400 escaped paths).
function headStatus(repo: TestRepo): string | undefined {
  const res = spawnSync('git', ['notes', '--ref=guardloop', 'show', 'HEAD^{tree}'], { cwd: repo.dir, env: cleanEnv(), encoding: 'utf8', maxBuffer: 256 << 20 });
  return res.status === 0 ? (JSON.parse(res.stdout.split('\n')[0]) as { status: string }).status : undefined;
}

function invocations(dir: string): string[][] {
  return readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as string[]);
}

// Commits `paths` (all new .js files) through the hook with `guards` as the config; returns the commit's result.
async function commitAll(repo: TestRepo, guards: string, paths: string[]) {
  repo.installHook();
  repo.config(`guards:\n${guards}`);
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', 'base');
  for (const p of paths) repo.write(p, 'export const v = 1;\n');
  repo.git('add', '-A');
  return repo.commit('many');
}

describe('{files} splits by what the kernel counts (rvbig)', () => {
  it('non-ASCII paths: fewer characters than the limit but more bytes — every path reaches the guard once, each call under the limit', () =>
    withGitRepo(async (repo) => {
      const scratch = mkdtempSync(join(tmpdir(), 'guardloop-rvbig-'));
      try {
        const recorder = join(scratch, 'record.cjs');
        writeFileSync(recorder, RECORDER);
        const out = join(scratch, 'calls');
        mkdirSync(out);
        // 400 paths of 162 characters, 3 bytes each but the ASCII tail: ~65,000 characters, ~195,000 bytes.
        const dir = '文'.repeat(80);
        const paths = Array.from({ length: 400 }, (_, i) => `${dir}/${'档'.repeat(75)}${i}.js`);
        const chars = paths.reduce((n, p) => n + p.length + 3, 0);
        const bytes = paths.reduce((n, p) => n + Buffer.byteLength(p) + 3, 0);
        expect(chars).toBeLessThan(100_000);
        expect(bytes).toBeGreaterThan(MAX_ARG_STRLEN);
        const res = await commitAll(repo, `  - id: shell\n    run: ${JSON.stringify(`node '${recorder}' '${out}' {files}`)}\n    files: ['**/*.js']\n    invariant: "${INVARIANT}"\n`, paths);
        expect(res.code, res.stderr).toBe(0);
        expect(res.stderr).not.toContain('E2BIG');
        const calls = invocations(out);
        expect(calls.length).toBeGreaterThan(1);
        for (const call of calls) expect(call.reduce((n, p) => n + Buffer.byteLength(p) + 3, 0)).toBeLessThan(MAX_ARG_STRLEN);
        expect(calls.flat().sort()).toEqual([...paths].sort());
        expect(headStatus(repo)).toBe('ACCEPTED');
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }));

  it('{files} twice in one command line: each use counts — every path reaches both commands once', () =>
    withGitRepo(async (repo) => {
      const scratch = mkdtempSync(join(tmpdir(), 'guardloop-rvbig-'));
      try {
        const recorder = join(scratch, 'record.cjs');
        writeFileSync(recorder, RECORDER);
        const [first, second] = [join(scratch, 'first'), join(scratch, 'second')];
        mkdirSync(first);
        mkdirSync(second);
        // 600 ASCII paths of ~250 characters: ~150,000 characters, two uses ~300,000 per full line.
        const dir = `packages/${'d'.repeat(120)}`;
        const paths = Array.from({ length: 600 }, (_, i) => `${dir}/${'f'.repeat(115)}${i}.js`);
        const run = `node '${recorder}' '${first}' {files} && node '${recorder}' '${second}' {files}`;
        const res = await commitAll(repo, `  - id: twice\n    run: ${JSON.stringify(run)}\n    files: ['**/*.js']\n    invariant: "${INVARIANT}"\n`, paths);
        expect(res.code, res.stderr).toBe(0);
        expect(res.stderr).not.toContain('E2BIG');
        for (const out of [first, second]) {
          const calls = invocations(out);
          expect(calls.length).toBeGreaterThan(1);
          // Both uses of a call share one command line: together under the limit.
          for (const call of calls) expect(2 * call.reduce((n, p) => n + p.length + 1, 0)).toBeLessThan(MAX_ARG_STRLEN);
          expect(calls.flat().sort()).toEqual([...paths].sort());
        }
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }));
});
