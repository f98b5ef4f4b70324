import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The dependency rule (README, "Architecture") is .dependency-cruiser.cjs, checked by the real
// dependency-cruiser CLI: on the source itself, and on small trees that break it on purpose.
const ROOT = resolve(__dirname, '../..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const BIN = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

function cruise(cwd: string): { violations: Violation[]; modules: number; text: string } {
  const res = spawnSync(process.execPath, [BIN, 'src', '--config', CONFIG, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const json = JSON.parse(res.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  const err = spawnSync(process.execPath, [BIN, 'src', '--config', CONFIG, '--output-type', 'err-long'], { cwd, encoding: 'utf8' });
  return { violations: json.summary.violations, modules: json.summary.totalCruised, text: err.stdout + err.stderr };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// A throwaway tree shaped like guardloop's: files by path → content.
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'guardloop-rooms-'));
  dirs.push(dir);
  copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  writeFileSync(join(dir, 'package.json'), '{"name":"fixture","type":"module"}\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('the dependency rule', () => {
  it('holds for src: no cycles, every room imports only the rooms below it', () => {
    const { violations, modules, text } = cruise(ROOT);
    expect(modules).toBeGreaterThan(100);
    expect(violations, text).toEqual([]);
  });

  it('fails an import from a lower room into a higher one, naming the rule', () => {
    const dir = tree({
      'src/git/refs.ts': "import { run } from '../engine/run.js';\nexport const x = run;\n",
      'src/engine/run.ts': 'export const run = 1;\n',
    });
    const { violations, text } = cruise(dir);
    expect(violations.map((v) => [v.rule.name, v.from, v.to])).toEqual([['git-imports-only-errors-messages', 'src/git/refs.ts', 'src/engine/run.ts']]);
    expect(text).toContain('src/git may import src/errors, src/messages');
  });

  it('fails a cycle between two files of one room', () => {
    const dir = tree({
      'src/store/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/store/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    const names = cruise(dir).violations.map((v) => v.rule.name);
    expect(names).toEqual(['no-cycles']);
  });

  it('lets messages name a type of a higher room, but not call into it', () => {
    const dir = tree({
      'src/messages/run.ts': "import type { R } from '../engine/run.js';\nimport { f } from '../engine/f.js';\nexport const m = (r: R) => f(r);\n",
      'src/engine/run.ts': 'export interface R { a: number }\n',
      'src/engine/f.ts': 'export const f = (r: unknown) => r;\n',
    });
    const found = cruise(dir).violations.map((v) => [v.rule.name, v.to]);
    expect(found).toEqual([['messages-imports-only-itself', 'src/engine/f.ts']]);
  });
});

describe('the dependency rule, around its edges', () => {
  it('fails a file that sits in no room (it could relay an import past the rule)', () => {
    const dir = tree({
      'src/shim.ts': "export { run } from './engine/run.js';\n",
      'src/engine/run.ts': 'export const run = 1;\n',
      'src/git/new.ts': "import { run } from '../shim.js';\nexport const x = run;\n",
    });
    const found = cruise(dir).violations.map((v) => [v.rule.name, v.from]);
    expect(found).toContainEqual(['every-file-is-in-a-room', 'src/shim.ts']);
  });
});
