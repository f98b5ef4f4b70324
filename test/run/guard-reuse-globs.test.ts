import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { globOptions } from '../../src/config/glob-check.js';
import { entriesDigests, GLOB_TEST_BUDGET, globMatcher } from '../../src/engine/guard-key-tree.js';

// A guard's inputs are the tree entries its globs match with `files:` semantics. The key's matcher
// skips paths outside a glob's static folder before asking picomatch: it must answer exactly as the
// plain matcher the selection uses.
const GLOBS = ['src/**', 'src/**/*.ts', '*.ts', '**/*', 'src/a.ts', './src/**', '!src/**', 'src/{a,b}/**', '{src,test}/**', '**/*.md', 'docs/*.md', 'src', '.github/**', 'a?c/**', 'src/[ab].ts'];
const PATHS = ['src/a.ts', 'src/b.ts', 'src/x/y.ts', 'src/a/z.js', 'src', 'srcx/a.ts', 'test/t.ts', 'docs/d.md', 'docs/sub/e.md', 'a.ts', 'README.md', '.github/workflows/ci.yml', 'abc/d', 'src/.hidden.ts'];

describe('the inputs of a globbed key', () => {
  it('match exactly what the `files:` matcher matches', () => {
    for (const glob of GLOBS) {
      const plain = picomatch(glob, globOptions(glob));
      const fast = globMatcher(picomatch, glob);
      for (const path of PATHS) expect(fast(path), `${glob} on ${path}`).toBe(plain(path));
    }
  });

  it('digest only the matching entries: a change elsewhere keeps the digest, a matching one changes it', async () => {
    const entries = (oid: string) => [
      { mode: '100644', oid: 'a'.repeat(40), path: 'src/a.ts' },
      { mode: '100644', oid, path: 'docs/d.md' },
    ];
    const [src1, docs1] = (await entriesDigests(entries('1'.repeat(40)), [['src/**'], ['*.md']]))!;
    const [src2, docs2] = (await entriesDigests(entries('2'.repeat(40)), [['src/**'], ['*.md']]))!;
    expect(src1).toBe(src2);
    expect(docs1).not.toBe(docs2);
  });

  it('give up past the budget of glob tests (the guards then key on the whole tree)', async () => {
    const many = Array.from({ length: GLOB_TEST_BUDGET / 2 + 1 }, (_, i) => ({ mode: '100644', oid: '0'.repeat(40), path: `f${i}` }));
    expect(await entriesDigests(many, [['*.ts']])).not.toBeNull();
    expect(await entriesDigests(many, [['*.ts'], ['*.md']])).toBeNull();
  });
});
