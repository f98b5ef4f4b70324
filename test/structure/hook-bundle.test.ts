import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, guardYaml, withGitRepo } from '../helpers/git-repo.js';

// A hook starts the CLI on every commit and every agent stop: what its bundle carries is what each
// of those starts reads and compiles. scripts/build.mjs writes the hook bundle's esbuild metafile.
const ROOT = resolve(__dirname, '../..');
const META = join(ROOT, 'node_modules/.cache/guardloop-build/hook-bundle.meta.json');

function hookInputs(): string[] {
  const meta = JSON.parse(readFileSync(META, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const [out] = Object.values(meta.outputs);
  return Object.entries(out.inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([file]) => file);
}

// Which bundles a CLI start read, from a preload that notes every dist/*.cjs it reads.
function bundlesRead(args: string[], cwd: string, env: Record<string, string> = {}): { bundles: string[]; status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gl-bundles-'));
  const log = join(dir, 'read.txt');
  const preload = join(dir, 'preload.cjs');
  writeFileSync(
    preload,
    `const fs = require('node:fs'); const read = fs.readFileSync; const seen = [];
fs.readFileSync = function (file, ...rest) { if (typeof file === 'string' && /dist[\\\\/]guardloop[^\\\\/]*\\.cjs$/.test(file)) seen.push(require('node:path').basename(file)); return read.call(this, file, ...rest); };
process.on('exit', () => fs.writeFileSync(${JSON.stringify(log)}, seen.join('\\n')));\n`,
  );
  try {
    const res = spawnSync(process.execPath, ['--require', preload, CLI, ...args], { cwd, env: cleanEnv(env), encoding: 'utf8' });
    return { bundles: readFileSync(log, 'utf8').split('\n').filter(Boolean), status: res.status, stderr: res.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The built-in modules a CLI start loaded (Node's own list, without the internal ones).
function builtinsLoaded(args: string[], cwd: string): { modules: string[]; status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gl-builtins-'));
  const log = join(dir, 'loaded.txt');
  const preload = join(dir, 'preload.cjs');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(log)}, process.moduleLoadList.join('\\n')));\n`);
  try {
    const res = spawnSync(process.execPath, ['--require', preload, CLI, ...args], { cwd, env: cleanEnv(), encoding: 'utf8' });
    const modules = readFileSync(log, 'utf8')
      .split('\n')
      .filter((m) => m.startsWith('NativeModule ') && !m.startsWith('NativeModule internal/'))
      .map((m) => m.slice('NativeModule '.length));
    return { modules, status: res.status, stderr: res.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the hook bundle', () => {
  it('carries no YAML parser, no classic zod, no extraction, export, report, audit or setup code', () => {
    const inputs = hookInputs();
    expect(inputs.length).toBeGreaterThan(50);
    expect(inputs.some((f) => f.startsWith('src/engine/run.ts'))).toBe(true);
    const forbidden = inputs.filter(
      (f) =>
        f.startsWith('node_modules/yaml/') ||
        f.startsWith('node_modules/zod/v4/classic/') ||
        f === 'node_modules/zod/index.js' ||
        f.startsWith('src/learn/') ||
        f.startsWith('src/setup/') ||
        (f.startsWith('src/audit/') && f !== 'src/audit/accepted-marker.ts') ||
        f === 'src/config/load.ts' ||
        f === 'src/config/yaml-file.ts' ||
        f === 'src/config/schema.ts',
    );
    expect(forbidden).toEqual([]);
  });

  it('runs a commit hook alone, and borrows the config loader from the full bundle only for a config it has not cached', () =>
    withGitRepo(async (repo) => {
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      // First run: the config cache is empty, so the full bundle's loader reads the YAML.
      const first = bundlesRead(['run', '--hook', 'pre-commit'], repo.dir);
      expect(first.status, first.stderr).toBe(0);
      expect(first.bundles).toEqual(['guardloop-hook.cjs', 'guardloop.cjs']);
      repo.write('a.txt', 'b\n');
      repo.git('add', '-A');
      const second = bundlesRead(['run', '--hook', 'pre-commit'], repo.dir);
      expect(second.status, second.stderr).toBe(0);
      expect(second.bundles).toEqual(['guardloop-hook.cjs']);
      // The two bundles share the config cache: a config the full bundle cached is a hit for the hook's.
      repo.config(`guards:\n${guardYaml('ok', 'true')}${guardYaml('also', 'true')}`);
      repo.write('a.txt', 'c\n');
      repo.git('add', '-A');
      const full = bundlesRead(['run', '--hook', 'pre-commit'], repo.dir, { GUARDLOOP_FULL_BUNDLE: '1' });
      expect(full.status, full.stderr).toBe(0);
      expect(full.bundles).toEqual(['guardloop.cjs']);
      repo.write('a.txt', 'd\n');
      repo.git('add', '-A');
      expect(bundlesRead(['run', '--hook', 'pre-commit'], repo.dir).bundles).toEqual(['guardloop-hook.cjs']);
      // A config error found through the full bundle keeps its code and exit code.
      repo.config('guards: [\n');
      const broken = bundlesRead(['run', '--hook', 'pre-commit'], repo.dir);
      expect(broken.status).toBe(2);
      expect(broken.stderr).toContain('.loop/config.yaml');
      // Other commands, and the routes with audit code, load the full bundle alone.
      // The last --hook decides, as the CLI's parser reads it.
      for (const args of [['log'], ['--version'], ['run', '--hook', 'post-commit'], ['run', '--hook=pre-push', 'origin', 'x'], ['run', '--hook', 'pre-commit', '--hook', 'post-commit']]) {
        expect(bundlesRead(args, repo.dir).bundles, args.join(' ')).toEqual(['guardloop.cjs']);
      }
    }));

  it('hashes without node:crypto, and a commit hook on new content or a cache hit never loads it', () =>
    withGitRepo(async (repo) => {
      const meta = JSON.parse(readFileSync(META, 'utf8')) as { inputs: Record<string, { imports: Array<{ path: string }> }> };
      const importers = Object.entries(meta.inputs).filter(([, v]) => v.imports.some((i) => /^(node:)?crypto$/.test(i.path)));
      expect(importers.map(([f]) => f)).toEqual([]);
      expect(Object.keys(meta.inputs)).toContain('src/cli/crypto-lite.ts');
      repo.config(`guards:\n${guardYaml('ok', 'true')}`);
      repo.write('a.txt', 'a\n');
      repo.git('add', '-A');
      // The first run fills the config cache (through the full bundle, which has node:crypto).
      expect(bundlesRead(['run', '--hook', 'pre-commit'], repo.dir).status).toBe(0);
      for (const content of ['b\n', 'b\n']) {
        repo.write('a.txt', content);
        repo.git('add', '-A');
        const loaded = builtinsLoaded(['run', '--hook', 'pre-commit'], repo.dir);
        expect(loaded.status, loaded.stderr).toBe(0);
        expect(loaded.modules).toContain('child_process');
        expect(loaded.modules).not.toContain('crypto');
      }
    }));

  it('is ASCII only: a start reads it as one-byte text', () => {
    for (const name of ['guardloop-hook.cjs', 'guardloop.cjs']) {
      const bytes = readFileSync(join(ROOT, 'dist', name));
      expect(bytes.findIndex((b) => b > 0x7f), name).toBe(-1);
    }
  });

  it('keeps its code cache only in a folder of its own user with no access for others', () =>
    withGitRepo(async (repo) => {
      const uid = process.getuid?.();
      if (uid === undefined) return;
      const tmp = mkdtempSync(join(tmpdir(), 'gl-cache-'));
      try {
        const env = cleanEnv({ TMPDIR: tmp });
        const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: repo.dir, env, encoding: 'utf8' });
        expect(cli(['--version']).status).toBe(0);
        const own = join(tmp, `guardloop-${uid}`, 'code-cache');
        const names = readdirSync(own);
        // Named by the source's hash: another build of the same size never reads this one's cache.
        expect(names.some((n) => /^guardloop-v\d+\.\d+\.\d+-[a-z0-9]+-[0-9a-f]{24}\.bin$/.test(n))).toBe(true);
        expect(statSync(own).mode & 0o077).toBe(0);
        // A folder others can write (made before guardloop, as anyone could) is never used.
        rmSync(join(tmp, `guardloop-${uid}`), { recursive: true, force: true });
        mkdirSync(join(tmp, `guardloop-${uid}`, 'code-cache'), { recursive: true });
        chmodSync(join(tmp, `guardloop-${uid}`), 0o777);
        chmodSync(join(tmp, `guardloop-${uid}`, 'code-cache'), 0o777);
        const res = cli(['--version']);
        expect(res.status).toBe(0);
        expect(readdirSync(join(tmp, `guardloop-${uid}`, 'code-cache'))).toEqual([]);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }));
});
