import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { compileGlob, globOptions } from '../../src/config/glob-check.js';
import { selectGuards } from '../../src/engine/select.js';
import type { ResolvedGuard } from '../../src/config/schema.js';

const GLOBS = [
  '*.js', '**/*.js', 'src/**/*.ts', 'src/*.ts', '*.{ts,tsx}', 'src/**', '**', '*', '.env', '.*', '**/.eslintrc*',
  '!*.md', '!(*.md)', '+(a|b).txt', '@(x|y)/*.js', 'a[1].js', 'a\\[1\\].js', '[abc].js', '[!a].js', '?.js', 'src/?/*.js',
  'docs/', '/abs/*.js', 'dir with space/*.txt', 'é/*.txt', 'packages/*/package.json', '{a,b}/**/c.js', 'a/**/b/**/c.js',
  'node_modules/**', '**/node_modules/**', 'a.js', 'src/a.js', '**/*.test.*',
];
const PATHS = [
  'a.js', 'b.js', 'x/a.js', 'x/y/z.js', 'src/a.ts', 'src/b/c.ts', 'src/a.tsx', 'src/1/a.js', 'src/12/a.js', '.env', 'x/.env',
  '.eslintrc.json', 'a/.eslintrc.cjs', 'README.md', 'docs/README.md', 'docs', 'docs/', 'a[1].js', 'a1.js', '1.js', 'x/1.js',
  'c.js', 'a.txt', 'b.txt', 'ab.txt', 'x/a.js', 'y/b.js', 'dir with space/n.txt', 'é/ü.txt', 'packages/p/package.json',
  'packages/p/q/package.json', 'a/c.js', 'b/x/c.js', 'a/x/b/y/c.js', 'node_modules/p/index.js', 'x/node_modules/p/i.js',
  'src/a.test.ts', 'x/y.test.js', 'trailing/', 'a//', '/', 'x\\y.js', '', 'src', 'src/',
];

describe('the glob matcher of `files:`', () => {
  it("matches exactly what picomatch's own matcher matches, for every glob shape and path", () => {
    for (const glob of GLOBS) {
      const theirs = picomatch(glob, globOptions(glob));
      const ours = compileGlob(picomatch, glob);
      const got = PATHS.map((p) => ours(p));
      expect(got, glob).toEqual(PATHS.map((p) => theirs(p)));
    }
    // Not vacuous: the list holds matches and misses.
    expect(compileGlob(picomatch, '*.js')('x/y/z.js')).toBe(true);
    expect(compileGlob(picomatch, 'src/*.ts')('src/b/c.ts')).toBe(false);
  });

  it('chooses the guards whose globs match a changed path, and hands them the matches (a deleted path runs a guard without {files}, never reaches {files})', async () => {
    const guard = (id: string, files: string[] | undefined, run = 'true {files}'): ResolvedGuard =>
      ({ id, run, files, on: ['pre-commit', 'stop'], fix: false, env: {}, cwd: '.', timeout: 300 }) as unknown as ResolvedGuard;
    const selected = await selectGuards(
      [guard('js', ['*.js']), guard('docs', ['docs/**']), guard('none', ['*.py']), guard('all', undefined, 'true'), guard('gone', ['old/*.js']), guard('gone-run', ['old/*.js'], 'true')],
      'pre-commit',
      ['src/a.js', 'docs/x.md', 'b.txt', 'old/x.js'],
      new Set(['old/x.js']),
    );
    expect(selected.map((s) => [s.guard.id, s.files, s.skip])).toEqual([
      ['js', ['src/a.js'], false],
      ['docs', ['docs/x.md'], false],
      ['none', [], true],
      ['all', null, false],
      ['gone', [], true],
      ['gone-run', [], false],
    ]);
  });
});
