import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withGitRepo } from '../helpers/git-repo.js';

// A cached ACCEPTED verdict is reused only when nothing that can change the verdict changed: the
// config's and the guard's `env`, its `cwd`, its command and the files it matched are all in the key.
// The config file stays untracked, so editing it leaves the candidate tree (the other half of the
// key) as it was: only the guard-set hash can tell the runs apart.

interface Knobs {
  configEnv: string;
  guardEnv: string;
  cwd: string;
  run: string;
  files: string;
  isolation: string;
}

const INV = '"In this codebase, x must never happen, because it causes y."';

function configYaml(k: Knobs, marker: string): string {
  return [
    `isolation: ${k.isolation}`,
    'env:',
    `  STAGE: ${k.configEnv}`,
    'guards:',
    '  - id: count',
    `    run: ${JSON.stringify(`${k.run}echo ran >> '${marker}'`)}`,
    `    invariant: ${INV}`,
    `    files: ${k.files}`,
    `    cwd: ${k.cwd}`,
    '    env:',
    `      LEVEL: ${k.guardEnv}`,
    '',
  ].join('\n');
}

describe('the verdict cache key', () => {
  it('runs the guard again when any input of its verdict changes, and hits the cache when none did', () => {
    const outside = mkdtempSync(join(tmpdir(), 'guardloop-cache-key-'));
    const marker = join(outside, 'runs');
    const runs = () => {
      try {
        return readFileSync(marker, 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    };
    return withGitRepo(async (repo) => {
      repo.installPackage();
      repo.write('a.txt', 'a\n');
      repo.write('b.md', 'b\n');
      repo.write('sub/c.txt', 'c\n');
      repo.git('add', 'a.txt', 'b.md', 'sub/c.txt', '.gitignore');
      const knobs: Knobs = { configEnv: 'one', guardEnv: 'low', cwd: '.', run: '', files: '["*.txt"]', isolation: 'auto' };
      const check = async (change: string, expected: number) => {
        repo.config(configYaml(knobs, marker));
        const res = await repo.cli(['run']);
        expect(res.code, `${change}: ${res.stderr}`).toBe(0);
        expect(runs(), `${change}: the guard ran ${runs()} times, expected ${expected}`).toBe(expected);
      };

      await check('first run', 1);
      await check('nothing changed', 1);

      knobs.configEnv = 'two';
      await check('config env changed', 2);
      await check('nothing changed after config env', 2);

      knobs.guardEnv = 'high';
      await check('guard env changed', 3);
      await check('nothing changed after guard env', 3);

      knobs.cwd = 'sub';
      await check('guard cwd changed', 4);
      await check('nothing changed after cwd', 4);

      knobs.run = 'true && ';
      await check('guard command changed', 5);
      await check('nothing changed after command', 5);

      // Same tree, wider globs: b.md (staged all along) is now among the files the guard sees.
      knobs.files = '["*.txt", "*.md"]';
      await check('matched files changed (same tree)', 6);
      await check('nothing changed after globs', 6);

      repo.write('sub/d.txt', 'd\n');
      repo.git('add', 'sub/d.txt');
      await check('a new matching file staged', 7);
      await check('nothing changed after staging', 7);

      // Where the guards run changes what they see (a temporary checkout has no untracked files).
      knobs.isolation = 'always';
      await check('isolation changed', 8);
      await check('nothing changed after isolation', 8);
    }).finally(() => rmSync(outside, { recursive: true, force: true }));
  });
});
