import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notesOf, withGitRepo } from '../helpers/git-repo.js';

// Linux's limit on one argument string (MAX_ARG_STRLEN): a `sh -c` command line longer than this
// can't start at all.
const MAX_ARG_STRLEN = 128 * 1024;

// A path of about 280 characters for file i; some hold a space, a quote or a `$`, which the shell
// form must quote and the argv form must pass as they are.
function longPath(i: number): string {
  const special = ['', ' with space', "it's", '$HOME', ' (copy)'][i % 5];
  const dir = `packages/feature-${i % 7}-shared-presentational-components/src/components/deeply/nested/folder/structure/for/argument/limits`;
  const name = `Component${i}${special}WithALongDescriptiveName`;
  return `${dir}/${name}${'x'.repeat(Math.max(0, 280 - dir.length - name.length))}.js`;
}

// A guard command that records the paths it is given, one JSON file per invocation.
const RECORDER = `const { writeFileSync } = require('node:fs');
const [dir, ...paths] = process.argv.slice(2);
writeFileSync(require('node:path').join(dir, process.pid + '-' + Math.random().toString(36).slice(2)), JSON.stringify(paths));
`;

function invocations(dir: string): string[][] {
  return readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as string[]);
}

describe('a commit of many staged files with a `files:` guard', () => {
  it('hands {files} every matched path exactly once, in invocations that fit the argument limit (shell string and argv forms)', () =>
    withGitRepo(async (repo) => {
      const scratch = mkdtempSync(join(tmpdir(), 'guardloop-many-'));
      try {
        const recorder = join(scratch, 'record.cjs');
        writeFileSync(recorder, RECORDER);
        const shellDir = join(scratch, 'shell');
        const argvDir = join(scratch, 'argv');
        mkdirSync(shellDir);
        mkdirSync(argvDir);
        repo.installHook();
        const invariant = 'In this codebase, a file the check rejects must never be committed, because it causes a broken build.';
        repo.config(
          `guards:\n` +
            `  - id: shell\n    run: ${JSON.stringify(`node '${recorder}' '${shellDir}' {files}`)}\n    files: ['**/*.js']\n    invariant: "${invariant}"\n` +
            `  - id: argv\n    run: ${JSON.stringify(['node', recorder, argvDir, '{files}'])}\n    files: ['**/*.js']\n    invariant: "${invariant}"\n`,
        );
        const paths = Array.from({ length: 500 }, (_, i) => longPath(i));
        for (const p of paths) repo.write(p, 'export const v = 0;\n');
        repo.write('gone.js', 'export const gone = 1;\n');
        repo.git('add', '-A');
        repo.git('commit', '-q', '--no-verify', '-m', 'base');
        // The commit: every .js file changed, one deleted, and files no glob matches.
        for (const p of paths) repo.write(p, 'export const v = 1;\n');
        for (let i = 0; i < 20; i++) repo.write(`docs/page-${i}.md`, `# ${i}\n`);
        repo.git('rm', '-q', 'gone.js');
        repo.git('add', '-A');
        const res = await repo.commit('many');
        expect(res.code, res.stderr).toBe(0);
        const want = [...paths].sort();
        const total = paths.reduce((n, p) => n + p.length + 1, 0);
        expect(total).toBeGreaterThan(MAX_ARG_STRLEN);
        for (const dir of [shellDir, argvDir]) {
          const calls = invocations(dir);
          // More paths than one command line holds: split, each part under the limit, none lost or doubled.
          expect(calls.length).toBeGreaterThan(1);
          for (const call of calls) expect(call.reduce((n, p) => n + p.length + 3, 0)).toBeLessThan(MAX_ARG_STRLEN);
          expect(calls.flat().sort()).toEqual(want);
        }
        const record = notesOf(repo, 'HEAD^{tree}')[0] as { status: string; verdicts: Array<{ guard: string; status: string }> };
        expect(record.status).toBe('ACCEPTED');
        expect(record.verdicts.map((v) => [v.guard, v.status])).toEqual([
          ['shell', 'pass'],
          ['argv', 'pass'],
        ]);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }));
});
