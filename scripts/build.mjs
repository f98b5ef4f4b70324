// Bundles the CLI and the library with esbuild (a hook starts Node on every commit, so what it
// loads matters), then emits type declarations with tsc.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

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
// The CLI: CommonJS files (dynamic imports become lazy sections of them, evaluated only when used),
// loaded by src/cli/launcher.cjs through a V8 code cache (measured: ~28% less start-up overhead
// than split ESM chunks on Node 20, which has no compile cache of its own). Two of them: the whole
// CLI, and a lean one for git hooks and agents' stops without the modules that path seldom needs
// (reading and compiling a third of the bytes: about 15 ms less per commit than the full bundle on this machine).
// Whitespace and syntax minified (names kept: error classes and stack frames read as in the source):
// every start reads the bundle whole, and comments were a quarter of its bytes.
const cli = {
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  outdir: 'dist',
  minifyWhitespace: true,
  minifySyntax: true,
  define: { ...common.define, 'import.meta.url': '__glImportMetaUrl' },
  banner: { js: "const __glImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

// A bundle's text with every non-ASCII character written as a \u escape. esbuild escapes strings and
// templates (charset ascii) but passes regular-expression literals through as written, and one such
// character makes the whole source a two-byte string: each start then decodes it from UTF-8 in the
// slow path (measured: ~1.5 ms a start for the hook bundle). In a regular expression (with or without
// the u flag) \uXXXX, and a surrogate pair of them, match what the character itself matches; only a
// character escaped by a backslash (`\✓`) would read differently, so that one stops the build.
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const out = text.replace(/[^\x00-\x7f]/g, (c, at) => {
    if (text[at - 1] === '\\') throw new Error(`${file}: a non-ASCII character escaped by a backslash at ${at}: write it as \\u${c.charCodeAt(0).toString(16)} in the source`);
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  if (out !== text) writeFileSync(file, out);
}
await build({ ...cli, entryPoints: { guardloop: 'src/cli/bundle-full.ts' } });
asciiOnly('dist/guardloop.cjs');

// What the hook bundle calls in the full bundle (src/cli/bundle-full.ts `cold`), by source path,
// with the functions it calls there; and what it leaves out entirely (the launcher never sends it
// a command that needs them: other subcommands, judging a commit again, the pre-push and
// post-commit routes).
const BRIDGED = { 'src/config/load.ts': ['loadConfig'] };
const LEFT_OUT = [/^src\/cli\/commands\/(?!run\.ts$|index\.ts$)[^/]+\.ts$/, /^src\/engine\/judge-commit\.ts$/, /^src\/audit\/(?:pre-push|post-commit)\.ts$/];
const hookBundle = {
  name: 'hook-bundle',
  setup(b) {
    // node:crypto as the hook path uses it (SHA-1/SHA-256 and random bytes), without loading it at
    // every start: src/cli/crypto-lite.ts, which loads node:crypto only for what it hands over.
    b.onResolve({ filter: /^(node:)?crypto$/ }, () => ({ path: resolve('src/cli/crypto-lite.ts') }));
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const source = relative(process.cwd(), resolve(args.resolveDir, args.path)).replace(/\.js$/, '.ts');
      if (BRIDGED[source]) return { path: source, namespace: 'gl-bridged' };
      if (LEFT_OUT.some((re) => re.test(source))) return { path: source, namespace: 'gl-left-out' };
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'gl-bridged' }, (args) => ({
      resolveDir: resolve('src/cli'),
      loader: 'js',
      contents: `import { callFullBundle } from './bundle-bridge.ts';\n${BRIDGED[args.path].map((n) => `export const ${n} = (...args) => callFullBundle(${JSON.stringify(args.path)}, ${JSON.stringify(n)}, args);`).join('\n')}\n`,
    }));
    b.onLoad({ filter: /.*/, namespace: 'gl-left-out' }, (args) => ({
      loader: 'js',
      contents: `throw new Error(${JSON.stringify(`${args.path} is not in guardloop's hook bundle: src/cli/launcher.cjs sends this command to dist/guardloop.cjs`)});\n`,
    }));
  },
};
const hook = await build({ ...cli, entryPoints: { 'guardloop-hook': 'src/cli/bundle-hook.ts' }, plugins: [hookBundle], metafile: true });
asciiOnly('dist/guardloop-hook.cjs');
// The hook bundle's inputs, for test/structure/hook-bundle.test.ts (what the hot path carries).
mkdirSync('node_modules/.cache/guardloop-build', { recursive: true });
writeFileSync('node_modules/.cache/guardloop-build/hook-bundle.meta.json', JSON.stringify(hook.metafile));
// The launcher, with each bundle's hash and length for naming its code cache (see BUILT there).
const built = {};
for (const name of ['guardloop-hook.cjs', 'guardloop.cjs']) {
  const source = readFileSync(join('dist', name), 'utf8');
  built[name] = { hash: createHash('sha256').update(source).digest('hex').slice(0, 24), length: source.length };
}
const launcher = readFileSync('src/cli/launcher.cjs', 'utf8');
if (!launcher.includes('/* BUILT */ {}')) throw new Error('src/cli/launcher.cjs lost its BUILT marker');
writeFileSync('dist/cli.cjs', launcher.replace('/* BUILT */ {}', JSON.stringify(built)));
chmodSync('dist/cli.cjs', 0o755);
await build({ ...common, entryPoints: { index: 'src/index.ts' }, outdir: 'dist' });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
mkdirSync('dist', { recursive: true });
writeFileSync('dist/index.d.ts', "export * from './types/src/index.js';\n");
