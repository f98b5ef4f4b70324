import { execFile } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { PACKAGE_DIR, removeTempTrees, tempTree, yamlLines } from './temp-tree.js';

afterAll(removeTempTrees);

const names = (await readdir(path.join(PACKAGE_DIR, 'guards'))).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));

describe('ready-made guards/*.yaml', () => {
  it('ships at least the documented set', () => {
    expect(names).toEqual(expect.arrayContaining(['typescript', 'eslint', 'prettier', 'vitest', 'conflict-markers', 'no-large-files']));
  });

  it.each(names)('guardloop/%s loads through extends without errors or warnings, with a real invariant, a layer and files', async (name) => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines(`extends: [guardloop/${name}]`) });
    const { config, errors, warnings } = await loadConfig({ root, packageDir: PACKAGE_DIR });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config!.guards.length).toBeGreaterThan(0);
    for (const guard of config!.guards) {
      expect(guard.invariant).toMatch(/^In this codebase, .+ must (never|not|always) .+, because it causes .+\.$/);
      expect(guard.layer).not.toBe('other');
      expect(guard.files!.length).toBeGreaterThan(0);
    }
  });

  it('loads all together with distinct ids', async () => {
    const root = await tempTree({ '.loop/config.yaml': yamlLines(`extends: [${names.map((n) => `guardloop/${n}`).join(', ')}]`) });
    const { config, errors } = await loadConfig({ root, packageDir: PACKAGE_DIR });
    expect(errors).toEqual([]);
    const ids = config!.guards.map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Every file contributes its guards, in the order of the names (no-test-weakening holds six).
    expect([...new Set(config!.guards.map((g) => path.basename(g.source, '.yaml')))]).toEqual(names);
  });

  it('prettier can be turned into a fix guard by overriding run and fix', async () => {
    const root = await tempTree({
      '.loop/config.yaml': yamlLines('extends: [guardloop/prettier]', 'guards:', '  - id: prettier', '    run: npx --no -- prettier --write --ignore-unknown {files}', '    fix: true'),
    });
    const { config, errors } = await loadConfig({ root, packageDir: PACKAGE_DIR });
    expect(errors).toEqual([]);
    expect(config!.guards[0]).toMatchObject({ fix: true, run: 'npx --no -- prettier --write --ignore-unknown {files}' });
  });
});

// Runs a shipped guard's command the way a shell would after {files} expands to single-quoted paths.
async function runShipped(name: string, cwd: string, files: string[]): Promise<{ code: number; out: string }> {
  const { config } = await loadConfig({ root: cwd, file: path.join(PACKAGE_DIR, 'guards', `${name}.yaml`), packageDir: PACKAGE_DIR });
  const quoted = files.map((f) => `'${f.replace(/'/g, `'\\''`)}'`).join(' ');
  const command = (config!.guards[0].run as string).replaceAll('{files}', quoted);
  try {
    const { stdout, stderr } = await promisify(execFile)('sh', ['-c', command], { cwd });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('shipped commands', () => {
  it('conflict-markers fails on a marker line, passes on clean files and on "=======" or markers inside a line', async () => {
    const dir = await tempTree({
      'clean.md': 'Title\n=======\n\ntext with <<<<<<< inside\n',
      'with space/ok.ts': 'export const a = 1;\n',
      'conflicted.ts': 'a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> branch\n',
    });
    expect(await runShipped('conflict-markers', dir, ['clean.md', 'with space/ok.ts'])).toEqual({ code: 0, out: '' });
    const found = await runShipped('conflict-markers', dir, ['clean.md', 'conflicted.ts']);
    expect(found.code).toBe(1);
    expect(found.out).toBe('conflicted.ts:2:<<<<<<< HEAD\nconflicted.ts:6:>>>>>>> branch\n');
  });

  it('conflict-markers does not pass when grep itself fails', async () => {
    const dir = await tempTree({ 'a.ts': 'x\n' });
    expect((await runShipped('conflict-markers', dir, ['a.ts', 'missing.ts'])).code).not.toBe(0);
  });

  it('no-large-files fails on a file over 1 MiB and names it, passes at exactly 1 MiB', async () => {
    const dir = await tempTree({ 'small.txt': 'x' });
    await writeFile(path.join(dir, 'exact.bin'), Buffer.alloc(1_048_576));
    await writeFile(path.join(dir, 'big file.bin'), Buffer.alloc(1_048_577));
    expect(await runShipped('no-large-files', dir, ['small.txt', 'exact.bin'])).toEqual({ code: 0, out: '' });
    expect(await runShipped('no-large-files', dir, ['small.txt', 'big file.bin'])).toEqual({ code: 1, out: 'big file.bin: 1048577 bytes (limit 1048576)\n' });
  });
});
