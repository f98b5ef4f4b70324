import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/learn/formats/index.js';
import type { TestRepo } from '../helpers/git-repo.js';
import { extractCli, sharedChains, snapshot } from './extract-helpers.js';

// Extraction reads ℛ only: the notes ref, every ref, the reflogs, the objects, the journal and the
// rest of .git/guardloop are byte for byte as they were; and an example is built from ℛ alone:
// with the branches and the working files gone, the export is the same.

const fixture = sharedChains();
beforeAll(fixture.setUp, 240_000);
afterAll(fixture.tearDown);

function state(repo: TestRepo): unknown {
  const git = join(repo.dir, '.git');
  return {
    notes: repo.git('rev-parse', 'refs/notes/guardloop'),
    refs: repo.git('for-each-ref', '--format=%(refname) %(objectname)'),
    refFiles: snapshot(join(git, 'refs')),
    logs: snapshot(join(git, 'logs')),
    objects: snapshot(join(git, 'objects')),
    journal: snapshot(join(git, 'guardloop', 'journal')),
    guardloop: snapshot(join(git, 'guardloop')),
  };
}

// Every export this suite compares: each format (and --turns, --artifact files) under the default policy and `all`.
const EXPORTS = [...FORMATS.flatMap((f) => [['--format', f], ['--format', f, '--policy', 'all']]), ['--format', 'messages', '--turns'], ['--artifact', 'files'], ['--format', 'kto', '--policy', 'all', '--artifact', 'files']];

async function exportAll(repo: TestRepo): Promise<string[]> {
  const out: string[] = [];
  for (const args of EXPORTS) {
    const res = await extractCli(repo, args);
    expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
    expect(res.lines.length, args.join(' ')).toBeGreaterThan(0);
    out.push(res.stdout);
  }
  return out;
}

describe('guardloop extract reads ℛ only', () => {
  it('every format, -o FILE and --checkpoint leave the notes ref, for-each-ref, reflogs, objects, the journal and .git/guardloop unchanged', async () => {
    const { repo } = fixture.get();
    expect(readdirSync(join(repo.dir, '.git', 'guardloop', 'journal')).length).toBeGreaterThan(0);
    const before = state(repo);
    await exportAll(repo);
    const cp = join(repo.dir, '..', `${repo.dir.split('/').pop()}-cp.json`);
    try {
      for (let i = 0; i < 2; i++) {
        const res = await extractCli(repo, ['--checkpoint', cp, '-o', join(repo.dir, 'out.jsonl'), '--policy', 'all', '--format', 'raw']);
        expect(res.code, res.stderr).toBe(0);
      }
    } finally {
      rmSync(cp, { force: true });
      rmSync(join(repo.dir, 'out.jsonl'), { force: true });
    }
    expect(state(repo)).toEqual(before);
  });

  it('with the branches and working files deleted, every export is byte-identical', async () => {
    const { repo } = fixture.get();
    const before = await exportAll(repo);
    // An unborn branch, no index, no files: only ℛ (and the objects it names) is left.
    repo.git('symbolic-ref', 'HEAD', 'refs/heads/gone');
    repo.git('branch', '-D', 'main');
    rmSync(join(repo.dir, '.git', 'index'), { force: true });
    for (const name of readdirSync(repo.dir)) if (name !== '.git') rmSync(join(repo.dir, name), { recursive: true, force: true });
    expect(repo.git('for-each-ref', '--format=%(refname)', 'refs/heads')).toBe('');
    expect(await exportAll(repo)).toEqual(before);
  });
});
