// Bundles the CLI and the library with esbuild (one file each: a hook starts Node on every commit,
// so fewer module loads matter), then emits type declarations with tsc.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

rmSync('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __GUARDLOOP_VERSION__: JSON.stringify(version) },
  // Some bundled CommonJS packages call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __glCreateRequire } from 'node:module'; const require = __glCreateRequire(import.meta.url);" },
};
await build({ ...common, entryPoints: { cli: 'src/cli/bin.ts' }, outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]', banner: { js: '#!/usr/bin/env node\n' + common.banner.js } });
chmodSync('dist/cli.js', 0o755);
await build({ ...common, entryPoints: { index: 'src/index.ts' }, outdir: 'dist' });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
mkdirSync('dist', { recursive: true });
writeFileSync('dist/index.d.ts', "export * from './types/src/index.js';\n");
