import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The guardloop checkout these tests run in: its guards/ folder is the real ready-made set.
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const made: string[] = [];

// Writes files (path → content) into a fresh temporary directory and returns its path.
export async function tempTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'guardloop-config-'));
  made.push(root);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

// Removes every directory tempTree made (call from afterAll).
export async function removeTempTrees(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

// YAML from lines, so that line numbers in assertions can be read off the array index (+1).
export const yamlLines = (...lines: string[]) => `${lines.join('\n')}\n`;
