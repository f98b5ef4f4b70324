import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRepository } from '../../src/store/repository.js';
import { CLI, cleanEnv, guardYaml, withGitRepo, type TestRepo } from '../helpers/git-repo.js';
import { extractCli, validate } from './extract-helpers.js';

// --checkpoint: the next export takes only chains whose final record is new since the last one
// (found from the notes commits with `git diff-tree`), records shown from the journal included; the
// checkpoint moves on only once the output is complete, so an export that fails or is killed leaves
// it where it was; a checkpoint that can't be used is a usage error.

function setUp(repo: TestRepo): void {
  repo.installHook();
  repo.config(`guards:\n${guardYaml('no-todo', '! grep -rn TODO src', '    layer: lint\n')}`);
  repo.write('src/a.js', 'export const a = 0;\n');
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'init');
}

// A person's chain through the pre-commit hook: a commit rejected for a TODO, then the fixed one.
// `big` adds a file of that many bytes to the change (its diff is in every attempt's record).
async function chain(repo: TestRepo, n: number, big = 0): Promise<void> {
  if (big) repo.write(`src/big-${n}.txt`, `${'x'.repeat(99)}\n`.repeat(Math.ceil(big / 100)));
  repo.write('src/a.js', `export const a = ${n}; // TODO ${n}\n`);
  repo.git('add', '-A');
  expect((await repo.commit(`try ${n}`)).code).toBe(1);
  repo.write('src/a.js', `export const a = ${n};\n`);
  repo.git('add', '-A');
  const ok = await repo.commit(`chain ${n}`);
  expect(ok.code, ok.stderr).toBe(0);
}

// A directory outside the repository for the checkpoint and the output files, removed afterwards.
async function withScratch(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-extract-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const summary = (stderr: string) => stderr.trim().split('\n').pop()!;

describe('guardloop extract --checkpoint', () => {
  it('twice: the second export has only the chains recorded since; the file holds the ref, the notes commit and the journal-only ids', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        setUp(repo);
        await chain(repo, 1);
        const cp = join(scratch, 'cp.json');
        const first = await extractCli(repo, ['--checkpoint', cp, '--format', 'kto']);
        expect(first.code, first.stderr).toBe(0);
        expect(first.lines).toHaveLength(2);
        const tip1 = repo.git('rev-parse', 'refs/notes/guardloop');
        const selection = { policy: 'refinements', minRetry: null, since: null, where: [], format: 'kto', turns: false, text: false, artifact: 'diff' };
        expect(JSON.parse(readFileSync(cp, 'utf8'))).toEqual({ v: 2, ref: 'refs/notes/guardloop', tip: tip1, journal: [], selection });
        expect(summary(first.stderr)).toContain(`Checkpoint ${cp} moved on to ${tip1.slice(0, 12)}`);

        const again = await extractCli(repo, ['--checkpoint', cp, '--format', 'kto']);
        expect(again.code, again.stderr).toBe(0);
        expect(again.lines).toEqual([]);
        expect(summary(again.stderr)).toContain('1 chain already exported (the checkpoint)');

        await chain(repo, 2);
        await chain(repo, 3);
        const next = await extractCli(repo, ['--checkpoint', cp, '--format', 'kto']);
        expect(next.code, next.stderr).toBe(0);
        validate('kto', next.lines);
        // Chains 2 and 3, each a rejected attempt and the accepted commit; nothing of chain 1.
        const without = (await extractCli(repo, ['--format', 'kto'])).lines;
        expect(without).toHaveLength(6);
        expect(next.lines).toEqual(without.slice(2));
        expect(JSON.parse(readFileSync(cp, 'utf8')).tip).toBe(repo.git('rev-parse', 'refs/notes/guardloop'));
      }),
    ));

  it('an export that fails (an -o directory that does not exist) or is killed (SIGKILL while writing) leaves the checkpoint as it was; the next one exports what they would have', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        setUp(repo);
        await chain(repo, 1);
        const cp = join(scratch, 'cp.json');
        expect((await extractCli(repo, ['--checkpoint', cp, '--format', 'kto', '--policy', 'all'])).code).toBe(0);
        const saved = readFileSync(cp, 'utf8');
        await chain(repo, 2, 600_000);

        const failed = await extractCli(repo, ['--checkpoint', cp, '-o', join(scratch, 'missing', 'out.jsonl'), '--format', 'kto', '--policy', 'all']);
        expect(failed.code).toBe(2);
        expect(failed.stderr).toContain(`could not write ${join(scratch, 'missing', 'out.jsonl')}`);
        expect(readFileSync(cp, 'utf8')).toBe(saved);

        // Killed once its first bytes reached stdout: the reader stops reading, so the export can't
        // finish (its output is several times what a pipe holds) and the checkpoint can't move.
        const child = spawn(process.execPath, [CLI, 'extract', '--checkpoint', cp, '--format', 'kto', '--policy', 'all'], { cwd: repo.dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
        const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
        await new Promise<void>((resolve) =>
          child.stdout.once('data', () => {
            child.stdout.pause();
            resolve();
          }),
        );
        child.kill('SIGKILL');
        expect((await closed).signal).toBe('SIGKILL');
        expect(readFileSync(cp, 'utf8')).toBe(saved);
        expect(readdirSync(scratch)).toEqual(['cp.json']);

        mkdirSync(join(scratch, 'out'));
        const out = join(scratch, 'out', 'chain2.jsonl');
        const ok = await extractCli(repo, ['--checkpoint', cp, '-o', out, '--format', 'kto', '--policy', 'all']);
        expect(ok.code, ok.stderr).toBe(0);
        const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
        validate('kto', lines);
        expect(lines.map((l) => l.label)).toEqual([false, true]);
        expect(lines[1].completion[0].content).toContain('src/big-2.txt');
        expect(Buffer.byteLength(readFileSync(out))).toBeGreaterThan(1_000_000);
        expect(readdirSync(join(scratch, 'out'))).toEqual(['chain2.jsonl']);
        expect(readFileSync(cp, 'utf8')).not.toBe(saved);
      }),
    ));

  it('records shown from the journal (a native writer dropped their notes commit) count as exported once, also after a write restores them', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        setUp(repo);
        await chain(repo, 1);
        const kept = repo.git('rev-parse', 'refs/notes/guardloop');
        await chain(repo, 2);
        // A racing native writer: the ref is set back, dropping chain 2's accepted record (the journal still has it).
        repo.git('update-ref', 'refs/notes/guardloop', repo.git('rev-parse', 'refs/notes/guardloop~1'));
        const cp = join(scratch, 'cp.json');
        const first = await extractCli(repo, ['--checkpoint', cp]);
        expect(first.code, first.stderr).toBe(0);
        expect(first.lines.map((l) => l.completion[0].content.includes('+export const a = 2;'))).toEqual([false, true]);
        const journal = JSON.parse(readFileSync(cp, 'utf8')).journal;
        expect(journal).toEqual([first.lines[1].metadata.record_id]);
        expect(journal).not.toContain(first.lines[0].metadata.record_id);
        expect(kept).not.toBe(repo.git('rev-parse', 'refs/notes/guardloop'));

        // The next write replays the journal into the ref; the restored record is not new.
        const store = await openRepository({ cwd: repo.dir });
        await store.restoreJournal(true);
        await store.close();
        await chain(repo, 3);
        const next = await extractCli(repo, ['--checkpoint', cp]);
        expect(next.code, next.stderr).toBe(0);
        expect(next.lines).toHaveLength(1);
        expect(next.lines[0].completion[0].content).toContain('+export const a = 3;');
      }),
    ));

  it('the notes ref missing at an export: the checkpoint keeps its notes commit, so the export after the ref is back repeats nothing', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        setUp(repo);
        await chain(repo, 1);
        const cp = join(scratch, 'cp.json');
        expect((await extractCli(repo, ['--checkpoint', cp])).code).toBe(0);
        const tip = repo.git('rev-parse', 'refs/notes/guardloop');
        const saved = JSON.parse(readFileSync(cp, 'utf8'));
        expect(saved.tip).toBe(tip);

        repo.git('update-ref', '-d', 'refs/notes/guardloop');
        const gone = await extractCli(repo, ['--checkpoint', cp]);
        expect(gone.code, gone.stderr).toBe(0);
        expect(gone.lines).toEqual([]);
        expect(JSON.parse(readFileSync(cp, 'utf8'))).toEqual(saved);
        expect(summary(gone.stderr)).toContain(`Checkpoint ${cp} stays at ${tip.slice(0, 12)}: refs/notes/guardloop does not exist now`);

        // The ref back (a fetch, a restore), and one chain more: only that chain is new.
        repo.git('update-ref', 'refs/notes/guardloop', tip);
        await chain(repo, 2);
        const back = await extractCli(repo, ['--checkpoint', cp]);
        expect(back.code, back.stderr).toBe(0);
        expect(back.lines).toHaveLength(1);
        expect(back.lines[0].completion[0].content).toContain('+export const a = 2;');
        expect(summary(back.stderr)).toContain('1 chain already exported (the checkpoint)');
      }),
    ));

  it('a checkpoint of another selection (policy, --where, format, --text, …): exit 2, CHECKPOINT_INVALID naming both and the fix; a v1 checkpoint is taken once and written back as v2', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        setUp(repo);
        await chain(repo, 1);
        const cp = join(scratch, 'cp.json');
        expect((await extractCli(repo, ['--checkpoint', cp, '--format', 'kto'])).code).toBe(0);
        const saved = readFileSync(cp, 'utf8');
        const others: Array<[string[], string]> = [
          [[], '--format prompt-completion'],
          [['--format', 'kto', '--policy', 'all'], '--policy all'],
          [['--format', 'kto', '--where', 'source=HUMAN'], '--where "source=HUMAN"'],
          [['--format', 'kto', '--text'], '--text'],
          [['--format', 'kto', '--artifact', 'files'], '--artifact files'],
        ];
        for (const [args, asked] of others) {
          const res = await repo.cli(['extract', '--checkpoint', cp, ...args], { env: { GUARDLOOP_JSON_ERRORS: '1' } });
          expect(res.code, res.stderr).toBe(2);
          expect(res.stdout).toBe('');
          expect(res.stderr).toContain(`checkpoint ${cp} was written for --policy refinements --format kto --artifact diff, not this export's`);
          expect(res.stderr).toContain(asked);
          expect(res.stderr).toContain('give each selection a checkpoint file of its own');
          const err = JSON.parse(res.stderr.trim().split('\n').pop()!);
          expect(err.code).toBe('CHECKPOINT_INVALID');
          expect(err.data.written.format).toBe('kto');
          expect(readFileSync(cp, 'utf8')).toBe(saved);
        }

        // A checkpoint an earlier guardloop wrote (v1, no selection): this export's selection is taken.
        const tip = repo.git('rev-parse', 'refs/notes/guardloop');
        writeFileSync(cp, JSON.stringify({ v: 1, ref: 'refs/notes/guardloop', tip, journal: [] }));
        await chain(repo, 2);
        const upgraded = await extractCli(repo, ['--checkpoint', cp, '--policy', 'all', '--format', 'raw']);
        expect(upgraded.code, upgraded.stderr).toBe(0);
        expect(upgraded.lines.map((l) => l.status)).toEqual(['REJECTED', 'ACCEPTED']);
        const written = JSON.parse(readFileSync(cp, 'utf8'));
        expect(written).toMatchObject({ v: 2, tip: repo.git('rev-parse', 'refs/notes/guardloop'), selection: { policy: 'all', format: 'raw' } });
        expect((await repo.cli(['extract', '--checkpoint', cp])).code).toBe(2);
      }),
    ));

  it('a checkpoint that is not one, is of another ref, or names a notes commit git lacks: exit 2, CHECKPOINT_INVALID, the file untouched, nothing written', () =>
    withGitRepo((repo) =>
      withScratch(async (scratch) => {
        setUp(repo);
        await chain(repo, 1);
        const cp = join(scratch, 'cp.json');
        const out = join(scratch, 'out.jsonl');
        const tip = repo.git('rev-parse', 'refs/notes/guardloop');
        const moveAside = `mv '${cp}' '${cp}.old'`;
        const bad: Array<[string, string, string]> = [
          ['not json', 'is not a guardloop extract checkpoint', moveAside],
          [JSON.stringify({ v: 2, ref: 'refs/notes/guardloop', tip, journal: [] }), 'is not a guardloop extract checkpoint', moveAside],
          [JSON.stringify({ v: 3, ref: 'refs/notes/guardloop', tip, journal: [] }), 'is not a guardloop extract checkpoint', moveAside],
          [JSON.stringify({ v: 1, ref: 'refs/notes/other', tip, journal: [] }), 'was written for refs/notes/other', 'Export that ref with --ref refs/notes/other'],
          [JSON.stringify({ v: 1, ref: 'refs/notes/guardloop', tip: 'f'.repeat(40), journal: [] }), `names notes commit ${'f'.repeat(40)}`, 'guardloop sync'],
        ];
        for (const [text, said, fix] of bad) {
          writeFileSync(cp, text);
          const res = await repo.cli(['extract', '--checkpoint', cp, '-o', out], { env: { GUARDLOOP_JSON_ERRORS: '1' } });
          expect(res.code, res.stderr).toBe(2);
          expect(res.stderr).toContain(said);
          expect(res.stderr).toContain(fix);
          expect(JSON.parse(res.stderr.trim().split('\n').pop()!).code).toBe('CHECKPOINT_INVALID');
          expect(readFileSync(cp, 'utf8')).toBe(text);
          expect(existsSync(out)).toBe(false);
          expect(readdirSync(scratch)).toEqual(['cp.json']);
        }
      }),
    ));
});
